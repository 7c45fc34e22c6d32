/* What cgroup.c shares with the two managers (cgroup_v1.c, cgroup_v2.c). */
#ifndef RT_CGROUP_INTERNAL_H
#define RT_CGROUP_INTERNAL_H

#include "rt.h"

extern const struct rt_cgroup_manager rt_cgroup_v1;
extern const struct rt_cgroup_manager rt_cgroup_v2;

/* Make BASE/REL, one component at a time below BASE (which must exist), calling
   ON_DIR (if not NULL) for each level: CREATED says whether rt just made it, LEAF
   whether it is REL itself (cpuset copies cpus/mems down; v2 enables controllers). */
typedef int (*cg_dir_fn) (const char *dir, bool created, bool leaf, rt_error_t *err);
int cg_mkdir (const char *base, const char *rel, cg_dir_fn on_dir, rt_error_t *err);

/* Write PID into DIR/cgroup.procs. */
int cg_add_pid (const char *dir, pid_t pid, rt_error_t *err);

/* Append the pids of DIR/cgroup.procs and of every cgroup below it. */
int cg_read_pids (const char *dir, pid_t **pids, size_t *n, rt_error_t *err);

/* Freeze, signal every pid, thaw again unless it was frozen before (so a paused container
   stays paused).  For managers without a native kill. */
int cg_signal_all (struct rt_cgroup *cg, int sig, rt_error_t *err);

/* rmdir BASE/REL with every child cgroup below it, retrying while it is busy; then the
   now-empty parents of REL that are rt's own ("/rt/..."). ENOENT is success. */
int cg_remove (const char *base, const char *rel, rt_error_t *err);

/* Read a small cgroup file, trailing newline stripped. */
int cg_read (const char *dir, const char *file, char **out, rt_error_t *err);
int cg_write (const char *dir, const char *file, const char *val, rt_error_t *err);

#endif
