/* rt <-> nsinit, after the bootstrap message (bootstrap.h).  Three channels:

   - Environment (rt -> nsinit, set by frontend/launch.c, read and unset by nsexec.c's
     constructor and init.c's main): the init socket's fd, the log pipe's fd, the log
     level, and the init type ("standard" for create/run, "setns" for exec).
   - Stage bytes (nsexec.c only, runc's values): stage 0 (parent), 1 (child) and 2 (init)
     talk over socketpairs with single bytes, enum rt_stage_sync below.
   - Frames on the init socket (a header, then LEN bytes): in order,
       rt -> init    CONFIG        right behind the bootstrap message (session.c)
       stage0 -> rt  PIDS          struct rt_msg_pids (stage 1 and stage 2), once stage 2
                                   exists
       rt -> init    MOUNT_SOURCES only when the config says mountSources: mount
                                   indices, then the fds (fdpass.h)
       init -> rt    HOOKS         only if the spec has prestart/createRuntime/
                                   createContainer hooks; rt sets resources, runs the
                                   first two, answers
       rt -> init    HOOKS_DONE    payload: the state JSON for createContainer hooks
       init -> rt    READY         set up; exec: the only message before the answer
       rt -> init    SECCOMP_PROG  when the container has a filter, just before RUN
       rt -> init    RUN           payload: the state JSON (startContainer hooks) or empty
       init -> rt    SECCOMP       with a notify listener: the fd follows (fdpass.h), rt
                                   hands it to listenerPath and answers SECCOMP_DONE
       init -> rt    ERROR         at any point, instead of the next message
     After RUN the init waits on exec.fifo (create) or execs at once (run, exec); rt
     sees the socket close on exec. */
#ifndef RT_SYNC_H
#define RT_SYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "fdpass.h" /* RT_MSG_MOUNT_SOURCES and RT_MSG_SECCOMP carry fds */

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

/* Frames on the init socket: a header, then LEN bytes of payload. */
enum rt_msg_type
{
  RT_MSG_PIDS = 1,      /* nsinit stage 0 -> rt: struct rt_msg_pids */
  RT_MSG_CONFIG,        /* rt -> init: the init config (JSON, see initconfig.h) */
  RT_MSG_HOOKS,         /* init -> rt: rootfs ready, run prestart/createRuntime hooks (procHooks) */
  RT_MSG_HOOKS_DONE,    /* rt -> init: hooks done, go on (procResume) */
  RT_MSG_READY,         /* init -> rt: set up, about to wait on exec.fifo (procReady) */
  RT_MSG_RUN,           /* rt -> init: continue (procRun) */
  RT_MSG_ERROR,         /* init -> rt: payload is the error text; errnum in the header */
  RT_MSG_SECCOMP,       /* init -> rt: seccomp listener fd follows, SCM_RIGHTS on one byte */
  RT_MSG_SECCOMP_DONE,  /* rt -> init: the fd and the state went to listenerPath */
  RT_MSG_SECCOMP_PROG,  /* rt -> init, before RUN: seccomp(2) flags (uint32_t),
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

/* The payload of RT_MSG_PIDS, exactly this size: both sides are the same build on the same
   host, so a fixed struct needs no encoding. */
struct rt_msg_pids
{
  int32_t stage1_pid; /* rt:[1:CHILD], which rt reaps */
  int32_t stage2_pid; /* rt:[2:INIT], the container's init */
};

/* Send one frame (header + payload).  Returns 0 or -1 with errno. */
int rt_msg_send (int fd, uint32_t type, int32_t errnum, const void *data, uint32_t len);
/* Receive one frame; *data is malloc'ed and NUL-terminated (may be NULL for len 0). */
int rt_msg_recv (int fd, struct rt_msg_hdr *hdr, char **data);

/* The init's last word: an RT_MSG_ERROR carrying err->msg. */
int rt_msg_send_error (int fd, rt_error_t err);

#endif
