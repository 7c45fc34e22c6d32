/* The one place for fds over a unix socket (proto/fdpass.c): a message with fds, N fds in
   batches, and the connect used for --console-socket and a seccomp listenerPath. */
#define _GNU_SOURCE
#include "fdpass.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MANY 300 /* more than RT_FDS_PER_MSG: two batches */

/* The same open file: the received fd is a new number for the sent one. */
static int
same_file (int a, int b)
{
  struct stat sa, sb;

  return fstat (a, &sa) == 0 && fstat (b, &sb) == 0 && sa.st_dev == sb.st_dev
         && sa.st_ino == sb.st_ino;
}

static void
message_with_fds (void)
{
  int sv[2], fds[2], got[2] = { -1, -1 };
  char buf[8] = "";
  size_t n_fds = 0;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe (fds) < 0)
    exit (2);
  ok (rt_sendmsg_fds (sv[0], "hi", 2, fds, 2) == 2, "sendmsg: two bytes and two fds");
  ok (rt_recvmsg_fds (sv[1], buf, sizeof buf, got, 2, &n_fds) == 2 && n_fds == 2,
      "recvmsg: two bytes and two fds");
  is_str (buf, "hi", "the bytes");
  ok (same_file (got[0], fds[0]) && same_file (got[1], fds[1]), "the fds, in order");
  ok ((fcntl (got[0], F_GETFD) & FD_CLOEXEC) != 0, "received close-on-exec");

  ok (rt_sendmsg_fds (sv[0], "x", 1, fds, 2) == 1, "sendmsg: two fds again");
  ok (rt_recvmsg_fds (sv[1], buf, sizeof buf, got, 1, &n_fds) == 1 && n_fds == 2,
      "recvmsg with room for one: both counted, the one past MAX closed");
  close (got[0]);
  close (sv[0]);
  ok (rt_recvmsg_fds (sv[1], buf, sizeof buf, got, 1, &n_fds) == 0, "0 at EOF");
  close (sv[1]);
  close (fds[0]);
  close (fds[1]);
}

static void
many_fds (void)
{
  int sv[2], fd = open ("/dev/null", O_RDONLY | O_CLOEXEC), sent[MANY], got[MANY];
  int all = 1;

  if (fd < 0 || socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    exit (2);
  for (int i = 0; i < MANY; i++)
    sent[i] = fd;
  ok (rt_send_fds (sv[0], sent, MANY) == 0, "send %d fds", MANY);
  ok (rt_recv_fds (sv[1], got, MANY) == 0, "receive %d fds", MANY);
  for (int i = 0; i < MANY; i++)
    {
      all &= same_file (got[i], fd);
      close (got[i]);
    }
  ok (all, "every one is the file sent");
  close (sv[0]);
  close (sv[1]);
  close (fd);
}

static void
unix_connect (void)
{
  char dir[] = "/tmp/rt-test-fdpass.XXXXXX", path[sizeof dir + 8], longpath[200];
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int srv, fd, peer;

  if (mkdtemp (dir) == NULL)
    exit (2);
  snprintf (path, sizeof path, "%s/sock", dir);
  strcpy (addr.sun_path, path);
  srv = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (srv < 0 || bind (srv, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (srv, 1) < 0)
    exit (2);

  fd = rt_unix_connect (path);
  ok (fd >= 0, "connect to a listening socket");
  peer = accept (srv, NULL, NULL);
  ok (peer >= 0 && write (fd, "k", 1) == 1, "the listener has the connection");
  ok ((fcntl (fd, F_GETFD) & FD_CLOEXEC) != 0, "close-on-exec");
  close (peer);
  close (fd);

  close (srv);
  unlink (path);
  errno = 0;
  ok (rt_unix_connect (path) < 0 && errno == ENOENT, "no socket there: ENOENT");
  memset (longpath, 'a', sizeof longpath - 1);
  longpath[0] = '/';
  longpath[sizeof longpath - 1] = '\0';
  errno = 0;
  ok (rt_unix_connect (longpath) < 0 && errno == ENAMETOOLONG,
      "a path longer than sun_path: ENAMETOOLONG");
  rmdir (dir);
}

int
main (void)
{
  message_with_fds ();
  many_fds ();
  unix_connect ();
  return tap_done ();
}
