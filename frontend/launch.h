/* Starting nsinit (launch.c) and building what it is sent (bootstrap_build.c). */
#ifndef RT_LAUNCH_H
#define RT_LAUNCH_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

#include "bootstrap.h"
#include "error.h"
#include "spec.h"

/* Fill *b for a new container from SPEC (strings point into SPEC or into *scratch,
   which the caller frees).  Returns the encoded message in *blob. */
int rt_bootstrap_build (const struct rt_spec *spec, void **blob, size_t *len, rt_error_t *err);

/* NS_PATHS: "type:path,..." in runc's join order (user first).  FDS NULL: the
   namespaces the config joins by path; else every namespace the container has, FDS[i]
   an fd of l->namespaces[i]'s, at /proc/self/fd/FDS[i] (exec: nsinit inherits them).
   NULL when there is none. */
char *rt_ns_join_paths (const struct rt_linux *l, const int *fds);

/* Write the blob to $RT_BOOTSTRAP_DUMP when that is set (debugging aid). */
int rt_bootstrap_dump_env (const void *blob, size_t len, rt_error_t *err);

struct rt_launch
{
  const char *inittype; /* "standard" or "setns" */
  int initpipe;         /* nsinit's end of the init socket */
  int logpipe;          /* write end of the log pipe */
  int *extra_fds;       /* other fds nsinit inherits (fifo, console), at the same numbers */
  size_t n_extra_fds;
  int preserve_fds;          /* fds 3 .. 3+N-1 pass through unchanged */
  const char *cwd;           /* nsinit's working directory (the bundle), or NULL */
  int cgroup_fd;             /* a cgroup2 directory to start in (CLONE_INTO_CGROUP), or -1 */
  const cpu_set_t *affinity; /* execCPUAffinity.initial: nsinit starts on these CPUs */
};

/* Execute nsinit from a sealed memfd copy (CVE-2019-5736); returns its pid.  With a
   cgroup_fd it starts inside that cgroup (*placed = true): no migration, which on this
   kernel saves an RCU grace period (7-15 ms) per container. */
pid_t rt_launch_nsinit (const struct rt_launch *l, bool *placed, rt_error_t *err);

#endif
