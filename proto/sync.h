/* Synchronisation between the stages of nsinit (single bytes, runc's values), and the
   framed messages between rt and nsinit's init on the init socket. */
#ifndef RT_SYNC_H
#define RT_SYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Stage <-> stage bytes on the stage sockets (runc nsexec.c). */
enum rt_stage_sync
{
  SYNC_USERMAP_PLS = 0x40, /* child -> parent: write my uid_map/gid_map */
  SYNC_USERMAP_ACK = 0x41,
  SYNC_RECVPID_PLS = 0x42, /* child -> parent: here is the init's pid */
  SYNC_RECVPID_ACK = 0x43,
  SYNC_GRANDCHILD = 0x44,   /* parent -> init: go */
  SYNC_CHILD_FINISH = 0x45, /* init -> parent: done with stage 2 set-up */
};

/* Environment that rt sets for nsinit. */
#define RT_ENV_INITPIPE "_RT_INITPIPE"
#define RT_ENV_LOGPIPE "_RT_LOGPIPE"
#define RT_ENV_LOGLEVEL "_RT_LOGLEVEL"
#define RT_ENV_INITTYPE "_RT_INITTYPE" /* "standard" or "setns" */
#define RT_ENV_FIFOFD "_RT_FIFOFD"

/* Frames on the init socket: a header, then LEN bytes of payload. */
enum rt_msg_type
{
  RT_MSG_PIDS = 1,      /* nsinit stage 0 -> rt: {"stage1_pid":N,"stage2_pid":M} */
  RT_MSG_CONFIG,        /* rt -> init: the init config (JSON, see initconfig.h) */
  RT_MSG_HOOKS,         /* init -> rt: rootfs ready, run prestart/createRuntime hooks (procHooks) */
  RT_MSG_HOOKS_DONE,    /* rt -> init: hooks done, go on (procResume) */
  RT_MSG_READY,         /* init -> rt: set up, about to wait on exec.fifo (procReady) */
  RT_MSG_RUN,           /* rt -> init: continue (procRun) */
  RT_MSG_ERROR,         /* either way: payload is the error text; errnum in the header */
  RT_MSG_EXEC_START,    /* rt -> init: start now without the fifo (rt run) */
  RT_MSG_SECCOMP,       /* init -> rt: seccomp listener fd follows, SCM_RIGHTS on one byte */
  RT_MSG_SECCOMP_DONE,  /* rt -> init: the fd and the state went to listenerPath */
  RT_MSG_SECCOMP_PROG,  /* rt -> init, before RUN/EXEC_START: seccomp(2) flags (uint32_t),
                           then the filter (struct sock_filter[]) */
  RT_MSG_MOUNT_SOURCES, /* rt -> init, after CONFIG when it says mountSources: int32_t mount
                           indices, then one fd per index by rt_send_fds (bind sources) */
};

struct rt_msg_hdr
{
  uint32_t type;
  int32_t errnum;
  uint32_t len;
};

#define RT_MSG_MAX (64u << 20)

/* Send one frame (header + payload).  Returns 0 or -1 with errno. */
int rt_msg_send (int fd, uint32_t type, int32_t errnum, const void *data, uint32_t len);
/* Receive one frame; *data is malloc'ed and NUL-terminated (may be NULL for len 0). */
int rt_msg_recv (int fd, struct rt_msg_hdr *hdr, char **data);

/* Convenience: send an RT_MSG_ERROR carrying err->msg. */
int rt_msg_send_error (int fd, rt_error_t err);

/* N fds as SCM_RIGHTS, in batches of at most RT_FDS_PER_MSG on one byte each; the
   receiver gets them close-on-exec.  0 or -1 with errno. */
#define RT_FDS_PER_MSG 250
int rt_send_fds (int sock, const int *fds, size_t n);
int rt_recv_fds (int sock, int *fds, size_t n);

#endif
