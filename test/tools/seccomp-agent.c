/* rt-seccomp-agent: a seccomp notify agent for the tests (OCI config-linux.md,
   listenerPath).  It listens on SOCKET, takes the container process state and its
   seccompFd from each runtime connection, and answers every notification.

     rt-seccomp-agent [--errno N | --continue] [--conns N] [--timeout S] SOCKET LOG

   --errno N     the notified syscall fails with errno N; 0 = it "succeeds" (returns 0)
                 without being carried out (default: --errno 0)
   --continue    the kernel carries the syscall out as if there were no filter
   --conns N     exit 0 once N listeners were received and all of them hung up (default 1)
   --timeout S   exit 1 after S seconds whatever happened (default 30)

   LOG gets one line per event: "state JSON" for each connection (the JSON as received,
   followed by " fds=N" with the number of fds that came with it) and "notify NAME" for
   each notification. */
#define _GNU_SOURCE
#include "fdpass.h"

#include <errno.h>
#include <poll.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 16

static FILE *logfp;
static int answer_errno = 0;
static int answer_continue = 0;

static int
listen_on (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0 || strlen (path) >= sizeof addr.sun_path)
    return -1;
  strcpy (addr.sun_path, path);
  unlink (path);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (fd, 4) < 0)
    return -1;
  return fd;
}

/* Has BUF a whole JSON object (braces balanced outside strings)? */
static int
json_complete (const char *buf, size_t len)
{
  int depth = 0, in_str = 0;

  for (size_t i = 0; i < len; i++)
    {
      char c = buf[i];
      if (in_str)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_str = 0;
        }
      else if (c == '"')
        in_str = 1;
      else if (c == '{')
        depth++;
      else if (c == '}' && --depth == 0)
        return 1;
    }
  return 0;
}

/* One connection: the JSON, with the fds in the first message. */
static int
take_state (int conn)
{
  char buf[65536];
  int fds[4], fd = -1;
  size_t len, nfds;
  ssize_t n = rt_recvmsg_fds (conn, buf, sizeof buf - 1, fds, 4, &nfds);

  if (n < 0)
    return -1;
  for (size_t i = 0; i < nfds && i < 4; i++)
    if (i == 0)
      fd = fds[0];
    else
      close (fds[i]);
  len = (size_t) n;
  /* Up to the end of the JSON object, not to EOF: runc 1.1 never closes its end. */
  while (!json_complete (buf, len) && len < sizeof buf - 1)
    {
      struct pollfd p = { .fd = conn, .events = POLLIN };
      if (poll (&p, 1, 5000) <= 0 || (n = read (conn, buf + len, sizeof buf - 1 - len)) <= 0)
        break;
      len += (size_t) n;
    }
  buf[len] = '\0';
  fprintf (logfp, "state %s fds=%zu\n", buf, nfds);
  return fd;
}

static void
answer (int fd)
{
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;
  char *name;

  if (seccomp_notify_alloc (&req, &resp) < 0)
    exit (1);
  if (seccomp_notify_receive (fd, req) < 0)
    goto out; /* the caller went away meanwhile */
  name = seccomp_syscall_resolve_num_arch (req->data.arch, req->data.nr);
  fprintf (logfp, "notify %s\n", name ? name : "?");
  free (name);
  resp->id = req->id;
  resp->val = 0;
  resp->error = answer_continue ? 0 : -answer_errno;
  resp->flags = answer_continue ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
  seccomp_notify_respond (fd, resp); /* ENOENT: the caller was killed meanwhile */
out:
  seccomp_notify_free (req, resp);
}

static void
usage (void)
{
  fputs ("usage: rt-seccomp-agent [--errno N | --continue] [--conns N] [--timeout S] SOCKET "
         "LOG\n",
         stderr);
  exit (2);
}

int
main (int argc, char **argv)
{
  int conns = 1, timeout = 30, got = 0, done = 0, lfd, i;
  struct pollfd p[MAX_FDS + 1];
  int nfd = 0;
  time_t end;

  for (i = 1; i < argc && strncmp (argv[i], "--", 2) == 0; i++)
    {
      if (strcmp (argv[i], "--continue") == 0)
        answer_continue = 1;
      else if (i + 1 < argc && strcmp (argv[i], "--errno") == 0)
        answer_errno = atoi (argv[++i]);
      else if (i + 1 < argc && strcmp (argv[i], "--conns") == 0)
        conns = atoi (argv[++i]);
      else if (i + 1 < argc && strcmp (argv[i], "--timeout") == 0)
        timeout = atoi (argv[++i]);
      else
        usage ();
    }
  if (argc - i != 2 || conns < 1 || conns > MAX_FDS)
    usage ();
  logfp = fopen (argv[i + 1], "a");
  if (logfp == NULL)
    return 1;
  setvbuf (logfp, NULL, _IOLBF, 0);
  lfd = listen_on (argv[i]);
  if (lfd < 0)
    {
      perror ("rt-seccomp-agent: listen");
      return 1;
    }
  end = time (NULL) + timeout;
  while (done < conns)
    {
      p[0] = (struct pollfd){ .fd = got < conns ? lfd : -1, .events = POLLIN };
      if (time (NULL) >= end)
        {
          fprintf (logfp, "timeout\n");
          return 1;
        }
      if (poll (p, (nfds_t) nfd + 1, 200) < 0 && errno != EINTR)
        return 1;
      if (p[0].revents & POLLIN)
        {
          int conn = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC), fd;
          if (conn < 0)
            continue;
          fd = take_state (conn);
          close (conn);
          got++;
          if (fd < 0)
            {
              done++;
              continue;
            }
          nfd++;
          p[nfd] = (struct pollfd){ .fd = fd, .events = POLLIN };
        }
      for (int k = 1; k <= nfd; k++)
        {
          if (p[k].fd < 0)
            continue;
          if (p[k].revents & POLLIN)
            answer (p[k].fd);
          else if (p[k].revents & (POLLHUP | POLLERR))
            {
              /* no process uses the filter any more */
              close (p[k].fd);
              p[k].fd = -1;
              done++;
            }
        }
    }
  close (lfd);
  unlink (argv[i]);
  return 0;
}
