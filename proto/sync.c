#define _GNU_SOURCE
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <string.h>
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
