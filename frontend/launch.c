/* Executing nsinit.  The container's processes can reach the binary they run through
   /proc/PID/exe; if that were the host's nsinit, a container could overwrite it
   (CVE-2019-5736).  So nsinit always runs from a sealed memfd copy: the container sees a
   file that cannot be written, grown or shrunk. */
#define _GNU_SOURCE
#include "launch.h"
#include "rt.h"
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/close_range.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>
#include <signal.h>
#include <unistd.h>

extern char **environ;

/* $RT_NSINIT, else <bindir>/../libexec/rt/nsinit (installed), else <bindir>/nsinit (build). */
static int
find_nsinit (char *out, size_t len, rt_error_t *err)
{
  const char *env = getenv ("RT_NSINIT");
  char self[PATH_MAX];
  ssize_t n;

  if (env && *env)
    {
      if (access (env, X_OK) < 0)
        return rt_error (err, errno, "RT_NSINIT \"%s\"", env);
      snprintf (out, len, "%s", env);
      return 0;
    }
  n = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (n < 0)
    return rt_error (err, errno, "readlink /proc/self/exe");
  self[n] = '\0';
  dirname (self);
  if (snprintf (out, len, "%s/../%s/nsinit", self, RT_LIBEXECDIR + (RT_LIBEXECDIR[0] == '/'))
          < (int) len
      && access (out, X_OK) == 0)
    return 0;
  if (snprintf (out, len, "%s/nsinit", self) < (int) len && access (out, X_OK) == 0)
    return 0;
  return rt_error (err, ENOENT, "cannot find nsinit next to %s (set RT_NSINIT)", self);
}

static int
sealed_copy (const char *path, rt_error_t *err)
{
  cleanup_close int src = open (path, O_RDONLY | O_CLOEXEC);
  cleanup_close int memfd = -1;
  struct stat st;
  off_t off = 0;

  if (src < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  if (fstat (src, &st) < 0)
    return rt_error (err, errno, "stat \"%s\"", path);
  memfd = memfd_create ("rt:nsinit", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (memfd < 0)
    return rt_error (err, errno, "memfd_create");
  while (off < st.st_size)
    {
      ssize_t n = sendfile (memfd, src, &off, st.st_size - off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return rt_error (err, n < 0 ? errno : EIO, "copy \"%s\" to a memfd", path);
    }
  if (fcntl (memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    return rt_error (err, errno, "seal the nsinit memfd");
  return take_fd (&memfd);
}

static char *
env_entry (const char *name, int value)
{
  return xasprintf ("%s=%d", name, value);
}

/* In the child: only close_range, sigprocmask, fcntl, chdir and exec (async-signal-safe,
   no allocation). */
static int
child_exec (const struct rt_launch *l, int exe, char **argv, char **envp)
{
  sigset_t none;

  /* Whatever else our caller left open must not reach nsinit: a created container's init
     waits holding its fds, where /proc/1/fd is in the container's reach (CVE-2024-21626). */
  syscall (SYS_close_range, 3 + (unsigned) l->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
  /* a foreground rt blocks every signal to forward them; nsinit starts clean */
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  fcntl (l->initpipe, F_SETFD, 0);
  fcntl (l->logpipe, F_SETFD, 0);
  for (size_t i = 0; i < l->n_extra_fds; i++)
    fcntl (l->extra_fds[i], F_SETFD, 0);
  for (int fd = 3; fd < 3 + l->preserve_fds; fd++)
    fcntl (fd, F_SETFD, 0);
  if (l->cwd && chdir (l->cwd) < 0)
    return errno;
  if (l->affinity && sched_setaffinity (0, sizeof (cpu_set_t), l->affinity) < 0)
    return errno;
  syscall (SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
  return errno;
}

/* clone3(CLONE_INTO_CGROUP) has fork semantics: an exec failure comes back through a
   close-on-exec pipe (EOF means the exec happened). */
static pid_t
spawn_into_cgroup (const struct rt_launch *l, int exe, char **argv, char **envp, rt_error_t *err)
{
  struct clone_args args
      = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t) l->cgroup_fd };
  int p[2], child_errno = 0;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return rt_error (err, errno, "pipe");
  pid = (pid_t) syscall (SYS_clone3, &args, sizeof args);
  if (pid == 0)
    {
      int e = child_exec (l, exe, argv, envp);
      if (write (p[1], &e, sizeof e) < 0)
        _exit (127);
      _exit (127);
    }
  close (p[1]);
  if (pid < 0)
    {
      close (p[0]);
      return -2; /* no clone3 into this cgroup: the caller falls back */
    }
  if (read (p[0], &child_errno, sizeof child_errno) != sizeof child_errno)
    child_errno = 0;
  close (p[0]);
  if (child_errno != 0)
    {
      waitpid (pid, NULL, 0);
      return rt_error (err, child_errno, "exec nsinit");
    }
  return pid;
}

static pid_t
spawn (const struct rt_launch *l, int exe, char **argv, char **envp, bool *placed, rt_error_t *err)
{
  volatile int child_errno = 0; /* shared with the vfork child */
  pid_t pid;

  *placed = false;
  if (l->cgroup_fd >= 0)
    {
      pid = spawn_into_cgroup (l, exe, argv, envp, err);
      if (pid != -2)
        {
          *placed = pid > 0;
          return pid;
        }
      rt_log (RT_LOG_DEBUG, "clone3 into cgroup: %s; moving nsinit instead", rt_strerror (errno));
    }
  /* vfork: the child shares our memory until it execs, so its errno is ours to read. */
  pid = vfork ();
  if (pid < 0)
    return rt_error (err, errno, "fork nsinit");
  if (pid == 0)
    {
      child_errno = child_exec (l, exe, argv, envp);
      _exit (127);
    }
  if (child_errno != 0)
    {
      waitpid (pid, NULL, 0);
      return rt_error (err, child_errno, "exec nsinit");
    }
  return pid;
}

pid_t
rt_launch_nsinit (const struct rt_launch *l, bool *placed, rt_error_t *err)
{
  char path[PATH_MAX];
  char *argv[] = { "rt:[0:PARENT]", "init", NULL };
  cleanup_free char **envp = NULL;
  cleanup_free char *e_init = NULL, *e_log = NULL, *e_type = NULL;
  cleanup_close int exe = -1;
  size_t n_env = strv_len (environ), k = 0;

  if (find_nsinit (path, sizeof path, err) < 0)
    return -1;
  exe = sealed_copy (path, err);
  if (exe < 0)
    return -1;

  e_init = env_entry (RT_ENV_INITPIPE, l->initpipe);
  e_log = env_entry (RT_ENV_LOGPIPE, l->logpipe);
  e_type = xasprintf ("%s=%s", RT_ENV_INITTYPE, l->inittype);
  envp = xcalloc (n_env + 5, sizeof (char *));
  for (size_t i = 0; i < n_env; i++)
    if (strncmp (environ[i], "_RT_", 4) != 0)
      envp[k++] = environ[i];
  envp[k++] = e_init;
  envp[k++] = e_log;
  envp[k++] = e_type;
  if (rt_global.debug)
    envp[k++] = RT_ENV_LOGLEVEL "=debug";
  envp[k] = NULL;

  return spawn (l, exe, argv, envp, placed, err);
}
