#define _GNU_SOURCE
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Control buffer for RT_FDS_PER_MSG fds, aligned for struct cmsghdr. */
union fd_cbuf
{
  char buf[CMSG_SPACE (sizeof (int) * RT_FDS_PER_MSG)];
  struct cmsghdr align;
};

ssize_t
rt_sendmsg_fds (int sock, const void *data, size_t len, const int *fds, size_t n_fds)
{
  union fd_cbuf u;
  struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
  struct msghdr msg = { .msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = u.buf,
                        .msg_controllen = CMSG_SPACE (sizeof (int) * n_fds) };
  struct cmsghdr *cm;
  ssize_t n;

  if (len == 0 || n_fds == 0 || n_fds > RT_FDS_PER_MSG)
    {
      errno = EINVAL;
      return -1;
    }
  memset (u.buf, 0, sizeof u.buf);
  cm = CMSG_FIRSTHDR (&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int) * n_fds);
  memcpy (CMSG_DATA (cm), fds, sizeof (int) * n_fds);
  do
    n = sendmsg (sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

ssize_t
rt_recvmsg_fds (int sock, void *buf, size_t len, int *fds, size_t max, size_t *n_fds)
{
  union fd_cbuf u;
  struct iovec iov = { .iov_base = buf, .iov_len = len };
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t n;

  *n_fds = 0;
  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR (&msg); cm; cm = CMSG_NXTHDR (&msg, cm))
    {
      size_t k;

      if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
        continue;
      k = (cm->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      for (size_t i = 0; i < k; i++, (*n_fds)++)
        {
          int fd;

          memcpy (&fd, CMSG_DATA (cm) + i * sizeof (int), sizeof fd);
          if (*n_fds < max && !(msg.msg_flags & MSG_CTRUNC))
            fds[*n_fds] = fd;
          else
            close (fd);
        }
    }
  if (msg.msg_flags & MSG_CTRUNC)
    {
      errno = EPROTO;
      return -1;
    }
  return n;
}

int
rt_send_fds (int sock, const int *fds, size_t n)
{
  for (size_t done = 0; done < n;)
    {
      size_t k = n - done < RT_FDS_PER_MSG ? n - done : RT_FDS_PER_MSG;

      if (rt_sendmsg_fds (sock, "", 1, fds + done, k) != 1)
        return -1;
      done += k;
    }
  return 0;
}

int
rt_recv_fds (int sock, int *fds, size_t n)
{
  for (size_t done = 0; done < n;)
    {
      size_t k = n - done < RT_FDS_PER_MSG ? n - done : RT_FDS_PER_MSG, got;
      char byte;
      ssize_t r = rt_recvmsg_fds (sock, &byte, 1, fds + done, k, &got);

      if (r != 1 || got != k)
        {
          for (size_t i = 0; i < got && i < k; i++)
            close (fds[done + i]);
          if (r >= 0)
            errno = r == 1 ? EPROTO : EIO;
          return -1;
        }
      done += k;
    }
  return 0;
}

int
rt_unix_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd, saved;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
    return fd;
  saved = errno;
  close (fd);
  errno = saved;
  return -1;
}
