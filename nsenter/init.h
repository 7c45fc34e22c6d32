/* nsinit's main(): the container-side initialization that runs in the container's init
   process after the constructor (nsexec) has returned.  Shared between init.c, rootfs.c,
   mounts.c, devices.c, safe.c, process.c, caps.c, console.c and hooks_init.c. */
#ifndef RT_NSENTER_INIT_H
#define RT_NSENTER_INIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "initconfig.h"
#include "spec.h"

struct init_ctx
{
  struct rt_init_config *config;
  const struct rt_process *process;
  int initpipe;      /* framed messages with rt (proto/sync.h) */
  int logpipe;       /* JSON lines (nslog), or -1 */
  int rootfd;        /* O_PATH fd of the container's root: the rootfs before pivot, "/" after */
  char *rootfs_path; /* what the kernel calls rootfd (readlink), "/" after pivot */
  bool userns;       /* running in a user namespace other than the initial one */
  bool cgroupns;     /* the spec asks for a cgroup namespace */
  bool setup_dev;    /* /dev is not bind-mounted from the host: create the default devices */
  bool dev_ro;       /* the /dev mount asked for ro: remount it once the devices exist */
  unsigned long dev_flags; /* the /dev mount's flags, for that remount */
  char *state_json;        /* OCI state from rt (RT_MSG_HOOKS_DONE / RT_MSG_RUN), or NULL */
  char *exec_path;         /* args[0] resolved by the container's PATH */
  char **env;              /* the process environment (HOME added when missing) */
  char *seccomp;           /* RT_MSG_SECCOMP_PROG's payload until loaded, or NULL */
  size_t seccomp_len;
  bool seccomp_notify; /* it has SCMP_ACT_NOTIFY rules: the listener fd goes to rt */
};

/* ---- init.c ---- */
bool has_namespace (const struct rt_spec *spec, int flag); /* CLONE_NEW* in linux.namespaces */

/* ---- safe.c: every path inside the rootfs goes through these ---- */

/* openat2(ROOTFD, PATH, FLAGS) with RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS; PATH is
   absolute inside the root.  Returns the fd or -1 with errno (no rt_error: callers
   decide whether ENOENT is an error). */
int safe_open_raw (int rootfd, const char *path, int flags, mode_t mode);
int safe_open (int rootfd, const char *path, int flags, mode_t mode, rt_error_t *err);
/* mkdir -p PATH inside ROOTFD; returns an O_PATH fd of the directory. */
int safe_mkdir_p (int rootfd, const char *path, mode_t mode, rt_error_t *err);
/* Create PATH as an empty regular file if missing (parents too); returns an O_PATH fd. */
int safe_create_file (int rootfd, const char *path, mode_t mode, rt_error_t *err);
/* mkdir -p the parent of PATH; returns its O_PATH fd and the last component in *BASE. */
int safe_parent (int rootfd, const char *path, char **base, rt_error_t *err);
/* "/proc/self/fd/N" for FD in BUF. */
const char *fd_path (int fd, char *buf, size_t len);
/* mount(2) onto /proc/self/fd/FD (remounts and propagation changes).  -1 with errno. */
int fd_mount (int fd, const char *source, const char *type, unsigned long flags, const char *data);
/* Mount onto the target TARGETFD (from safe_open*), then reopen DEST inside ROOTFD and
   check that DEST now shows the new mount (CVE-2021-30465: a symlink swapped in between
   must not redirect the mount).  Returns an O_PATH fd of the new mount's root. */
int safe_mount (int rootfd, const char *dest, int targetfd, const char *source, const char *type,
                unsigned long flags, const char *data, rt_error_t *err);
/* The same for a detached mount TREEFD (open_tree) attached with move_mount; SOURCE names
   it in errors. */
int safe_move_mount (int rootfd, const char *dest, int targetfd, int treefd, const char *source,
                     rt_error_t *err);
/* Path of FD as the kernel sees it (readlink /proc/self/fd/FD), malloc'ed, or NULL. */
char *fd_readlink (int fd);

/* ---- mount_opts.c: a spec mount's options, parsed (no system call) ---- */
struct mount_opts
{
  unsigned long flags;          /* MS_* to set */
  unsigned long propagation[8]; /* MS_SHARED|MS_REC, ... applied in order after the mount */
  size_t n_propagation;
  bool bind, rec;
  uint64_t attr_set, attr_clr;  /* recursive options ("rro", ...) via mount_setattr */
  bool copyup;                  /* "tmpcopyup": the tmpfs starts with the directory's content */
  const struct rt_mount *idmap; /* "idmap"/"ridmap" or mount mappings: this mount's, or NULL */
  bool idmap_rec;               /* "ridmap": the whole tree */
  int source_fd; /* the source as a detached mount rt opened on the host (mount_fds), or -1 */
  char *data;    /* options the kernel's file system parses ("mode=755,size=64k"), or NULL */
};
int mount_opts_parse (const struct rt_mount *m, struct mount_opts *o, rt_error_t *err);
void mount_opts_free (struct mount_opts *o);
/* Append OPT to the options the file system parses (o->data, comma-separated). */
void mount_opts_add_data (struct mount_opts *o, const char *opt);

/* ---- mounts.c ---- */
/* Mount every spec mount in order inside ctx->rootfd. */
int mounts_apply (struct init_ctx *ctx, rt_error_t *err);
/* Bind SOURCE onto DEST (created as file or dir like SOURCE), remount with the flags. */
int mount_bind (struct init_ctx *ctx, const char *source, const char *dest,
                const struct mount_opts *o, rt_error_t *err);

/* ---- copyup.c: copy the directory LOWER into the new tmpfs UPPER (O_PATH fd) ---- */
int tmpcopyup (int lower, int upper, const char *dest, rt_error_t *err);

/* ---- cgroupfs.c: "cgroup" and "cgroup2" mounts ---- */
int mount_cgroup (struct init_ctx *ctx, const struct rt_mount *m, const struct mount_opts *o,
                  rt_error_t *err);

/* ---- rootfs.c ---- */
int rootfs_prepare (struct init_ctx *ctx, rt_error_t *err);     /* propagation, rbind, rootfd */
int rootfs_pivot (struct init_ctx *ctx, rt_error_t *err);       /* pivot_root or MS_MOVE */
int rootfs_finalize (struct init_ctx *ctx, rt_error_t *err);    /* masked/ro paths, ro root */
int rootfs_propagation (struct init_ctx *ctx, rt_error_t *err); /* linux.rootfsPropagation */
/* Remount FD (a bind mount) with FLAGS; retry keeping the flags the kernel locked. */
int remount_bind (int fd, unsigned long flags);

/* ---- devices.c ---- */
int devices_setup (struct init_ctx *ctx, rt_error_t *err);

/* ---- process.c ---- */
int process_names (const struct rt_spec *spec, rt_error_t *err);       /* hostname, domainname */
int network_loopback_up (const struct rt_spec *spec, rt_error_t *err); /* new netns: lo up */
int process_sysctl (const struct rt_spec *spec, rt_error_t *err);
int process_lsm_check (const struct rt_process *p, rt_error_t *err);
int process_mount_label_check (const struct rt_spec *spec, rt_error_t *err);
int process_lsm_apply (const struct rt_process *p, rt_error_t *err);
int process_prepare (struct init_ctx *ctx, rt_error_t *err); /* cwd, env, PATH, rlimits */
int process_close_fds (struct init_ctx *ctx, rt_error_t *err);
int process_user (const struct rt_process *p, rt_error_t *err);   /* groups, gid, uid */
int process_finish (const struct rt_process *p, rt_error_t *err); /* umask, no_new_privs */

/* ---- sched.c ---- */
int process_sched (const struct rt_process *p, rt_error_t *err); /* scheduler, ioPriority */
int process_affinity_final (const struct rt_process *p, rt_error_t *err);
int process_persona_mempolicy (const struct rt_init_config *c, rt_error_t *err);

/* ---- caps.c ---- */
int caps_drop_bounding (const struct rt_process *p, rt_error_t *err);
int caps_apply (const struct rt_process *p, rt_error_t *err);

/* ---- seccomp.c ---- */
/* Where the filter may be loaded; seccomp_filter_apply loads it at exactly one of them
   (see seccomp.c for which and why) and does nothing at the others. */
enum seccomp_point
{
  SECCOMP_AT_PRIVILEGED, /* after RT_MSG_RUN, before caps and ids change */
  SECCOMP_AT_LAST_SYNC,  /* after no_new_privs, before the init socket closes */
  SECCOMP_AT_EXEC,       /* after exec.fifo, before startContainer hooks and execve */
};
/* Keep MSG (RT_MSG_SECCOMP_PROG's payload, LEN bytes; freed in any case) for apply. */
int seccomp_filter_take (struct init_ctx *ctx, char *msg, size_t len, rt_error_t *err);
int seccomp_filter_apply (struct init_ctx *ctx, enum seccomp_point at, rt_error_t *err);

/* ---- console.c ---- */
int console_setup (struct init_ctx *ctx, rt_error_t *err);

/* ---- hooks_init.c ---- */
/* Run hooks[0..n) in order with STATE on stdin (its pid made ours), if CWD_FD >= 0 that
   directory as their cwd, and ENV for a hook that gives none (runc: the process's); KIND
   names them in errors ("createContainer hook 0 (/bin/x): exit status 1"). */
int hooks_run (const struct rt_hook *hooks, size_t n, const char *kind, const char *state,
               int cwd_fd, char *const *env, rt_error_t *err);

#endif
