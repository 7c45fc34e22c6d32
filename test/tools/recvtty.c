/* recvtty: the other end of --console-socket for tests (runc has one of the same name).

     recvtty [--once] [--no-stdin] [--pid-file FILE] SOCKET

   Listens on the AF_UNIX stream socket SOCKET.  A runtime connects and sends the pty
   master of a container's terminal as SCM_RIGHTS (one message whose bytes are the pty's
   name; runc's protocol, which conmon and containerd speak).  Everything the container
   writes to its terminal is copied to our stdout, and our stdin to the newest terminal
   (unless --no-stdin).  --once: one connection only, exit when its terminal closes.
   --pid-file is written once the socket listens, so a test can wait for it. */
#define _GNU_SOURCE
#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_TTYS 64

static void __attribute__ ((noreturn)) die (const char *what)
{
  fprintf (stderr, "recvtty: %s: %s\n", what, strerror (errno));
  exit (1);
}

static int
write_all (int fd, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      buf += n;
      len -= n;
    }
  return 0;
}

static int
listen_on (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    die ("socket");
  if (strlen (path) >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      die (path);
    }
  strcpy (addr.sun_path, path);
  unlink (path);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("bind");
  if (listen (fd, 16) < 0)
    die ("listen");
  return fd;
}

/* One connection: the master, or -1 when the peer sent none. */
static int
recv_master (int conn)
{
  char name[256];
  int fd = -1;
  size_t n_fds;
  ssize_t n = rt_recvmsg_fds (conn, name, sizeof name - 1, &fd, 1, &n_fds);

  if (n <= 0 || n_fds == 0)
    {
      fprintf (stderr, "recvtty: a connection without a terminal\n");
      return -1;
    }
  return fd;
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = { { "once", no_argument, NULL, 'o' },
                                        { "no-stdin", no_argument, NULL, 'n' },
                                        { "pid-file", required_argument, NULL, 'p' },
                                        { NULL, 0, NULL, 0 } };
  const char *pid_file = NULL;
  bool once = false, in_open = true;
  int ttys[MAX_TTYS], n_ttys = 0, lsock, c;

  while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1)
    switch (c)
      {
        case 'o':
          once = true;
          break;
        case 'n':
          in_open = false;
          break;
        case 'p':
          pid_file = optarg;
          break;
        default:
          fprintf (stderr, "usage: recvtty [--once] [--no-stdin] [--pid-file FILE] SOCKET\n");
          return 2;
      }
  if (optind != argc - 1)
    {
      fprintf (stderr, "usage: recvtty [--once] [--no-stdin] [--pid-file FILE] SOCKET\n");
      return 2;
    }
  lsock = listen_on (argv[optind]);
  if (pid_file)
    {
      FILE *f = fopen (pid_file, "w");
      if (f == NULL || fprintf (f, "%d\n", getpid ()) < 0 || fclose (f) != 0)
        die (pid_file);
    }

  for (;;)
    {
      struct pollfd p[MAX_TTYS + 2];
      char buf[8192];
      ssize_t r;

      p[0] = (struct pollfd){ .fd = lsock, .events = POLLIN };
      p[1] = (struct pollfd){ .fd = in_open && n_ttys > 0 ? 0 : -1, .events = POLLIN };
      for (int i = 0; i < n_ttys; i++)
        p[i + 2] = (struct pollfd){ .fd = ttys[i], .events = POLLIN };
      if (poll (p, n_ttys + 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      if (p[0].revents & POLLIN)
        {
          int conn = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC), fd = -1;
          if (conn >= 0)
            {
              fd = recv_master (conn);
              close (conn);
            }
          if (fd >= 0 && n_ttys < MAX_TTYS)
            ttys[n_ttys++] = fd;
          if (fd >= 0 && once)
            {
              close (lsock);
              lsock = -1;
            }
        }
      if (p[1].revents)
        {
          r = read (0, buf, sizeof buf);
          if (r <= 0)
            in_open = false; /* the container keeps its terminal */
          else
            write_all (ttys[n_ttys - 1], buf, r);
        }
      for (int i = n_ttys - 1; i >= 0; i--)
        {
          if (p[i + 2].revents == 0)
            continue;
          r = read (ttys[i], buf, sizeof buf);
          if (r > 0 && write_all (1, buf, r) == 0)
            continue;
          /* EIO: the last process with the slave open is gone */
          close (ttys[i]);
          memmove (&ttys[i], &ttys[i + 1], (n_ttys - i - 1) * sizeof (int));
          n_ttys--;
          if (once && n_ttys == 0)
            return 0;
        }
    }
}
