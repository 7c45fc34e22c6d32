/* One OCI hook (hook.h): fork+exec with the state JSON on stdin, its args and env,
   honouring its timeout.  The hook's stdout and stderr are collected for the error
   message.  Shared by rt and nsinit. */
#define _GNU_SOURCE
#include "hook.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX 4096

struct hook_run
{
  pid_t pid;
  int pidfd;
  int in, out, err; /* our ends: stdin to write, stdout/stderr to read; -1 when done */
  const char *state;
  size_t state_len, written;
  char output[2][OUTPUT_MAX + 1];
  size_t output_len[2];
};

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
hook_run_close (struct hook_run *r)
{
  close_fd (&r->pidfd);
  close_fd (&r->in);
  close_fd (&r->out);
  close_fd (&r->err);
  if (r->pid > 0)
    {
      kill (r->pid, SIGKILL);
      while (waitpid (r->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
}
#define cleanup_hook_run __attribute__ ((cleanup (hook_run_close)))

/* dup2 onto TARGET; an fd that already is TARGET keeps its O_CLOEXEC otherwise. */
static int
move_fd (int fd, int target)
{
  if (fd == target)
    return fcntl (fd, F_SETFD, 0);
  return dup2 (fd, target) < 0 ? -1 : 0;
}

static void __attribute__ ((noreturn))
child (const struct rt_hook *h, int in, int out, int err, int cwd_fd, char *const *env)
{
  char *default_args[] = { h->path, NULL };
  char **args = h->n_args > 0 ? h->args : default_args;
  sigset_t none;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  setpgid (0, 0); /* a timeout kills the hook with whatever it started */
  /* stdout first: the pipes may have landed on 0-2 if rt's own stdio was closed */
  if ((out = out == 0 || out == 2 ? fcntl (out, F_DUPFD_CLOEXEC, 3) : out) < 0
      || (err = err < 2 ? fcntl (err, F_DUPFD_CLOEXEC, 3) : err) < 0 || move_fd (in, 0) < 0
      || move_fd (out, 1) < 0 || move_fd (err, 2) < 0)
    _exit (127);
  if (cwd_fd >= 0 && fchdir (cwd_fd) < 0)
    {
      dprintf (2, "chdir for the hook: %s", rt_strerror (errno));
      _exit (127);
    }
  if (h->env != NULL)
    execve (h->path, args, h->env);
  else if (env != NULL)
    execve (h->path, args, env);
  else
    execv (h->path, args);
  dprintf (2, "exec \"%s\": %s", h->path, rt_strerror (errno));
  _exit (127);
}

static int
spawn (const struct rt_hook *h, struct hook_run *r, int cwd_fd, char *const *env, rt_error_t *err)
{
  int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };

  if (pipe2 (in, O_CLOEXEC) < 0 || pipe2 (out, O_CLOEXEC) < 0 || pipe2 (errp, O_CLOEXEC) < 0)
    {
      int e = errno;
      for (int i = 0; i < 2; i++)
        close_fd (&in[i]), close_fd (&out[i]), close_fd (&errp[i]);
      return rt_error (err, e, "pipe");
    }
  r->pid = fork ();
  if (r->pid == 0)
    child (h, in[0], out[1], errp[1], cwd_fd, env);
  if (r->pid < 0)
    {
      int e = errno;
      for (int i = 0; i < 2; i++)
        close_fd (&in[i]), close_fd (&out[i]), close_fd (&errp[i]);
      return rt_error (err, e, "fork");
    }
  setpgid (r->pid, r->pid); /* also here: no window where kill(-pid) misses */
  close (in[0]);
  close (out[1]);
  close (errp[1]);
  r->in = in[1];
  r->out = out[0];
  r->err = errp[0];
  fcntl (r->in, F_SETFL, O_NONBLOCK);
  r->pidfd = pidfd_open (r->pid, 0);
  if (r->pidfd < 0)
    return rt_error (err, errno, "pidfd_open");
  return 0;
}

static void
pump_in (struct hook_run *r)
{
  ssize_t n = write (r->in, r->state + r->written, r->state_len - r->written);
  if (n > 0)
    r->written += n;
  /* EPIPE: the hook does not read its stdin, which is its business */
  if ((n < 0 && errno != EAGAIN && errno != EINTR) || r->written == r->state_len)
    close_fd (&r->in);
}

static void
pump_out (struct hook_run *r, int *fd, int which)
{
  char buf[4096];
  ssize_t n = read (*fd, buf, sizeof buf);
  size_t room = OUTPUT_MAX - r->output_len[which];

  if (n <= 0)
    {
      if (n == 0 || (errno != EAGAIN && errno != EINTR))
        close_fd (fd);
      return;
    }
  if ((size_t) n > room)
    n = room;
  memcpy (r->output[which] + r->output_len[which], buf, n);
  r->output_len[which] += n;
}

static long long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Feed stdin, collect output, until the hook exits (its children may keep the pipes
   open: the exit is what counts) or the deadline passes.  Returns false on timeout. */
static bool
wait_hook (struct hook_run *r, long long deadline)
{
  for (;;)
    {
      struct pollfd p[4] = {
        { r->pidfd, POLLIN, 0 }, { r->in, POLLOUT, 0 }, { r->out, POLLIN, 0 }, { r->err, POLLIN, 0 }
      };
      int timeout = -1;

      if (deadline >= 0)
        {
          long long left = deadline - now_ms ();
          if (left <= 0)
            return false;
          /* a timeout of up to INT32_MAX seconds is more milliseconds than poll takes */
          timeout = left > INT_MAX ? INT_MAX : (int) left;
        }
      if (poll (p, 4, timeout) < 0 && errno != EINTR)
        return true;
      if (p[1].revents)
        pump_in (r);
      if (p[2].revents)
        pump_out (r, &r->out, 0);
      if (p[3].revents)
        pump_out (r, &r->err, 1);
      if (p[0].revents)
        return true;
    }
}

/* After the exit: take what is left in the pipes without waiting for the hook's own
   children, which may hold them open. */
static void
drain (struct hook_run *r)
{
  for (int i = 0; i < 2; i++)
    {
      int *fd = i == 0 ? &r->out : &r->err;
      if (*fd >= 0)
        fcntl (*fd, F_SETFL, O_NONBLOCK);
      while (*fd >= 0 && r->output_len[i] < OUTPUT_MAX)
        {
          size_t before = r->output_len[i];
          pump_out (r, fd, i);
          if (r->output_len[i] == before)
            break;
        }
    }
}

/* What the hook printed, for the error message: ", stdout: ..., stderr: ...". */
static char *
output_note (struct hook_run *r)
{
  static const char *const names[] = { "stdout", "stderr" };
  char *note = xstrdup ("");

  for (int i = 0; i < 2; i++)
    {
      char *s = r->output[i], *next;
      size_t len = r->output_len[i];

      while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
        len--;
      s[len] = '\0';
      if (len == 0)
        continue;
      next = xasprintf ("%s, %s: %s", note, names[i], s);
      free (note);
      note = next;
    }
  return note;
}

static int
exec_one (const struct rt_hook *h, const char *what, const char *state, int cwd_fd,
          char *const *env, char **output, rt_error_t *err)
{
  cleanup_hook_run struct hook_run r = { .pid = -1, .pidfd = -1, .in = -1, .out = -1, .err = -1 };
  long long deadline = h->has_timeout ? now_ms () + h->timeout * 1000LL : -1;
  cleanup_free char *note = NULL;
  int status = 0;
  bool done;

  r.state = state;
  r.state_len = strlen (state);
  if (spawn (h, &r, cwd_fd, env, err) < 0)
    return rt_error_wrap (err, "%s", what);
  done = wait_hook (&r, deadline);
  if (!done)
    kill (-r.pid, SIGKILL);
  while (waitpid (r.pid, &status, 0) < 0 && errno == EINTR)
    ;
  r.pid = -1;
  drain (&r);
  note = output_note (&r);
  if (!done)
    return rt_error (err, 0, "%s: timed out after %ds%s", what, h->timeout, note);
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    return rt_error (err, 0, "%s: exit status %d%s", what, WEXITSTATUS (status), note);
  if (WIFSIGNALED (status))
    return rt_error (err, 0, "%s: killed by signal %d%s", what, WTERMSIG (status), note);
  if (output != NULL)
    *output = take_ptr (&note);
  return 0;
}

int
rt_hook_exec (const struct rt_hook *h, const char *what, const char *state, int cwd_fd,
              char *const *env, char **output, rt_error_t *err)
{
  sigset_t pipe_set, old;
  int ret;

  /* a hook that closes its stdin early must not kill us with SIGPIPE */
  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  sigprocmask (SIG_BLOCK, &pipe_set, &old);
  ret = exec_one (h, what, state ? state : "", cwd_fd, env, output, err);
  if (!sigismember (&old, SIGPIPE))
    {
      struct timespec zero = { 0, 0 };
      while (sigtimedwait (&pipe_set, NULL, &zero) > 0)
        ;
    }
  sigprocmask (SIG_SETMASK, &old, NULL);
  return ret;
}
