/* linux.seccomp on the init's side.  rt compiles the filter with libseccomp
   (frontend/seccomp_filter.c) while the init sets the container up and sends the BPF
   program with the seccomp(2) flags next to its go-ahead (RT_MSG_SECCOMP_PROG, before
   RT_MSG_RUN).  The init loads it with the kernel's call, as late as the process allows:

   - noNewPrivileges false: right after rt's go-ahead (RT_MSG_RUN), before the bounding set,
     the ids and the capabilities change: without no_new_privs only CAP_SYS_ADMIN may load a
     filter.  setgroups, setres[ug]id, capset, prctl and what follows run under it (runc).
   - noNewPrivileges true with an SCMP_ACT_NOTIFY rule: after no_new_privs is set, as the
     last exchange on the init socket, which carries the listener fd to rt (runc 1.1).
     exec.fifo, the startContainer hooks, close_range, the signal reset and execve run under it.
   - noNewPrivileges true otherwise: after exec.fifo, close_range and the signal reset,
     before the startContainer hooks (as in runc, they run under the filter) and execve.

   The listener fd goes to rt over the init socket (SCM_RIGHTS); rt, on the host side,
   connects to listenerPath and sends it with the container process state (runtime.md). */
#define _GNU_SOURCE
#include "init.h"
#include "fdpass.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int
seccomp_filter_take (struct init_ctx *ctx, char *msg, size_t len, rt_error_t *err)
{
  uint32_t flags;

  if (len < sizeof flags + sizeof (struct sock_filter)
      || (len - sizeof flags) % sizeof (struct sock_filter) != 0
      || (len - sizeof flags) / sizeof (struct sock_filter) > BPF_MAXINSNS)
    {
      free (msg);
      return rt_error (err, 0, "seccomp: a program of %zu bytes", len);
    }
  memcpy (&flags, msg, sizeof flags);
  free (ctx->seccomp);
  ctx->seccomp = msg;
  ctx->seccomp_len = len;
  ctx->seccomp_notify = (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
  return 0;
}

/* RT_MSG_SECCOMP, then the fd on one byte of its own (rt reads frames with read(2), which
   would drop ancillary data), then wait for rt to have passed it to the agent. */
static int
send_listener (struct init_ctx *ctx, int fd, rt_error_t *err)
{
  cleanup_free char *data = NULL;
  struct rt_msg_hdr hdr;
  ssize_t n;

  if (rt_msg_send (ctx->initpipe, RT_MSG_SECCOMP, 0, NULL, 0) < 0)
    return rt_error (err, errno, "seccomp: write to the init pipe");
  n = rt_sendmsg_fds (ctx->initpipe, "", 1, &fd, 1);
  if (n != 1)
    return rt_error (err, n < 0 ? errno : EIO, "seccomp: send the listener fd");
  if (rt_msg_recv (ctx->initpipe, &hdr, &data) < 0)
    return rt_error (err, errno, "seccomp: read from the init pipe");
  if (hdr.type != RT_MSG_SECCOMP_DONE)
    return rt_error (err, 0, "init pipe: expected seccomp done, got message %u", hdr.type);
  return 0;
}

static enum seccomp_point
load_point (const struct init_ctx *ctx)
{
  if (!ctx->process->no_new_privileges)
    return SECCOMP_AT_PRIVILEGED;
  return ctx->seccomp_notify ? SECCOMP_AT_LAST_SYNC : SECCOMP_AT_EXEC;
}

int
seccomp_filter_apply (struct init_ctx *ctx, enum seccomp_point at, rt_error_t *err)
{
  cleanup_free char *msg = NULL;
  struct sock_fprog prog;
  uint32_t flags;
  int r = 0, fd;

  if (ctx->seccomp == NULL || at != load_point (ctx))
    return 0;
  msg = take_ptr (&ctx->seccomp);
  memcpy (&flags, msg, sizeof flags);
  prog.len = (unsigned short) ((ctx->seccomp_len - sizeof flags) / sizeof (struct sock_filter));
  prog.filter = (struct sock_filter *) (msg + sizeof flags); /* malloc'ed: aligned */
  fd = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (fd < 0)
    return rt_error (err, errno, "seccomp: load the filter");
  if (ctx->seccomp_notify)
    {
      r = send_listener (ctx, fd, err);
      close (fd);
    }
  return r;
}
