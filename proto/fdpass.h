/* Passing fds over a unix socket (SCM_RIGHTS): the one place that builds and reads the
   control messages.  Users: the console master (nsinit -> --console-socket, rt's own
   receiver), the seccomp listener (nsinit -> rt -> listenerPath), the bind sources
   (rt -> nsinit, RT_MSG_MOUNT_SOURCES), and the test tools at the other end (recvtty,
   rt-seccomp-agent).  What the bytes mean is the caller's protocol. */
#ifndef RT_FDPASS_H
#define RT_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* The most fds one message carries (the kernel's SCM_MAX_FD is 253). */
#define RT_FDS_PER_MSG 250

/* One sendmsg (retried on EINTR, MSG_NOSIGNAL) of LEN bytes of DATA with the N_FDS
   (1..RT_FDS_PER_MSG) fds of FDS attached.  LEN must be at least 1: the kernel carries
   no fds on an empty message.  Returns the bytes sent (the fds went with them; the caller
   sends the rest, if any, with send_all), or -1 with errno. */
ssize_t rt_sendmsg_fds (int sock, const void *data, size_t len, const int *fds, size_t n_fds);

/* One recvmsg (retried on EINTR, MSG_CMSG_CLOEXEC) of at most LEN bytes into BUF.  The
   fds that came with it go to FDS, *N_FDS of them; fds past MAX are closed but counted in
   *N_FDS.  Returns the bytes received (0 at EOF), or -1 with errno (EPROTO, every fd
   closed, when the kernel had to drop some). */
ssize_t rt_recvmsg_fds (int sock, void *buf, size_t len, int *fds, size_t max, size_t *n_fds);

/* N fds and nothing else, in batches of at most RT_FDS_PER_MSG on one byte each; the
   receiver gets exactly N, close-on-exec.  0 or -1 with errno. */
int rt_send_fds (int sock, const int *fds, size_t n);
int rt_recv_fds (int sock, int *fds, size_t n);

/* A SOCK_STREAM unix socket (close-on-exec) connected to PATH, or -1 with errno
   (ENAMETOOLONG when PATH does not fit in sun_path).  For --console-socket and a
   seccomp listenerPath. */
int rt_unix_connect (const char *path);

#endif
