/* The conversation with nsinit shared by create and exec (see session.h). */
#define _GNU_SOURCE
#include "session.h"
#include "fdpass.h"
#include "launch.h"
#include "linux_attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

/* ---- the log pipe ---- */

/* The message of a log line; *fatal for level fatal; *timing for a "timing: " line
   (--debug), which goes to the breakdown (trace.c) instead. */
static char *
log_line_msg (const char *line, bool *fatal, bool *timing)
{
  const char *lvl_path[] = { "level", NULL }, *msg_path[] = { "msg", NULL },
             *t_path[] = { "t", NULL };
  yajl_val root = yajl_tree_parse (line, NULL, 0), lvl, msg, t;
  char *r = NULL;

  *fatal = *timing = false;
  if (root == NULL)
    return NULL;
  lvl = yajl_tree_get (root, lvl_path, yajl_t_string);
  msg = yajl_tree_get (root, msg_path, yajl_t_string);
  t = yajl_tree_get (root, t_path, yajl_t_number);
  if (lvl && msg && t && YAJL_IS_INTEGER (t) && strncmp (msg->u.string, "timing: ", 8) == 0)
    {
      rt_trace_stub (msg->u.string + 8, YAJL_GET_INTEGER (t));
      *timing = true;
    }
  else if (lvl && msg)
    {
      const char *l = YAJL_GET_STRING (lvl), *m = YAJL_GET_STRING (msg);
      *fatal = l && strcmp (l, "fatal") == 0;
      r = xstrdup (m ? m : "");
    }
  yajl_tree_free (root);
  return r;
}

static void
handle_log_line (struct rt_session *x, const char *line)
{
  bool fatal, timing;
  char *msg = log_line_msg (line, &fatal, &timing);

  if (msg && fatal)
    {
      /* The stub's first fatal message is the error rt prints, once: a later one is
         a stage that lost its peer because of the first (a short read). */
      if (x->stub_error == NULL)
        x->stub_error = msg;
      else
        free (msg);
      return;
    }
  free (msg);
  if (!timing)
    rt_log_forward (line);
}

/* Read what is available; forward whole lines.  Returns false at EOF. */
static bool
drain_logs (struct rt_session *x)
{
  ssize_t n;
  char *nl;

  if (x->logfd < 0)
    return false;
  n = read (x->logfd, x->logbuf + x->loglen, sizeof x->logbuf - 1 - x->loglen);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  if (n <= 0)
    {
      close (x->logfd);
      x->logfd = -1;
      return false;
    }
  x->loglen += n;
  x->logbuf[x->loglen] = '\0';
  while ((nl = strchr (x->logbuf, '\n')) != NULL)
    {
      *nl = '\0';
      handle_log_line (x, x->logbuf);
      x->loglen -= nl + 1 - x->logbuf;
      memmove (x->logbuf, nl + 1, x->loglen + 1);
    }
  if (x->loglen == sizeof x->logbuf - 1)
    x->loglen = 0; /* an overlong line: drop it rather than stall */
  return true;
}

/* Forward the log to its end: until every writer (the stages, the init) has exited or
   exec'd.  Waits in poll: a read loop on the non-blocking pipe would spin, taking a CPU
   from the init that is finishing. */
void
rt_session_drain_logs (struct rt_session *x)
{
  while (x->logfd >= 0)
    {
      struct pollfd p = { .fd = x->logfd, .events = POLLIN };

      if (poll (&p, 1, -1) < 0 && errno != EINTR)
        return;
      drain_logs (x);
    }
}

/* Receive one frame from nsinit, forwarding logs meanwhile.  1 = EOF. */
int
rt_session_recv (struct rt_session *x, struct rt_msg_hdr *hdr, char **data, rt_error_t *err)
{
  for (;;)
    {
      struct pollfd p[2]
          = { { .fd = x->sock, .events = POLLIN }, { .fd = x->logfd, .events = POLLIN } };
      if (poll (p, x->logfd >= 0 ? 2 : 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return rt_error (err, errno, "poll");
        }
      if (x->logfd >= 0 && p[1].revents)
        drain_logs (x);
      if (p[0].revents == 0)
        continue;
      if (rt_msg_recv (x->sock, hdr, data) == 0)
        return 0;
      if (errno == EIO || errno == ECONNRESET)
        return 1;
      return rt_error (err, errno, "read from the init socket");
    }
}

/* The stub died: its fatal log line says why. */
int
rt_session_failed (struct rt_session *x, const char *when, rt_error_t *err)
{
  rt_session_drain_logs (x);
  if (x->stub_error)
    return rt_error (err, 0, "%s", x->stub_error);
  return rt_error (err, 0, "nsinit exited %s", when);
}

static int
reap (pid_t pid, const char *name, rt_error_t *err)
{
  int status;

  while (waitpid (pid, &status, __WALL) < 0)
    if (errno != EINTR)
      return rt_error (err, errno, "wait for %s (%d)", name, pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  return -1;
}

void
rt_session_init (struct rt_session *s)
{
  memset (s, 0, sizeof *s);
  s->sock = -1;
  s->logfd = -1;
}

/* The first kind of limit R asks for (device rules do not count: rootless cannot have
   them, runc ignores them), or NULL. */
static const char *
limit_asked (const struct rt_resources *r)
{
  if (r == NULL)
    return NULL;
  if (r->memory.has_limit || r->memory.has_reservation || r->memory.has_swap || r->memory.has_kernel
      || r->memory.has_kernel_tcp || r->memory.has_swappiness || r->memory.has_disable_oom_killer)
    return "memory";
  if (r->pids.has_limit)
    return "pids";
  if (r->cpu.has_shares || r->cpu.has_quota || r->cpu.has_burst || r->cpu.has_period
      || r->cpu.has_realtime_runtime || r->cpu.has_realtime_period || r->cpu.has_idle || r->cpu.cpus
      || r->cpu.mems)
    return "cpu";
  if (r->blkio.has_weight || r->blkio.has_leaf_weight || r->blkio.n_weight_device
      || r->blkio.n_throttle_read_bps || r->blkio.n_throttle_write_bps
      || r->blkio.n_throttle_read_iops || r->blkio.n_throttle_write_iops)
    return "blkio";
  if (r->n_hugepage_limits)
    return "hugetlb";
  if (r->network.has_class_id || r->network.n_priorities)
    return "network";
  if (r->n_rdma)
    return "rdma";
  if (r->n_unified)
    return "unified";
  return NULL;
}

/* Creating or joining the cgroup failed.  Rootless and not delegated (runc): go on
   without a cgroup, unless the container asks for limits it then cannot have, or for
   that cgroup by its linux.cgroupsPath. */
static int
cgroup_failed (struct rt_session *s, const struct rt_session_opts *o, rt_error_t *err)
{
  const char *limit = limit_asked (o->resources);
  int e = (*err)->status;
  cleanup_error rt_error_t ignored = NULL;

  if (geteuid () == 0 || (e != EACCES && e != EPERM && e != EROFS))
    return -1;
  if (!o->cgroup_default)
    return rt_error_wrap (err, "linux.cgroupsPath %s: not delegated to this user", o->cg->path);
  if (limit)
    return rt_error_wrap (err, "cannot set the %s limit: cgroup %s is not delegated to this user",
                          limit, o->cg->path);
  rt_log (RT_LOG_WARN, "cgroup %s: not delegated, continuing without (%s)", o->cg->path,
          (*err)->msg);
  rt_error_free (err); /* handled: the container goes on without a cgroup */
  o->cg->ops->destroy (o->cg, &ignored);
  s->no_cgroup = true;
  return 0;
}

/* Rootless, device rules need CAP_SYS_ADMIN on the host: leave them alone, as `update`
   does (runc ignores their errors). */
static int
cgroup_set (const struct rt_session_opts *o, rt_error_t *err)
{
  bool update = o->cg->update;
  int r;

  o->cg->update = update || geteuid () != 0;
  r = o->cg->ops->set (o->cg, o->resources, err);
  o->cg->update = update;
  return r;
}

int
rt_session_set_resources (struct rt_session *s, const struct rt_session_opts *o, rt_error_t *err)
{
  if (o->cg == NULL || s->no_cgroup || o->resources == NULL)
    return 0;
  return cgroup_set (o, err);
}

int
rt_session_prepare_resources (struct rt_session *s, const struct rt_session_opts *o,
                              rt_error_t *err)
{
  /* rootless: no device rules (cgroup_set) */
  if (o->cg == NULL || s->no_cgroup || o->resources == NULL || o->cg->ops->prepare == NULL
      || geteuid () != 0)
    return 0;
  return o->cg->ops->prepare (o->cg, o->resources, err);
}

/* The bootstrap message, and right behind it the init config: stage 0 reads exactly the
   message, the init reads the config when it reaches main(), without waiting for rt to
   wake up on the pids.  MSG_NOSIGNAL: a stub that died says why in its log (EPIPE). */
static int
send_bootstrap (struct rt_session *s, const struct rt_session_opts *o)
{
  struct rt_msg_hdr hdr = { .type = RT_MSG_CONFIG, .len = (uint32_t) o->config_len };
  struct iovec iov[3] = { { (void *) o->blob, o->blob_len },
                          { &hdr, sizeof hdr },
                          { (void *) o->config, o->config_len } };
  struct msghdr m = { .msg_iov = iov, .msg_iovlen = o->config ? 3 : 1 };

  while (m.msg_iovlen > 0)
    {
      ssize_t n = sendmsg (s->sock, &m, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      while (m.msg_iovlen > 0 && (size_t) n >= m.msg_iov[0].iov_len)
        {
          n -= (ssize_t) m.msg_iov[0].iov_len;
          m.msg_iov++;
          m.msg_iovlen--;
        }
      if (m.msg_iovlen > 0)
        {
          m.msg_iov[0].iov_base = (char *) m.msg_iov[0].iov_base + n;
          m.msg_iov[0].iov_len -= (size_t) n;
        }
    }
  return 0;
}

int
rt_session_start (struct rt_session *s, const struct rt_session_opts *o, rt_error_t *err)
{
  cleanup_free char *payload = NULL;
  cleanup_close int child_sock = -1, log_w = -1;
  int sv[2], lp[2];
  struct rt_msg_pids pids;
  struct rt_msg_hdr hdr;
  cleanup_close int cgfd = -1;
  bool placed = false;
  int r;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return rt_error (err, errno, "socketpair");
  s->sock = sv[0];
  child_sock = sv[1];
  if (pipe2 (lp, O_CLOEXEC) < 0)
    return rt_error (err, errno, "pipe");
  s->logfd = lp[0];
  log_w = lp[1];
  fcntl (s->logfd, F_SETFL, O_NONBLOCK);

  /* v2: create the cgroup first and start nsinit inside it (CLONE_INTO_CGROUP) */
  if (o->cg && o->cg->ops->open_dir (o->cg, &cgfd, err) < 0 && cgroup_failed (s, o, err) < 0)
    return -1;
  rt_trace_mark ("cgroup made");

  cpu_set_t cpus;
  if (o->cpu_affinity && *o->cpu_affinity
      && rt_parse_id_list (o->cpu_affinity, cpus.__bits, CPU_SETSIZE,
                           "process.execCPUAffinity.initial", err)
             < 0)
    return -1;
  struct rt_launch l = { .inittype = o->inittype,
                         .initpipe = child_sock,
                         .logpipe = log_w,
                         .extra_fds = o->extra_fds,
                         .n_extra_fds = o->n_extra_fds,
                         .preserve_fds = o->preserve_fds,
                         .cwd = o->cwd,
                         .cgroup_fd = cgfd,
                         .affinity = o->cpu_affinity && *o->cpu_affinity ? &cpus : NULL };
  s->stage0 = rt_launch_nsinit (&l, &placed, err);
  if (s->stage0 < 0)
    {
      s->stage0 = 0;
      return -1;
    }
  close (take_fd (&child_sock));
  close (take_fd (&log_w));
  rt_trace_mark ("nsinit spawned (sealed copy, clone3, exec)");

  /* Before the stub clones anything, so every stage starts in the container's cgroup. */
  if (o->cg && !s->no_cgroup && !placed && o->cg->ops->apply (o->cg, s->stage0, err) < 0
      && cgroup_failed (s, o, err) < 0)
    return -1;
  if (send_bootstrap (s, o) < 0)
    return rt_session_lost (s, "read the bootstrap message and its config", err);
  r = rt_session_recv (s, &hdr, &payload, err);
  if (r < 0)
    return -1;
  if (r == 1 || hdr.type != RT_MSG_PIDS)
    return rt_session_failed (s, "during the bootstrap", err);
  if (hdr.len != sizeof pids)
    return rt_error (err, 0, "stage pids: %u bytes instead of %zu", hdr.len, sizeof pids);
  memcpy (&pids, payload, sizeof pids);
  if (pids.stage1_pid <= 0 || pids.stage2_pid <= 0)
    return rt_error (err, 0, "stage pids: %d and %d", pids.stage1_pid, pids.stage2_pid);
  s->stage1 = pids.stage1_pid;
  s->pid = pids.stage2_pid;
  return 0;
}

int
rt_session_reap_stages (struct rt_session *s, rt_error_t *err)
{
  int r;

  /* Both stages are our children (CLONE_PARENT) and exit once the init runs. */
  r = reap (s->stage0, "stage-0", err);
  s->stage0 = 0;
  if (r < 0)
    return rt_session_failed (s, "with an error in stage 0", err);
  r = reap (s->stage1, "stage-1", err);
  s->stage1 = 0;
  if (r < 0)
    return rt_session_failed (s, "with an error in stage 1", err);
  return 0;
}

int
rt_session_lost (struct rt_session *s, const char *what, rt_error_t *err)
{
  cleanup_free char *when = xasprintf ("before it could %s", what);
  int saved = errno;

  if (saved != EPIPE && saved != ECONNRESET)
    return rt_error (err, saved, "%s", what);
  /* its RT_MSG_ERROR, if it sent one, is still in the socket */
  for (;;)
    {
      cleanup_error rt_error_t ignored = NULL;
      cleanup_free char *data = NULL;
      struct rt_msg_hdr hdr;

      if (rt_session_recv (s, &hdr, &data, &ignored) != 0)
        break;
      if (hdr.type == RT_MSG_ERROR)
        {
          rt_session_drain_logs (s);
          return rt_error (err, 0, "%s", data);
        }
    }
  return rt_session_failed (s, when, err);
}

int
rt_session_send_run (struct rt_session *s, const char *seccomp, size_t seccomp_len,
                     const char *state, rt_error_t *err)
{
  if ((seccomp
       && rt_msg_send (s->sock, RT_MSG_SECCOMP_PROG, 0, seccomp, (uint32_t) seccomp_len) < 0)
      || rt_msg_send (s->sock, RT_MSG_RUN, 0, state, state ? (uint32_t) strlen (state) : 0) < 0)
    return rt_session_lost (s, "be told to run", err);
  return 0;
}

void
rt_session_kill (struct rt_session *s)
{
  pid_t pids[] = { s->stage0, s->stage1, s->pid };

  for (size_t i = 0; i < ARRAY_SIZE (pids); i++)
    if (pids[i] > 0 && kill (pids[i], SIGKILL) == 0)
      waitpid (pids[i], NULL, __WALL);
}

void
rt_session_close (struct rt_session *s)
{
  if (s->sock >= 0)
    close (s->sock);
  if (s->logfd >= 0)
    close (s->logfd);
  s->sock = s->logfd = -1;
  free (s->stub_error);
  s->stub_error = NULL;
}

int
rt_connect_console (const char *path, rt_error_t *err)
{
  int fd = rt_unix_connect (path);

  if (fd < 0)
    return rt_error (err, errno, "connect to console socket \"%s\"", path);
  return fd;
}

int
rt_write_pid_file (const char *path, pid_t pid, rt_error_t *err)
{
  char buf[32], abs[PATH_MAX];
  int n = snprintf (buf, sizeof buf, "%d", pid);
  cleanup_free char *joined = NULL;

  if (path[0] != '/')
    {
      if (getcwd (abs, sizeof abs) == NULL)
        return rt_error (err, errno, "getcwd");
      path = joined = xasprintf ("%s/%s", abs, path);
    }
  return write_file_atomic (path, buf, n, 0644, err);
}
