/* The front end's side of SCMP_ACT_NOTIFY (seccomp_notify.c): the listener handed to the
   agent at listenerPath. */
#ifndef RT_SECCOMP_NOTIFY_H
#define RT_SECCOMP_NOTIFY_H

#include "rt.h"
#include "session.h"

/* After RT_MSG_SECCOMP from the init: receive the listener fd from the init socket, send it
   with the container process state (runtime.md) to S's listenerPath, and tell the init
   RT_MSG_SECCOMP_DONE.  C is the container (its spec loaded), PID the process's host pid. */
int rt_seccomp_notify (struct rt_session *s, const struct rt_container *c, pid_t pid,
                       rt_error_t *err);

#endif
