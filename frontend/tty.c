/* The foreground of `rt run` and `rt exec`: receiving the pty master that nsinit sends
   (runc's console-socket protocol), the proxy used without --console-socket (raw mode,
   window size and SIGWINCH, restored on exit), and the wait that forwards signals, reaps
   as child subreaper and passes sd_notify messages on. */
#define _GNU_SOURCE
#include "session.h"
#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int
rt_console_pair (int *ours, int *theirs, rt_error_t *err)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return rt_error (err, errno, "socketpair for the console");
  *ours = sv[0];
  *theirs = sv[1];
  return 0;
}

/* A foreground terminal: the pty is sent before READY, so it gets our window size before
   the process runs (a --process file need not say consoleSize).  Once. */
int
rt_console_take_master (int ours, int *master, rt_error_t *err)
{
  if (ours < 0 || *master >= 0)
    return 0;
  *master = rt_console_recv_master (ours, err);
  if (*master < 0)
    return -1;
  rt_tty_resize (*master);
  return 0;
}

int
rt_console_recv_master (int sock, rt_error_t *err)
{
  char name[256];
  int fd = -1;
  size_t n_fds;
  ssize_t r = rt_recvmsg_fds (sock, name, sizeof name, &fd, 1, &n_fds);

  if (r < 0)
    return rt_error (err, errno, "receive the console");
  if (r == 0 || n_fds == 0)
    return rt_error (err, 0, "the container did not send its console");
  return fd;
}

int
rt_check_terminal (bool detach, bool terminal, const char *console_socket, rt_error_t *err)
{
  if (detach && terminal && console_socket == NULL)
    return rt_error (err, 0,
                     "cannot allocate tty if rt will detach without setting console socket");
  if ((!detach || !terminal) && console_socket != NULL)
    return rt_error (err, 0, "cannot use console socket if rt will not detach or allocate tty");
  return 0;
}

void
rt_signals_capture (void)
{
  sigset_t all;

  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, NULL);
  prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static struct termios saved_termios;
static bool termios_saved;

static void
restore_terminal (void)
{
  if (termios_saved)
    tcsetattr (0, TCSANOW, &saved_termios);
  termios_saved = false;
}

/* Raw mode on our terminal, put back however rt exits. */
static void
raw_terminal (void)
{
  static bool registered;
  struct termios raw;

  if (!isatty (0) || tcgetattr (0, &saved_termios) < 0)
    return;
  termios_saved = true;
  if (!registered)
    atexit (restore_terminal);
  registered = true;
  raw = saved_termios;
  cfmakeraw (&raw);
  tcsetattr (0, TCSANOW, &raw);
}

void
rt_tty_resize (int master)
{
  struct winsize ws;
  if (ioctl (0, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
    ioctl (master, TIOCSWINSZ, &ws);
}

/* The proxy between our stdio and the pty master.  Input waits in a buffer while the pty
   is full, so that a process that does not read cannot block signal forwarding. */
struct proxy
{
  int master;
  bool in_open, out_open;
  char buf[4096];
  size_t len, off;
};

enum pump
{
  PUMP_DATA,
  PUMP_AGAIN,
  PUMP_EOF
};

static enum pump
pump_out (struct proxy *x)
{
  char buf[8192];
  ssize_t n = read (x->master, buf, sizeof buf);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return PUMP_AGAIN;
  /* EIO: no process holds the slave any more */
  if (n <= 0 || write_all (1, buf, n) < 0)
    {
      x->out_open = false;
      return PUMP_EOF;
    }
  return PUMP_DATA;
}

static void
pump_in (struct proxy *x)
{
  ssize_t n;

  if (x->len == 0)
    {
      n = read (0, x->buf, sizeof x->buf);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
      if (n <= 0)
        {
          x->in_open = false;
          return;
        }
      x->len = n;
      x->off = 0;
    }
  n = write (x->master, x->buf + x->off, x->len - x->off);
  if (n < 0 && errno != EAGAIN && errno != EINTR)
    {
      x->in_open = false;
      x->len = 0;
    }
  else if (n > 0 && (x->off += n) == x->len)
    x->len = 0;
}

/* The process is gone: what it wrote is still in the pty, but a process it left behind
   may hold the slave open, so take only what is there now. */
static void
drain (struct proxy *x)
{
  while (x->out_open && pump_out (x) == PUMP_DATA)
    ;
}

static int
exit_code (int status)
{
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static void
handle_signals (int sfd, const struct rt_wait *w)
{
  struct signalfd_siginfo si;

  while (read (sfd, &si, sizeof si) == sizeof si)
    {
      if (si.ssi_signo == SIGCHLD)
        continue; /* reaped in the loop */
      if (si.ssi_signo == SIGWINCH && w->master >= 0)
        rt_tty_resize (w->master);
      else
        kill (w->pid, (int) si.ssi_signo);
    }
}

int
rt_wait_forwarding_signals (const struct rt_wait *w, int *exit_status, rt_error_t *err)
{
  struct proxy x = { .master = w->master, .in_open = w->master >= 0, .out_open = w->master >= 0 };
  int notify = w->notify && w->notify->sock >= 0 ? w->notify->sock : -1;
  cleanup_close int sfd = -1;
  sigset_t all;

  rt_signals_capture ();
  sigfillset (&all);
  sfd = signalfd (-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return rt_error (err, errno, "signalfd");
  if (w->master >= 0)
    {
      fcntl (w->master, F_SETFL, O_NONBLOCK);
      raw_terminal ();
      rt_tty_resize (w->master);
    }
  for (;;)
    {
      struct pollfd p[4] = { { .fd = sfd, .events = POLLIN },
                             { .fd = x.out_open ? x.master : -1, .events = POLLIN },
                             { .fd = x.in_open && x.len == 0 ? 0 : -1, .events = POLLIN },
                             { .fd = notify, .events = POLLIN } };
      int status;
      pid_t pid;
      bool ready;

      if (x.in_open && x.len > 0)
        p[2] = (struct pollfd){ .fd = x.master, .events = POLLOUT };
      /* reap everything we adopted as subreaper; the one we wait for ends the loop */
      while ((pid = waitpid (-1, &status, WNOHANG | __WALL)) > 0)
        if (pid == w->pid)
          {
            drain (&x);
            restore_terminal ();
            *exit_status = exit_code (status);
            return 0;
          }
      if (pid < 0 && errno == ECHILD)
        return rt_error (err, ECHILD, "wait for the container's process %d", w->pid);
      if (poll (p, 4, -1) < 0 && errno != EINTR)
        return rt_error (err, errno, "poll");
      /* signals first: a window size change reaches the pty before input typed after it */
      handle_signals (sfd, w);
      if (p[1].revents)
        pump_out (&x);
      if (p[2].revents)
        pump_in (&x);
      if (p[3].revents && rt_notify_forward (w->notify, &ready) < 0)
        notify = -1;
    }
}

/* Before rt opens anything, the fds it is to pass on must be there. */
int
rt_check_preserved_fds (int n, rt_error_t *err)
{
  for (int fd = 3; fd < 3 + n; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      return rt_error (err, errno, "unable to stat preserved-fd %d (of %d)", fd - 3, n);
  return 0;
}
