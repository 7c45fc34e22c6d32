/* nsexec: nsinit's constructor, run before main() (runc's libcontainer/nsenter/nsexec.c).

   rt executes nsinit with the init socket in _RT_INITPIPE and writes the bootstrap
   message on it.  Three processes are made from this one image with setjmp/longjmp and
   clone(CLONE_PARENT), so all of them are children of rt:

     rt:[0:PARENT]  reads the message, serves the child's requests (uid/gid maps), tells rt
                    both pids, lets the init go, exits.
     rt:[1:CHILD]   joins the namespaces given by path, unshares the user namespace and asks
                    the parent for the maps, unshares the rest, clones the init, exits.
     rt:[2:INIT]    waits for the parent's go, setsid, becomes root in its namespaces and
                    returns into main(): the container-side initialization.

   Only namespaces, id maps and clones happen here; the stub bails with a message on the
   log pipe (rt prints it) and never returns an error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "bootstrap.h"
#include "nslog.h"
#include "sync.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

enum stage
{
  STAGE_PARENT = 0,
  STAGE_CHILD = 1,
  STAGE_INIT = 2,
};

/* setjmp values (runc's) */
#define JUMP_PARENT 0x00
#define JUMP_CHILD 0xA0
#define JUMP_INIT 0xA1

#define MAX_BOOTSTRAP_LEN (4u << 20)

static int current_stage = STAGE_PARENT;

/* The stages this one made (stage 0: stage 1 and the init; stage 1: the init).  A stage
   that bails kills them first, as runc does before its bail: none may wait forever for a
   peer that is gone, or go on with half a set-up. */
static pid_t peer_pids[2] = { -1, -1 };

static void
kill_peers (void)
{
  for (size_t i = 0; i < sizeof peer_pids / sizeof peer_pids[0]; i++)
    if (peer_pids[i] > 0)
      kill (peer_pids[i], SIGKILL);
}

#define bail(fmt, ...)                                                                             \
  do                                                                                               \
    {                                                                                              \
      int bail_errno_ = errno;                                                                     \
      kill_peers ();                                                                               \
      nslog ("fatal", "nsexec-%d: " fmt ": %s", current_stage, ##__VA_ARGS__,                      \
             strerror (bail_errno_));                                                              \
      if (nslog_fd < 0)                                                                            \
        fprintf (stderr, "nsinit: " fmt ": %s\n", ##__VA_ARGS__, strerror (bail_errno_));          \
      exit (1);                                                                                    \
    }                                                                                              \
  while (0)

/* Same without errno. */
#define bailx(fmt, ...)                                                                            \
  do                                                                                               \
    {                                                                                              \
      kill_peers ();                                                                               \
      nslog ("fatal", "nsexec-%d: " fmt, current_stage, ##__VA_ARGS__);                            \
      if (nslog_fd < 0)                                                                            \
        fprintf (stderr, "nsinit: " fmt "\n", ##__VA_ARGS__);                                      \
      exit (1);                                                                                    \
    }                                                                                              \
  while (0)

struct clone_t
{
  /* The child runs on this small stack only until longjmp puts it back on its own copy
     of the parent's stack (no CLONE_VM), as in runc. */
  char stack[4096] __attribute__ ((aligned (16)));
  char stack_ptr[0];
  jmp_buf *env;
  int jmpval;
};

static int
child_func (void *arg)
{
  struct clone_t *ca = arg;
  longjmp (*ca->env, ca->jmpval);
}

static pid_t
clone_parent (jmp_buf *env, int jmpval)
{
  struct clone_t ca = { .env = env, .jmpval = jmpval };
  return clone (child_func, ca.stack_ptr, CLONE_PARENT | SIGCHLD, &ca);
}

static int
env_fd (const char *name)
{
  const char *v = getenv (name);
  char *end;
  long fd;

  if (v == NULL || *v == '\0')
    return -1;
  errno = 0;
  fd = strtol (v, &end, 10);
  if (errno || *end || fd < 0 || fd > 1 << 20)
    return -2;
  return (int) fd;
}

static void
setup_logpipe (void)
{
  const char *level = getenv (RT_ENV_LOGLEVEL);
  int fd = env_fd (RT_ENV_LOGPIPE);
  if (fd >= 0)
    nslog_fd = fd;
  nslog_debug = level && strcmp (level, "debug") == 0;
}

/* Sync reads and writes go on after a short count (a signal, a full socket buffer);
   end of file before LEN bytes is the peer's death. */
static void
xread (int fd, void *buf, size_t len, const char *what)
{
  size_t got = 0;

  while (got < len)
    {
      ssize_t n = read (fd, (char *) buf + got, len - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        bail ("failed to sync: read(%s)", what);
      if (n == 0)
        bailx ("failed to sync: read(%s): short read (%zu of %zu bytes)", what, got, len);
      got += (size_t) n;
    }
}

static void
xwrite (int fd, const void *buf, size_t len, const char *what)
{
  size_t done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, (const char *) buf + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        bail ("failed to sync: write(%s)", what);
      done += (size_t) n;
    }
}

static void
sync_send (int fd, uint8_t s, const char *what)
{
  xwrite (fd, &s, 1, what);
}

static void
sync_expect (int fd, uint8_t want, const char *what)
{
  uint8_t s;
  xread (fd, &s, 1, what);
  if (s != want)
    bailx ("failed to sync: got 0x%x, want %s (0x%x)", s, what, want);
}

/* Read the whole netlink message from the init pipe and decode it strictly. */
static char *
read_bootstrap (int pipenum, struct rt_bootstrap *b)
{
  struct nlmsghdr hdr;
  char errbuf[512];
  char *buf;

  xread (pipenum, &hdr, sizeof hdr, "bootstrap header");
  if (hdr.nlmsg_type != RT_INIT_MSG)
    bailx ("bootstrap: offset 0: message type %u, want INIT_MSG (%d)", hdr.nlmsg_type, RT_INIT_MSG);
  if (hdr.nlmsg_len < sizeof hdr || hdr.nlmsg_len > MAX_BOOTSTRAP_LEN)
    bailx ("bootstrap: offset 0: bad message length %u", hdr.nlmsg_len);
  buf = malloc (hdr.nlmsg_len);
  if (buf == NULL)
    bail ("bootstrap: allocate %u bytes", hdr.nlmsg_len);
  memcpy (buf, &hdr, sizeof hdr);
  if (hdr.nlmsg_len > sizeof hdr)
    xread (pipenum, buf + sizeof hdr, hdr.nlmsg_len - sizeof hdr, "bootstrap payload");
  if (rt_bootstrap_decode (buf, hdr.nlmsg_len, b, errbuf, sizeof errbuf) < 0)
    bailx ("bootstrap: %s", errbuf);
  if (!b->has_version)
    bailx ("bootstrap: no PROTOCOL_VERSION attribute: this nsinit speaks rt protocol %d",
           RT_PROTOCOL_VERSION);
  if (b->version != RT_PROTOCOL_VERSION)
    bailx ("bootstrap: protocol version %u, this nsinit speaks %d (rt and nsinit are from "
           "different builds)",
           b->version, RT_PROTOCOL_VERSION);
  return buf;
}

static void
write_proc_file (pid_t pid, const char *file, const char *data, size_t len)
{
  char path[64];
  int fd;

  snprintf (path, sizeof path, "/proc/%d/%s", pid, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    bail ("open %s", path);
  if (write (fd, data, len) != (ssize_t) len)
    bail ("write %s", path);
  close (fd);
}

/* newuidmap/newgidmap take "PID id host size id host size ..." as arguments: as many
   as the map has (validation allows the kernel's 340 ranges, 1020 numbers). */
static void
run_map_tool (const char *tool, pid_t pid, const char *map, size_t len)
{
  char *copy, pidstr[16], **argv, *save = NULL;
  size_t argc = 0;
  int status;
  pid_t child;

  copy = strndup (map, len);
  argv = calloc (len + 3, sizeof *argv); /* at most one word per byte */
  if (copy == NULL || argv == NULL)
    bail ("%s: allocate the arguments", tool);
  snprintf (pidstr, sizeof pidstr, "%d", pid);
  argv[argc++] = (char *) tool;
  argv[argc++] = pidstr;
  for (char *tok = strtok_r (copy, " \n", &save); tok; tok = strtok_r (NULL, " \n", &save))
    argv[argc++] = tok;
  argv[argc] = NULL;
  child = fork ();
  if (child < 0)
    bail ("fork %s", tool);
  if (child == 0)
    {
      execv (tool, argv);
      _exit (127);
    }
  if (waitpid (child, &status, 0) < 0)
    bail ("wait %s", tool);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    bailx ("%s failed with status %d", tool, status);
  free (argv);
  free (copy);
}

static void
update_map (const char *file, const char *tool, pid_t pid, const char *map, size_t len)
{
  char path[64];
  int fd;

  if (map == NULL || len == 0)
    return;
  snprintf (path, sizeof path, "/proc/%d/%s", pid, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && write (fd, map, len) == (ssize_t) len)
    {
      close (fd);
      return;
    }
  if (fd >= 0)
    close (fd);
  /* Several ranges as an unprivileged user need the setuid helper (runc does the same). */
  if ((errno == EPERM || errno == EACCES) && tool != NULL && *tool)
    {
      nsdebug ("writing %s failed, trying %s", path, tool);
      run_map_tool (tool, pid, map, len);
      return;
    }
  bail ("write %s", path);
}

/* The type field of "type:path" entries in NS_PATHS. */
static int
ns_flag (const char *type, size_t len)
{
  static const struct
  {
    const char *name;
    int flag;
  } names[] = {
    { "user", CLONE_NEWUSER },     { "ipc", CLONE_NEWIPC },   { "uts", CLONE_NEWUTS },
    { "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID },   { "mnt", CLONE_NEWNS },
    { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen (names[i].name) == len && strncmp (type, names[i].name, len) == 0)
      return names[i].flag;
  return 0;
}

/* Open every path first (they may be relative to namespaces about to be left), then
   setns in the order given; rt orders user first, as runc does. */
static void
join_namespaces (const char *nslist)
{
  struct
  {
    int fd, flag;
    char path[4096];
  } ns[16];
  int n = 0;
  const char *p = nslist;

  while (*p)
    {
      const char *end = strchrnul (p, ',');
      const char *colon = memchr (p, ':', end - p);
      size_t plen;

      if (n == 16)
        bailx ("too many namespaces to join");
      if (colon == NULL)
        bailx ("invalid namespace path entry \"%.*s\"", (int) (end - p), p);
      ns[n].flag = ns_flag (p, colon - p);
      if (ns[n].flag == 0)
        bailx ("unknown namespace type \"%.*s\"", (int) (colon - p), p);
      plen = end - colon - 1;
      if (plen == 0 || plen >= sizeof ns[n].path)
        bailx ("invalid namespace path for %.*s", (int) (colon - p), p);
      memcpy (ns[n].path, colon + 1, plen);
      ns[n].path[plen] = '\0';
      ns[n].fd = open (ns[n].path, O_RDONLY | O_CLOEXEC);
      if (ns[n].fd < 0)
        bail ("failed to open %s", ns[n].path);
      n++;
      p = *end ? end + 1 : end;
    }
  for (int i = 0; i < n; i++)
    {
      nsdebug ("setns %s", ns[i].path);
      if (setns (ns[i].fd, ns[i].flag) < 0)
        bail ("failed to setns to %s", ns[i].path);
      close (ns[i].fd);
    }
}

static void
report_pids (int pipenum, pid_t stage1, pid_t stage2)
{
  struct rt_msg_pids pids = { .stage1_pid = stage1, .stage2_pid = stage2 };

  if (rt_msg_send (pipenum, RT_MSG_PIDS, 0, &pids, sizeof pids) < 0)
    bail ("failed to send the pids to rt");
}

static void
update_oom_score_adj (const char *data, size_t len)
{
  if (data == NULL || len == 0)
    return;
  write_proc_file (getpid (), "oom_score_adj", data, len);
}

/* Stage 0 (rt:[0:PARENT]): serve stage 1 until it is done, then release the init. */
static void __attribute__ ((noreturn))
stage_parent (jmp_buf *env, int pipenum, const struct rt_bootstrap *b, int child_pipe[2],
              int grandchild_pipe[2])
{
  int childfd = child_pipe[0], grandchildfd = grandchild_pipe[0];
  pid_t stage1, stage2 = -1;
  bool done = false;

  prctl (PR_SET_NAME, (unsigned long) "rt:[0:PARENT]", 0, 0, 0);
  nsdebug ("~> nsexec stage-0");
  stage1 = clone_parent (env, JUMP_CHILD);
  if (stage1 < 0)
    bail ("unable to spawn stage-1");
  peer_pids[0] = stage1;
  nsdebug ("spawned stage-1 as %d", stage1);
  /* Stage 1 took its ends at clone time; with ours closed, its death is our EOF. */
  close (child_pipe[1]);
  close (grandchild_pipe[1]);

  while (!done)
    {
      uint8_t s;
      xread (childfd, &s, 1, "stage-1 request");
      switch (s)
        {
          case SYNC_USERMAP_PLS:
            nsdebug ("stage-1 requested user mappings");
            if (b->has_rootless_euid && b->rootless_euid && !(b->has_setgroup && b->setgroup))
              write_proc_file (stage1, "setgroups", "deny", 4);
            update_map ("uid_map", b->uidmappath, stage1, b->uidmap, b->uidmap_len);
            update_map ("gid_map", b->gidmappath, stage1, b->gidmap, b->gidmap_len);
            sync_send (childfd, SYNC_USERMAP_ACK, "SYNC_USERMAP_ACK");
            break;
          case SYNC_RECVPID_PLS:
            xread (childfd, &stage2, sizeof stage2, "stage-2 pid");
            peer_pids[1] = stage2;
            sync_send (childfd, SYNC_RECVPID_ACK, "SYNC_RECVPID_ACK");
            nsdebug ("forwarding stage-1 (%d) and stage-2 (%d) pids to rt", stage1, stage2);
            report_pids (pipenum, stage1, stage2);
            break;
          case SYNC_CHILD_FINISH:
            done = true;
            break;
          default:
            bailx ("unexpected sync value 0x%x from stage-1", s);
        }
    }
  if (stage2 < 0)
    bailx ("stage-1 finished without reporting the init's pid");

  /* Stage 1 is rt's child (CLONE_PARENT): rt reaps it and checks its status. */
  sync_send (grandchildfd, SYNC_GRANDCHILD, "SYNC_GRANDCHILD");
  sync_expect (grandchildfd, SYNC_CHILD_FINISH, "SYNC_CHILD_FINISH");
  nsdebug ("<~ nsexec stage-0");
  exit (0);
}

/* Stage 1 (rt:[1:CHILD]): namespaces, then the init. */
static void __attribute__ ((noreturn))
stage_child (jmp_buf *env, const struct rt_bootstrap *b, int syncfd, int grandchildfd)
{
  uint32_t flags = b->has_clone_flags ? b->clone_flags : 0;
  /* Rootless, stage 0 (and newuidmap, which checks who owns /proc/PID) writes our proc
     files as the user: they must not be root's, as they are while we are not dumpable. */
  bool dumpable = b->ns_paths || (b->has_rootless_euid && b->rootless_euid);
  pid_t stage2;

  prctl (PR_SET_NAME, (unsigned long) "rt:[1:CHILD]", 0, 0, 0);
  nstiming ("stage-1 CHILD: cloned");
  nsdebug ("~> nsexec stage-1");

  if (b->ns_paths)
    join_namespaces (b->ns_paths);

  if (flags & CLONE_NEWUSER)
    {
      if (unshare (CLONE_NEWUSER) < 0)
        bail ("failed to unshare user namespace");
      flags &= ~CLONE_NEWUSER;
      /* The parent writes our maps.  After setns() into other namespaces we are not
         dumpable, which would make /proc/self owned by the wrong user (runc). */
      if (dumpable && prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
        bail ("failed to set process as dumpable");
      sync_send (syncfd, SYNC_USERMAP_PLS, "SYNC_USERMAP_PLS");
      sync_expect (syncfd, SYNC_USERMAP_ACK, "SYNC_USERMAP_ACK");
      if (dumpable && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        bail ("failed to set process as non-dumpable");
      if (setresuid (0, 0, 0) < 0)
        bail ("failed to become root in user namespace");
    }

  /* The cgroup was applied to stage 0 before the message was sent, so unsharing the
     cgroup namespace here already makes the container's cgroup its root. */
  if (flags && unshare (flags) < 0)
    bail ("failed to unshare remaining namespaces (flags 0x%x)", flags);
  /* The new time namespace is ours to configure only until a process enters it: the init
     cloned next is the first (time_namespaces(7)). */
  if (b->time_offsets_len > 0)
    {
      if (!(flags & CLONE_NEWTIME))
        bailx ("time offsets without a new time namespace");
      write_proc_file (getpid (), "timens_offsets", b->time_offsets, b->time_offsets_len);
    }
  nstiming ("stage-1 CHILD: namespaces made");

  stage2 = clone_parent (env, JUMP_INIT);
  if (stage2 < 0)
    bail ("unable to spawn stage-2");
  peer_pids[1] = stage2;
  nsdebug ("spawned stage-2 as %d", stage2);
  close (grandchildfd); /* the init's end, inherited by it */
  sync_send (syncfd, SYNC_RECVPID_PLS, "SYNC_RECVPID_PLS");
  xwrite (syncfd, &stage2, sizeof stage2, "stage-2 pid");
  sync_expect (syncfd, SYNC_RECVPID_ACK, "SYNC_RECVPID_ACK");
  sync_send (syncfd, SYNC_CHILD_FINISH, "SYNC_CHILD_FINISH");
  nsdebug ("<~ nsexec stage-1");
  exit (0);
}

/* Stage 2 (rt:[2:INIT]): wait for the go, then return into main(). */
static void
stage_init (const struct rt_bootstrap *b, int syncfd)
{
  prctl (PR_SET_NAME, (unsigned long) "rt:[2:INIT]", 0, 0, 0);
  nstiming ("stage-2 INIT: cloned");
  nsdebug ("~> nsexec stage-2");
  sync_expect (syncfd, SYNC_GRANDCHILD, "SYNC_GRANDCHILD");
  if (setsid () < 0)
    bail ("setsid failed");
  if (setuid (0) < 0)
    bail ("setuid failed");
  if (setgid (0) < 0)
    bail ("setgid failed");
  if (!(b->has_rootless_euid && b->rootless_euid) && b->has_setgroup && b->setgroup
      && setgroups (0, NULL) < 0)
    bail ("setgroups failed");
  sync_send (syncfd, SYNC_CHILD_FINISH, "SYNC_CHILD_FINISH");
  close (syncfd);
  nsdebug ("<= nsexec stage-2: returning to main");
  nstiming ("stage-2 INIT: released, to main");
}

void nsexec (void);

void
nsexec (void)
{
  int pipenum, child_pipe[2], grandchild_pipe[2];
  struct rt_bootstrap b;
  jmp_buf env;
  char *blob;

  pipenum = env_fd (RT_ENV_INITPIPE);
  if (pipenum == -1)
    return; /* not started by rt: main() says so */
  setup_logpipe ();
  nstiming ("stage-0 PARENT: nsinit running (exec done)");
  if (pipenum < 0)
    bailx ("invalid %s", RT_ENV_INITPIPE);

  /* Nothing of the container may reach us through /proc/PID before exec. */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    bail ("failed to set process as non-dumpable");

  blob = read_bootstrap (pipenum, &b);
  nstiming ("stage-0 PARENT: bootstrap read");
  update_oom_score_adj (b.oom_score_adj, b.oom_score_adj_len);

  if (socketpair (AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0, child_pipe) < 0)
    bail ("failed to create the stage-1 sync socket");
  if (socketpair (AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0, grandchild_pipe) < 0)
    bail ("failed to create the stage-2 sync socket");

  switch (setjmp (env))
    {
      case JUMP_PARENT:
        stage_parent (&env, pipenum, &b, child_pipe, grandchild_pipe);
      case JUMP_CHILD:
        /* inherited from stage 0 at clone time: our ends are child_pipe[1] and, to pass
           on to the init, grandchild_pipe[1] */
        current_stage = STAGE_CHILD;
        peer_pids[0] = peer_pids[1] = -1; /* (a copy of stage 0's memory) */
        close (child_pipe[0]);
        close (grandchild_pipe[0]);
        stage_child (&env, &b, child_pipe[1], grandchild_pipe[1]);
      case JUMP_INIT:
        /* inherited from stage 1: child_pipe[1] and grandchild_pipe[1] */
        current_stage = STAGE_INIT;
        peer_pids[0] = peer_pids[1] = -1;
        close (child_pipe[1]);
        stage_init (&b, grandchild_pipe[1]);
        free (blob);
        return;
      default:
        bailx ("unexpected jump value");
    }
}

__attribute__ ((constructor)) static void
nsexec_constructor (void)
{
  nsexec ();
}
