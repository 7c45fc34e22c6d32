/* sd-notify: both ends of sd_notify(3) for tests.  Static, so it runs in busybox
   containers.

     sd-notify MESSAGE...        send one datagram, the MESSAGEs as lines, to $NOTIFY_SOCKET
                                 ("@name" is an abstract socket)
     sd-notify --listen SOCKET   bind the datagram socket SOCKET and print every datagram
                                 received, each ending with a newline */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void __attribute__ ((noreturn)) die (const char *what)
{
  fprintf (stderr, "sd-notify: %s: %s\n", what, strerror (errno));
  exit (1);
}

static socklen_t
address (const char *path, struct sockaddr_un *addr)
{
  size_t n = strlen (path);

  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (n == 0 || n >= sizeof addr->sun_path)
    {
      errno = EINVAL;
      die (path);
    }
  memcpy (addr->sun_path, path, n);
  if (path[0] == '@')
    addr->sun_path[0] = '\0';
  return offsetof (struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1);
}

static int
listen_dgram (const char *path)
{
  struct sockaddr_un addr;
  socklen_t len = address (path, &addr);
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  char buf[8192];

  if (fd < 0)
    die ("socket");
  unlink (path);
  if (bind (fd, (struct sockaddr *) &addr, len) < 0)
    die ("bind");
  for (;;)
    {
      ssize_t n = recv (fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("recv");
      fwrite (buf, 1, n, stdout);
      if (n == 0 || buf[n - 1] != '\n')
        putchar ('\n');
      fflush (stdout);
    }
}

int
main (int argc, char **argv)
{
  const char *path = getenv ("NOTIFY_SOCKET");
  struct sockaddr_un addr;
  socklen_t len;
  char msg[8192];
  size_t n = 0;
  int fd;

  if (argc == 3 && strcmp (argv[1], "--listen") == 0)
    listen_dgram (argv[2]);
  if (argc < 2 || argv[1][0] == '-')
    {
      fprintf (stderr, "usage: sd-notify MESSAGE... | sd-notify --listen SOCKET\n");
      return 2;
    }
  if (path == NULL)
    {
      fprintf (stderr, "sd-notify: NOTIFY_SOCKET is not set\n");
      return 1;
    }
  for (int i = 1; i < argc; i++)
    {
      int w = snprintf (msg + n, sizeof msg - n, "%s\n", argv[i]);
      if (w < 0 || (size_t) w >= sizeof msg - n)
        {
          errno = EMSGSIZE;
          die ("message");
        }
      n += w;
    }
  len = address (path, &addr);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die ("socket");
  if (sendto (fd, msg, n, 0, (struct sockaddr *) &addr, len) < 0)
    die (path);
  return 0;
}
