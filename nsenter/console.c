/* process.terminal (runc's setupConsole): a pty from the container's own devpts, the
   master sent to --console-socket (one message: the pty name, the fd as SCM_RIGHTS),
   the slave as stdin/stdout/stderr and controlling terminal. */
#define _GNU_SOURCE
#include "init.h"
#include "fdpass.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static int
send_master (int sock, int master, const char *name, rt_error_t *err)
{
  if (rt_sendmsg_fds (sock, name, strlen (name), &master, 1) < 0)
    return rt_error (err, errno, "send the console to the console socket");
  return 0;
}

/* The slave through the master (TIOCGPTPEER): no path lookup in the container's /dev. */
static int
open_slave (int master, const char *name, rt_error_t *err)
{
  int fd = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

  if (fd < 0 && (errno == EINVAL || errno == ENOTTY))
    fd = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return rt_error (err, errno, "open the console slave \"%s\"", name);
  return fd;
}

static int
slave_as_stdio (int slave, const struct rt_process *p, rt_error_t *err)
{
  if (p->has_console_size)
    {
      struct winsize ws = { .ws_row = (unsigned short) p->console_height,
                            .ws_col = (unsigned short) p->console_width };
      if (ioctl (slave, TIOCSWINSZ, &ws) < 0)
        return rt_error (err, errno, "set the console size");
    }
  /* The pty is the container's own (its devpts): giving it to the process's user
     touches nothing on the host. */
  if (fchown (slave, p->user.uid, -1) < 0 && errno != EINVAL && errno != EPERM)
    return rt_error (err, errno, "chown the console");
  for (int i = 0; i <= 2; i++)
    if (dup2 (slave, i) < 0)
      return rt_error (err, errno, "dup2 the console to fd %d", i);
  if (ioctl (0, TIOCSCTTY, 0) < 0)
    return rt_error (err, errno, "make the console the controlling terminal");
  return 0;
}

int
console_setup (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_process *p = ctx->process;
  cleanup_close int master = -1, slave = -1;
  char name[64];
  unsigned int n;

  if (!p->terminal)
    return 0;
  if (ctx->config->console_fd < 0)
    return rt_error (err, 0, "process.terminal requires --console-socket");
  master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0)
    return rt_error (err, errno, "open /dev/ptmx");
  if (grantpt (master) < 0 || unlockpt (master) < 0 || ioctl (master, TIOCGPTN, &n) < 0)
    return rt_error (err, errno, "unlock the console");
  snprintf (name, sizeof name, "/dev/pts/%u", n);
  nsdebug ("console %s", name);
  slave = open_slave (master, name, err);
  if (slave < 0)
    return -1;
  if (send_master (ctx->config->console_fd, master, name, err) < 0)
    return -1;
  close (ctx->config->console_fd);
  ctx->config->console_fd = -1;
  return slave_as_stdio (slave, p, err);
}
