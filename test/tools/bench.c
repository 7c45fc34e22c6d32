/* rt-bench: the timing and memory probes of scripts/bench.sh.  A shell loop forks and
   execs too slowly to time a 5 ms command with: here the clock reads around one
   posix_spawn + wait4 only.

     rt-bench [--host PID] COMMAND ...
         --host PID: first enter PID's mount and cgroup namespaces (the host's, from
         inside the bench's)
     rt-bench time OUT CMD...
         run CMD once (stdin and stdout /dev/null, stderr to OUT.err) and append the wall
         time in ns to OUT; exit 1, printing CMD's stderr, if CMD fails.
     rt-bench par N OUT CMD...
         start N copies of CMD at once ("{}" in an argument becomes the copy's number),
         wait for all; append "WALL_NS FAILURES" to OUT and each failure's stderr to
         OUT.err.
     rt-bench wait PID
         return when PID has exited (a pidfd: no polling).
     rt-bench rss PROG CMD...
         run CMD under ptrace and print "FRONT_KB STUB_KB": the peak RSS (VmHWM) of CMD's
         own process, and the largest of its descendants' (read at each execve entry and at
         each exit) -- except the container's program PROG (a path whose inode is the one
         the container execs), whose own memory is not the runtime's.  A vfork child
         (shares the parent's memory until it execs) is not counted separately. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void __attribute__ ((noreturn)) die (const char *what)
{
  fprintf (stderr, "rt-bench: %s: %s\n", what, strerror (errno));
  exit (2);
}

static long long
now_ns (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void
append (const char *path, const char *text)
{
  FILE *f = fopen (path, "a");

  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    die (path);
}

static void
cat_file (const char *path)
{
  char buf[4096];
  ssize_t n;
  int fd = open (path, O_RDONLY);

  while (fd >= 0 && (n = read (fd, buf, sizeof buf)) > 0)
    if (write (2, buf, n) < 0)
      break;
  if (fd >= 0)
    close (fd);
}

/* stdin and stdout /dev/null, stderr appended to ERR */
static void
spawn_actions (posix_spawn_file_actions_t *fa, const char *err)
{
  posix_spawn_file_actions_init (fa);
  posix_spawn_file_actions_addopen (fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (fa, 2, err, O_WRONLY | O_CREAT | O_APPEND, 0644);
}

static void
enter_host (const char *pid)
{
  static const struct
  {
    const char *name;
    int type;
  } ns[] = { { "cgroup", CLONE_NEWCGROUP }, { "mnt", CLONE_NEWNS } };
  char path[64];

  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    {
      int fd;

      snprintf (path, sizeof path, "/proc/%s/ns/%s", pid, ns[i].name);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0 || setns (fd, ns[i].type) < 0)
        die (path);
      close (fd);
    }
}

static int
cmd_time (int argc, char **argv)
{
  posix_spawn_file_actions_t fa;
  char err[4096], line[32];
  long long t0, t1;
  int status;
  pid_t pid;

  if (argc < 2)
    return 2;
  snprintf (err, sizeof err, "%s.err", argv[0]);
  unlink (err);
  spawn_actions (&fa, err);
  t0 = now_ns ();
  errno = posix_spawnp (&pid, argv[1], &fa, NULL, argv + 1, environ);
  if (errno != 0)
    die (argv[1]);
  if (waitpid (pid, &status, 0) < 0)
    die ("wait");
  t1 = now_ns ();
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "rt-bench: %s failed (status %#x):\n", argv[1], status);
      cat_file (err);
      return 1;
    }
  snprintf (line, sizeof line, "%lld\n", t1 - t0);
  append (argv[0], line);
  return 0;
}

static char **
with_index (int argc, char **argv, int i)
{
  char **v = calloc (argc + 1, sizeof *v);

  if (v == NULL)
    die ("calloc");
  for (int a = 0; a < argc; a++)
    {
      char *brace = strstr (argv[a], "{}");

      if (brace == NULL)
        v[a] = argv[a];
      else if (asprintf (&v[a], "%.*s%d%s", (int) (brace - argv[a]), argv[a], i, brace + 2) < 0)
        die ("asprintf");
    }
  return v;
}

static int
cmd_par (int argc, char **argv)
{
  posix_spawn_file_actions_t fa;
  char err[4096], line[64];
  int n, failures = 0, status;
  long long t0;
  pid_t *pids;

  if (argc < 3 || (n = atoi (argv[0])) <= 0)
    return 2;
  pids = calloc (n, sizeof *pids);
  snprintf (err, sizeof err, "%s.err", argv[1]);
  spawn_actions (&fa, err);
  t0 = now_ns ();
  for (int i = 0; i < n; i++)
    {
      errno = posix_spawnp (&pids[i], argv[2], &fa, NULL, with_index (argc - 2, argv + 2, i),
                            environ);
      if (errno != 0)
        die (argv[2]);
    }
  for (int i = 0; i < n; i++)
    {
      if (waitpid (pids[i], &status, 0) < 0)
        die ("wait");
      failures += !WIFEXITED (status) || WEXITSTATUS (status) != 0;
    }
  snprintf (line, sizeof line, "%lld %d\n", now_ns () - t0, failures);
  append (argv[1], line);
  return 0;
}

static int
cmd_wait (int argc, char **argv)
{
  struct pollfd p = { .events = POLLIN };

  if (argc != 1)
    return 2;
  p.fd = syscall (SYS_pidfd_open, atoi (argv[0]), 0);
  if (p.fd < 0)
    return errno == ESRCH ? 0 : (die ("pidfd_open"), 1);
  while (poll (&p, 1, -1) < 0)
    if (errno != EINTR)
      die ("poll");
  return 0;
}

/* ---- rss ---- */

struct tracee
{
  pid_t pid;
  unsigned char seen, vfork_child;
};

static struct tracee tracees[65536];

static struct tracee *
tracee (pid_t pid)
{
  for (size_t i = 0, h = (size_t) pid % 65536;; i++, h = (h + 1) % 65536)
    if (tracees[h].pid == pid || tracees[h].pid == 0 || i == 65535)
      {
        tracees[h].pid = pid;
        return &tracees[h];
      }
}

/* VmHWM in kB and the thread group of PID (0 when gone) */
static long
vm_hwm (pid_t pid, pid_t *tgid)
{
  char path[64], line[256];
  long kb = 0;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/status", pid);
  f = fopen (path, "r");
  *tgid = pid;
  if (f == NULL)
    return 0;
  while (fgets (line, sizeof line, f))
    {
      if (strncmp (line, "Tgid:", 5) == 0)
        *tgid = atoi (line + 5);
      else if (strncmp (line, "VmHWM:", 6) == 0)
        kb = atol (line + 6);
    }
  fclose (f);
  return kb;
}

static int
is_prog (pid_t pid, const struct stat *prog)
{
  char path[64];
  struct stat st;

  snprintf (path, sizeof path, "/proc/%d/exe", pid);
  return stat (path, &st) == 0 && st.st_dev == prog->st_dev && st.st_ino == prog->st_ino;
}

struct peaks
{
  pid_t root;
  long front, stub;
  int root_execs;
};

static void
account (struct peaks *pk, pid_t pid, long kb, pid_t tgid)
{
  long *slot = tgid == pk->root ? &pk->front : &pk->stub;

  if (kb > *slot)
    *slot = kb;
}

static void
on_syscall (struct peaks *pk, pid_t pid)
{
  struct __ptrace_syscall_info si;
  pid_t tgid;
  long kb;

  if (ptrace (PTRACE_GET_SYSCALL_INFO, pid, sizeof si, &si) <= 0
      || si.op != PTRACE_SYSCALL_INFO_ENTRY
      || (si.entry.nr != SYS_execve && si.entry.nr != SYS_execveat))
    return;
  kb = vm_hwm (pid, &tgid);
  if (tgid == pk->root && pk->root_execs++ == 0)
    return; /* our own child, before it becomes CMD */
  if (!tracee (pid)->vfork_child)
    account (pk, pid, kb, tgid);
}

static int
cmd_rss (int argc, char **argv)
{
  struct peaks pk = { 0 };
  struct stat prog;
  int status, sig;
  pid_t pid;

  if (argc < 2)
    return 2;
  if (stat (argv[0], &prog) < 0)
    die (argv[0]);
  pk.root = fork ();
  if (pk.root < 0)
    die ("fork");
  if (pk.root == 0)
    {
      int null = open ("/dev/null", O_RDWR);

      dup2 (null, 0);
      dup2 (null, 1);
      ptrace (PTRACE_TRACEME, 0, 0, 0);
      raise (SIGSTOP);
      execvp (argv[1], argv + 1);
      _exit (127);
    }
  if (waitpid (pk.root, &status, 0) < 0)
    die ("wait");
  if (ptrace (PTRACE_SETOPTIONS, pk.root, 0,
              PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK
                  | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL)
      < 0)
    die ("ptrace");
  tracee (pk.root)->seen = 1;
  ptrace (PTRACE_SYSCALL, pk.root, 0, 0);
  while ((pid = waitpid (-1, &status, __WALL)) > 0)
    {
      struct tracee *t = tracee (pid);
      int event = status >> 16;
      unsigned long msg;
      pid_t tgid;

      if (!WIFSTOPPED (status))
        continue;
      sig = 0;
      if (WSTOPSIG (status) == (SIGTRAP | 0x80))
        on_syscall (&pk, pid);
      else if (event == PTRACE_EVENT_EXIT)
        {
          long kb = vm_hwm (pid, &tgid);
          if (!t->vfork_child && !is_prog (pid, &prog))
            account (&pk, pid, kb, tgid);
        }
      else if (event == PTRACE_EVENT_EXEC)
        t->vfork_child = 0;
      else if (event == PTRACE_EVENT_VFORK && ptrace (PTRACE_GETEVENTMSG, pid, 0, &msg) == 0)
        tracee ((pid_t) msg)->vfork_child = 1;
      else if (event == 0 && WSTOPSIG (status) == SIGSTOP && !t->seen)
        ; /* the stop every new tracee starts with */
      else if (event == 0)
        sig = WSTOPSIG (status);
      t->seen = 1;
      ptrace (PTRACE_SYSCALL, pid, 0, sig);
    }
  printf ("%ld %ld\n", pk.front, pk.stub);
  return 0;
}

int
main (int argc, char **argv)
{
  int r = 2;

  if (argc >= 3 && strcmp (argv[1], "--host") == 0)
    {
      enter_host (argv[2]);
      argc -= 2, argv += 2;
    }
  if (argc >= 2 && strcmp (argv[1], "time") == 0)
    r = cmd_time (argc - 2, argv + 2);
  else if (argc >= 2 && strcmp (argv[1], "par") == 0)
    r = cmd_par (argc - 2, argv + 2);
  else if (argc >= 2 && strcmp (argv[1], "wait") == 0)
    r = cmd_wait (argc - 2, argv + 2);
  else if (argc >= 2 && strcmp (argv[1], "rss") == 0)
    r = cmd_rss (argc - 2, argv + 2);
  if (r == 2)
    fprintf (stderr, "usage: rt-bench time|par|wait|rss ... (see test/tools/bench.c)\n");
  return r;
}
