/* Terminals on the front end: receiving the pty master that nsinit sends (runc's
   console-socket protocol), and the foreground proxy used by `rt run` / `rt exec -t`
   without --console-socket: raw mode, window size (and SIGWINCH), restored on exit. */
#define _GNU_SOURCE
#include "session.h"

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

int
rt_console_recv_master (int sock, rt_error_t *err)
{
  char name[256], cbuf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = name, .iov_len = sizeof name };
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *cmsg;
  ssize_t r;
  int fd;

  do
    r = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return rt_error (err, errno, "receive the console");
  cmsg = CMSG_FIRSTHDR (&msg);
  if (r == 0 || cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
    return rt_error (err, 0, "the container did not send its console");
  memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  return fd;
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

static void
copy_winsize (int master)
{
  struct winsize ws;
  if (ioctl (0, TIOCGWINSZ, &ws) == 0)
    ioctl (master, TIOCSWINSZ, &ws);
}

/* Move what is readable from IN to OUT.  False at EOF/EIO. */
static bool
pump (int in, int out)
{
  char buf[8192];
  ssize_t n = read (in, buf, sizeof buf);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  if (n <= 0)
    return false;
  return write_all (out, buf, n) == 0;
}

/* Forward signals to PID until it exits; with MASTER >= 0 also proxy our stdio to the
   container's terminal. */
int
rt_wait_forwarding_signals (pid_t pid, int master, int *exit_status, rt_error_t *err)
{
  sigset_t all;
  cleanup_close int sfd = -1;
  bool in_open = master >= 0, out_open = master >= 0;
  int status;

  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, NULL);
  sfd = signalfd (-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return rt_error (err, errno, "signalfd");
  prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (master >= 0)
    {
      fcntl (master, F_SETFL, O_NONBLOCK);
      if (isatty (0) && tcgetattr (0, &saved_termios) == 0)
        {
          struct termios raw = saved_termios;
          termios_saved = true;
          atexit (restore_terminal);
          cfmakeraw (&raw);
          tcsetattr (0, TCSANOW, &raw);
          copy_winsize (master);
        }
    }
  for (;;)
    {
      struct pollfd p[3] = { { .fd = sfd, .events = POLLIN },
                             { .fd = out_open ? master : -1, .events = POLLIN },
                             { .fd = in_open ? 0 : -1, .events = POLLIN } };
      struct signalfd_siginfo si;
      pid_t w;

      while ((w = waitpid (-1, &status, WNOHANG | __WALL)) > 0)
        if (w == pid)
          {
            /* the process is gone: what it wrote is still in the pty */
            while (out_open && pump (master, 1))
              ;
            restore_terminal ();
            *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
            return 0;
          }
      if (poll (p, 3, -1) < 0 && errno != EINTR)
        return rt_error (err, errno, "poll");
      if (p[1].revents && !pump (master, 1))
        out_open = false;
      if (p[2].revents && !pump (0, master))
        in_open = false;
      while (read (sfd, &si, sizeof si) == sizeof si)
        {
          if (si.ssi_signo == SIGCHLD)
            continue;
          if (si.ssi_signo == SIGWINCH && master >= 0)
            copy_winsize (master);
          else
            kill (pid, (int) si.ssi_signo);
        }
    }
}
