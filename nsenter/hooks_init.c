/* The hooks that run inside the container's namespaces, from its init: createContainer
   (before pivot_root, in the rootfs as runc) and startContainer (just before the user
   process).  Each hook gets the OCI state on stdin, with the pid as the container sees
   it; a timeout kills it. */
#define _GNU_SOURCE
#include "init.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The state in a memfd rather than a pipe: a hook that never reads stdin cannot block
   us, so the timeout is the only clock. */
static int
state_fd (const char *state, rt_error_t *err)
{
  cleanup_close int fd = memfd_create ("rt-hook-state", MFD_CLOEXEC);
  size_t len = state ? strlen (state) : 0;

  if (fd < 0)
    return rt_error (err, errno, "memfd_create");
  if (write_all (fd, state, len) < 0 || lseek (fd, 0, SEEK_SET) < 0)
    return rt_error (err, errno, "write the state for the hook");
  return take_fd (&fd);
}

/* rt sends the state with the init's host pid; runtime.md: hooks in the container
   namespace get the pid as seen by the container.  rt writes "pid" right after "id" (a
   validated id: no quote in it), so the first "pid": key is the one. */
static char *
state_in_container (const char *state)
{
  const char *key = state ? strstr (state, "\"pid\":") : NULL;
  const char *num, *end;

  if (key == NULL)
    return xstrdup (state ? state : "");
  num = key + strlen ("\"pid\":");
  end = num + strspn (num, "0123456789");
  return xasprintf ("%.*s%d%s", (int) (num - state), state, (int) getpid (), end);
}

static void __attribute__ ((noreturn))
hook_child (const struct rt_hook *h, int stdin_fd, int cwd_fd, char *const *env)
{
  char *const default_args[] = { h->path, NULL };
  char *const empty_env[] = { NULL };

  if (dup2 (stdin_fd, 0) < 0 || (cwd_fd >= 0 && fchdir (cwd_fd) < 0))
    _exit (127);
  execve (h->path, h->args ? h->args : default_args, h->env ? h->env : env ? env : empty_env);
  dprintf (2, "nsinit: exec hook \"%s\": %s\n", h->path, rt_strerror (errno));
  _exit (127);
}

/* Wait for PID for at most TIMEOUT seconds (0: forever).  Returns 0 with *status,
   or 1 when it timed out (the hook is killed and reaped). */
static int
wait_hook (pid_t pid, int timeout, int *status, rt_error_t *err)
{
  cleanup_close int pidfd = -1;
  struct pollfd pfd;
  int r;

  if (timeout > 0)
    {
      pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
      if (pidfd < 0)
        return rt_error (err, errno, "pidfd_open");
      pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
      do
        r = poll (&pfd, 1, timeout * 1000);
      while (r < 0 && errno == EINTR);
      if (r == 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, status, 0);
          return 1;
        }
    }
  while (waitpid (pid, status, 0) < 0)
    if (errno != EINTR)
      return rt_error (err, errno, "waitpid");
  return 0;
}

static int
hook_run (const struct rt_hook *h, const char *state, int cwd_fd, char *const *env, rt_error_t *err)
{
  cleanup_close int in = state_fd (state, err);
  int status, r;
  pid_t pid;

  if (in < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return rt_error (err, errno, "fork");
  if (pid == 0)
    hook_child (h, in, cwd_fd, env);
  r = wait_hook (pid, h->has_timeout ? h->timeout : 0, &status, err);
  if (r < 0)
    return -1;
  if (r == 1)
    return rt_error (err, 0, "timed out after %d s", h->timeout);
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    return rt_error (err, 0, "exit status %d", WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    return rt_error (err, 0, "signal: %s", strsignal (WTERMSIG (status)));
  return 0;
}

int
hooks_run (const struct rt_hook *hooks, size_t n, const char *kind, const char *state, int cwd_fd,
           char *const *env, rt_error_t *err)
{
  cleanup_free char *ours = n > 0 ? state_in_container (state) : NULL;

  for (size_t i = 0; i < n; i++)
    {
      nsdebug ("running %s hook %zu: %s", kind, i, hooks[i].path);
      if (hook_run (&hooks[i], ours, cwd_fd, env, err) < 0)
        return rt_error_wrap (err, "%s hook %zu (%s)", kind, i, hooks[i].path);
    }
  return 0;
}
