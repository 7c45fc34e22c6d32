/* The front end's side of linux.seccomp (seccomp_notify.c): the container's config for an
   exec's init, and the SCMP_ACT_NOTIFY listener handed to the agent at listenerPath. */
#ifndef RT_SECCOMP_NOTIFY_H
#define RT_SECCOMP_NOTIFY_H

#include "rt.h"
#include "session.h"

/* exec: the container's config.json (its copy in the state dir) when it has linux.seccomp,
   for the setns init to apply; *doc = NULL when there is nothing to send. */
int rt_seccomp_exec_doc (struct rt_container *c, char **doc, size_t *len, rt_error_t *err);

/* After RT_MSG_SECCOMP from the init: receive the listener fd from the init socket, send it
   with the container process state (runtime.md) to S's listenerPath, and tell the init
   RT_MSG_SECCOMP_DONE.  STATE is the container's state JSON, PID the process's host pid. */
int rt_seccomp_notify (struct rt_session *s, const struct rt_seccomp *sc, const char *state,
                       pid_t pid, rt_error_t *err);

#endif
