#define _GNU_SOURCE
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int
rt_msg_send (int fd, uint32_t type, int32_t errnum, const void *data, uint32_t len)
{
  struct rt_msg_hdr hdr = { .type = type, .errnum = errnum, .len = len };
  if (send_all (fd, &hdr, sizeof hdr) < 0)
    return -1;
  return len ? send_all (fd, data, len) : 0;
}

int
rt_msg_recv (int fd, struct rt_msg_hdr *hdr, char **data)
{
  char *buf = NULL;

  *data = NULL;
  if (read_all (fd, hdr, sizeof *hdr) < 0)
    return -1;
  if (hdr->len > RT_MSG_MAX)
    {
      errno = EMSGSIZE;
      return -1;
    }
  buf = xmalloc (hdr->len + 1);
  if (hdr->len && read_all (fd, buf, hdr->len) < 0)
    {
      free (buf);
      return -1;
    }
  buf[hdr->len] = '\0';
  *data = buf;
  return 0;
}

int
rt_msg_send_error (int fd, rt_error_t err)
{
  const char *msg = err && err->msg ? err->msg : "unknown error";
  return rt_msg_send (fd, RT_MSG_ERROR, err ? err->status : 0, msg, strlen (msg));
}

int
rt_send_fds (int sock, const int *fds, size_t n)
{
  for (size_t done = 0; done < n;)
    {
      size_t k = n - done < RT_FDS_PER_MSG ? n - done : RT_FDS_PER_MSG;
      char byte = 0, ctl[CMSG_SPACE (RT_FDS_PER_MSG * sizeof (int))];
      struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
      struct msghdr msg = { .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = ctl,
                            .msg_controllen = CMSG_SPACE (k * sizeof (int)) };
      struct cmsghdr *cm = CMSG_FIRSTHDR (&msg);

      memset (ctl, 0, sizeof ctl);
      cm->cmsg_level = SOL_SOCKET;
      cm->cmsg_type = SCM_RIGHTS;
      cm->cmsg_len = CMSG_LEN (k * sizeof (int));
      memcpy (CMSG_DATA (cm), fds + done, k * sizeof (int));
      if (sendmsg (sock, &msg, MSG_NOSIGNAL) != 1)
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
      size_t k = n - done < RT_FDS_PER_MSG ? n - done : RT_FDS_PER_MSG;
      char byte, ctl[CMSG_SPACE (RT_FDS_PER_MSG * sizeof (int))];
      struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
      struct msghdr msg
          = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
      struct cmsghdr *cm;
      ssize_t r;

      do
        r = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
      while (r < 0 && errno == EINTR);
      if (r != 1)
        {
          if (r >= 0)
            errno = EIO;
          return -1;
        }
      cm = CMSG_FIRSTHDR (&msg);
      if (cm == NULL || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS
          || cm->cmsg_len != CMSG_LEN (k * sizeof (int)) || (msg.msg_flags & MSG_CTRUNC))
        {
          errno = EPROTO;
          return -1;
        }
      memcpy (fds + done, CMSG_DATA (cm), k * sizeof (int));
      done += k;
    }
  return 0;
}
