/* Running one OCI hook: the one runner both binaries use (rt for prestart,
   createRuntime, poststart and poststop; nsinit for createContainer and
   startContainer).  What differs between them is a parameter: the name used in errors,
   the state text (nsinit puts the pid as the container sees it), the cwd, and the
   environment for a hook that gives none. */
#ifndef RT_HOOK_H
#define RT_HOOK_H

#include "error.h"
#include "spec.h"

/* Run H: fork, exec with its args (args[0] is argv[0]; none given: the path) and env,
   STATE on its stdin, its stdout and stderr collected.  The hook leads its own process
   group: at its timeout that group is killed.  ENV is for a hook without env (NULL: the
   caller's own environment, as Go's exec does); CWD_FD >= 0: the hook's cwd.  Errors
   name WHAT ("WHAT: exit status 3, stdout: ..., stderr: ...").  On success *OUTPUT (if
   OUTPUT is not NULL) is what the hook printed, in the same ", stdout: ..." form. */
int rt_hook_exec (const struct rt_hook *h, const char *what, const char *state, int cwd_fd,
                  char *const *env, char **output, rt_error_t *err);

#endif
