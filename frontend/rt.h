/* rt's front end: the libcontainer-like core shared by the command files. */
#ifndef RT_FRONTEND_H
#define RT_FRONTEND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <yajl/yajl_gen.h>

#include "error.h"
#include "spec.h"
#include "util.h"

/* The OCI runtime-spec version rt implements: `rt --version`, `rt spec`, `rt state`. */
#define RT_SPEC_VERSION "1.3.0"

/* ---- global options (main.c) ---- */
struct rt_global
{
  const char *root;     /* --root, default /run/rt */
  const char *log_path; /* --log, NULL = stderr */
  bool log_json;        /* --log-format json */
  bool debug;           /* --debug */
  bool systemd_cgroup;  /* --systemd-cgroup (accepted, refused when used) */
  bool reorder_args;    /* the command takes flags after its arguments (runc's reorder) */
  const char *criu;     /* --criu, default "criu" */
  const char *argv0;
};
extern struct rt_global rt_global;

/* ---- logging (log.c) ----
   Entries go to --log (or stderr) as runc's logrus writes them: text as
   `time="..." level=error msg="..."`, json as {"level":"error","msg":"...","time":"..."}. */
enum rt_log_level
{
  RT_LOG_ERROR,
  RT_LOG_WARN,
  RT_LOG_INFO,
  RT_LOG_DEBUG
};
void rt_log (enum rt_log_level level, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Forward one JSON line from nsinit's log pipe ({"level":"debug","msg":"..."}). */
void rt_log_forward (const char *line);
/* Print the final error once: "rt: CMD ID: MSG" on stderr (and to --log). */
void rt_log_error_exit (const char *cmd, const char *id, rt_error_t err) __attribute__ ((noreturn));
/* The same with another exit status (exec exits 255 when it cannot start, as runc). */
void rt_log_error_exit_status (const char *cmd, const char *id, rt_error_t err, int status)
    __attribute__ ((noreturn));

/* ---- --debug timing breakdown (trace.c) ----
   rt_trace_mark ("stage") records the time a step ended when --debug is on; the stub's
   "timing: STAGE" log lines are added with rt_trace_stub; rt_trace_report prints all
   in time order as debug lines. */
long long rt_trace_now (void); /* CLOCK_MONOTONIC in ns */
void rt_trace_mark_slow (const char *stage);
void rt_trace_stub (const char *stage, long long ns);
void rt_trace_report (const char *what);
#define rt_trace_mark(stage)                                                                       \
  do                                                                                               \
    {                                                                                              \
      if (rt_global.debug)                                                                         \
        rt_trace_mark_slow (stage);                                                                \
    }                                                                                              \
  while (0)

/* ---- container state (state.c) ---- */
enum rt_status
{
  RT_STATUS_CREATING,
  RT_STATUS_CREATED,
  RT_STATUS_RUNNING,
  RT_STATUS_PAUSED,
  RT_STATUS_STOPPED
};
const char *rt_status_name (enum rt_status s); /* "created", ... */

/* What <root>/<id>/state.json holds. */
struct rt_container
{
  char *id;
  pid_t pid;                     /* container init, 0 before it exists */
  unsigned long long start_time; /* of pid (/proc/PID/stat field 22), guards pid reuse */
  char *bundle;                  /* absolute */
  char *rootfs;                  /* absolute */
  char *created;                 /* RFC 3339 with nanoseconds, UTC */
  char *owner;                   /* "" for root, as runc */
  char *cgroup_path;             /* the resolved linux.cgroupsPath, NULL if none */
  bool paused;                   /* pause/resume (issue 3) keep this */
  char *config;                  /* create: the bundle's config.json as read */
  size_t config_len;
  char *doc; /* loaded: state.json as read (its "config" subtree is the config at create) */
  size_t doc_len;
  yajl_val tree; /* create: the config's (load_bundle); loaded: doc's, when the config is needed */
  struct rt_spec *spec; /* parsed from the config, loaded lazily */
  char *dir;            /* <root>/<id> */
  bool creating;        /* in memory only: create has not finished (hooks see "creating") */
};

char *rt_container_dir (const char *id); /* <root>/<id> */

/* Create <root>/<id> (0711), failing with "container with id exists" when it does. */
int rt_state_create_dir (const char *id, rt_error_t *err);
/* Fail with EEXIST ("already exists") if <root>/<id> is there; the check of a `run` that
   makes the directory only once the container is launched. */
/* flock(<root>/<id>) exclusive; *fd stays open while held. */
int rt_state_lock (const char *id, int *fd, rt_error_t *err);
int rt_state_save (struct rt_container *c, rt_error_t *err);
/* Load; "container \"ID\" does not exist" when missing. */
int rt_state_load (const char *id, struct rt_container **out, rt_error_t *err);
/* c->spec from the config (the bundle's text at create, else state.json's "config",
   the whole document read strictly then), once. */
int rt_container_spec (struct rt_container *c, rt_error_t *err);
void rt_container_free (struct rt_container *c);
static inline void
rt_container_freep (struct rt_container **c)
{
  rt_container_free (*c);
}
#define cleanup_container __attribute__ ((cleanup (rt_container_freep)))
/* Status from the live system: pid gone or start time changed -> stopped; exec.fifo
   present -> created; freezer frozen -> paused; else running. */
enum rt_status rt_container_status (const struct rt_container *c);

/* pidfd.c: the init by pidfd, taken once its pid and start time are checked; signals and
   namespace lookups through it cannot reach a process that reused the pid. */
int rt_container_pidfd (const struct rt_container *c, int *out, rt_error_t *err);
int rt_pidfd_signal (int pidfd, int sig, rt_error_t *err);
/* The init's namespace of TYPE (CLONE_NEW*) as an fd (PID: for the /proc fallback). */
int rt_pidfd_ns (int pidfd, pid_t pid, int type, rt_error_t *err);
/* The OCI state JSON (ociVersion, id, status, pid, bundle, rootfs?, created, owner,
   annotations) as `rt state` prints it and hooks receive it on stdin. */
char *rt_container_state_json (const struct rt_container *c, bool pretty);
/* The same object into G, e.g. as a subtree of another document. */
void rt_container_state_gen (yajl_gen g, const struct rt_container *c);
/* Remove <root>/<id> entirely. */
int rt_state_remove (const char *id, rt_error_t *err);
/* Now as Go's RFC3339Nano in UTC ("2026-11-23T00:31:41.336981163Z"), for c->created. */
char *rt_timestamp_now (void);
/* Days since 1970-01-01 (negative before) to year, month 1-12 and day 1-31. */
void rt_civil_from_days (long long days, int *year, unsigned *month, unsigned *day);

/* ---- resource statistics (stats.c): what `events` prints, runc's types.Stats ---- */
enum rt_blkio_stat
{
  RT_BLKIO_SERVICE_BYTES, /* ioServiceBytesRecursive */
  RT_BLKIO_SERVICED,      /* ioServicedRecursive */
  RT_BLKIO_QUEUED,        /* ioQueueRecursive */
  RT_BLKIO_SERVICE_TIME,  /* ioServiceTimeRecursive */
  RT_BLKIO_WAIT_TIME,     /* ioWaitTimeRecursive */
  RT_BLKIO_MERGED,        /* ioMergedRecursive */
  RT_BLKIO_TIME,          /* ioTimeRecursive */
  RT_BLKIO_SECTORS,       /* sectorsRecursive */
  RT_BLKIO_KINDS
};

struct rt_blkio_entry
{
  uint64_t major, minor, value;
  char op[16]; /* "Read", "Write", "Sync", "Async", "Discard", "Total" or "" */
};

struct rt_mem_entry
{
  uint64_t limit, usage, max, failcnt;
};

struct rt_stat_kv
{
  char *key;
  uint64_t value;
};

struct rt_hugetlb_stat
{
  char *page_size; /* "2MB" */
  uint64_t usage, max, failcnt;
};

struct rt_stats
{
  struct
  {
    uint64_t total, kernel, user; /* nanoseconds */
    uint64_t *percpu, *percpu_kernel, *percpu_user;
    size_t n_percpu, n_percpu_kernel, n_percpu_user;
    uint64_t periods, throttled_periods, throttled_time;
  } cpu;
  struct
  {
    uint16_t *cpus, *mems;
    size_t n_cpus, n_mems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
        memory_spread_slab, memory_pressure, sched_load_balance;
    int64_t sched_relax_domain_level;
  } cpuset;
  struct
  {
    uint64_t cache;
    struct rt_mem_entry usage, swap, kernel, kernel_tcp;
    struct rt_stat_kv *raw; /* memory.stat, sorted by key */
    size_t n_raw;
  } memory;
  struct
  {
    uint64_t current, limit;
  } pids;
  struct
  {
    struct rt_blkio_entry *e;
    size_t n;
  } blkio[RT_BLKIO_KINDS];
  struct rt_hugetlb_stat *hugetlb;
  size_t n_hugetlb;
};

/* {"type":"stats","id":ID,"data":{...}} exactly as runc 1.1's `events` encodes it. */
char *rt_stats_event_json (const char *id, const struct rt_stats *s);
void rt_stats_clear (struct rt_stats *s);

/* ---- cgroups (cgroup*.c) ---- */
struct rt_cgroup;
struct rt_cgroup_manager
{
  const char *name; /* "v1", "v2" */
  /* create the cgroup (every controller / the unified dir) and move PID into it */
  int (*apply) (struct rt_cgroup *cg, pid_t pid, rt_error_t *err);
  /* write linux.resources: every field that is present (has_*, non-empty); at create the
     device rules also get runc's default allow list, and update leaves devices alone */
  int (*set) (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err);
  int (*freeze) (struct rt_cgroup *cg, bool frozen, rt_error_t *err);
  int (*pids) (struct rt_cgroup *cg, pid_t **pids, size_t *n, rt_error_t *err);
  /* signal every process (freezing meanwhile where that is needed); a paused container
     stays paused unless SIG is SIGKILL */
  int (*kill) (struct rt_cgroup *cg, int sig, rt_error_t *err);
  /* remove the directories (must be empty of processes); ENOENT is fine */
  int (*destroy) (struct rt_cgroup *cg, rt_error_t *err);
  /* is the cgroup frozen (v1 freezer.state FROZEN, v2 cgroup.freeze 1)? */
  int (*frozen) (struct rt_cgroup *cg, bool *frozen, rt_error_t *err);
  /* fill *st (zeroed by the caller) from every controller that is there */
  int (*stats) (struct rt_cgroup *cg, struct rt_stats *st, rt_error_t *err);
  /* OOM events: a pollable fd (v1 eventfd on memory.oom_control, v2 inotify on
     memory.events); after it polls readable, oom_read says how many OOM events came
     and whether the cgroup is gone (the container was deleted). */
  int (*oom_open) (struct rt_cgroup *cg, int *fd, rt_error_t *err);
  int (*oom_read) (struct rt_cgroup *cg, int fd, unsigned *events, bool *gone, rt_error_t *err);
  /* v2: create the cgroup and open it for clone3(CLONE_INTO_CGROUP) (*fd = -1 on v1) */
  int (*open_dir) (struct rt_cgroup *cg, int *fd, rt_error_t *err);
  /* optional, before set at create: the slow part of set that changes nothing yet (v2:
     load the device program, which set then only attaches) */
  int (*prepare) (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err);
};

struct rt_cgroup
{
  const struct rt_cgroup_manager *ops;
  char *path;        /* absolute cgroup path, e.g. "/rt/c1" */
  char *mount;       /* v2: the cgroup2 mount ("/sys/fs/cgroup"); v1: NULL */
  bool update;       /* set() from `rt update`: no device rules, no defaults */
  uint64_t oom_kill; /* v2: memory.events oom_kill seen so far */
  bool has_dev_prog; /* v2: dev_prog is the device program prepare loaded */
  int dev_prog;
  /* exec --cgroup (borrowed): NULL-terminated pairs {controllers, path}: apply moves the
     process into these existing sub-cgroups of path ("" controllers: every hierarchy) */
  char **sub;
};

/* Resolve linux.cgroupsPath (NULL/"" -> "/rt/<id>", relative -> "/<path>") and pick the
   manager from what is mounted at /sys/fs/cgroup. */
int rt_cgroup_new (const char *cgroups_path, const char *id, struct rt_cgroup **out,
                   rt_error_t *err);
void rt_cgroup_free (struct rt_cgroup *cg);
static inline void
rt_cgroup_freep (struct rt_cgroup **cg)
{
  rt_cgroup_free (*cg);
}
#define cleanup_cgroup __attribute__ ((cleanup (rt_cgroup_freep)))
/* exec --cgroup ARGS ([controllers:]path, runc's forms): checked, then apply joins those
   existing sub-cgroups.  *PAIRS (the caller frees it with strv_free, after CG) gets the
   parsed {controllers, path} pairs. */
int rt_cgroup_set_sub (struct rt_cgroup *cg, char *const *args, size_t n, char ***pairs,
                       rt_error_t *err);
/* The container's cgroup (from state.json), or an error if it has none. */
int rt_container_cgroup (const struct rt_container *c, struct rt_cgroup **out, rt_error_t *err);
/* linux.resources fields that no file of this cgroup version (V2) or kernel applies:
   refused (create checks them before anything is made, update before writing). */
int rt_cgroup_check_resources (const struct rt_resources *r, bool v2, rt_error_t *err);
/* Is /sys/fs/cgroup a cgroup2 mount? */
bool rt_cgroup_is_v2 (void);

/* Docker's RAMInBytes: "512", "64k", "1.5g", "100MiB" (binary multiples). */
int rt_parse_size (const char *s, int64_t *out);

/* ---- hooks (hooks.c, over proto/hook.c's runner) ----
   Run each hook with the state JSON on stdin, its args and env, honouring timeout;
   fails with "KIND hook #i (PATH): exit status N, stdout: ..., stderr: ..." (or timed out). */
int rt_hooks_run (const struct rt_spec *spec, enum rt_hook_kind kind, const char *state_json,
                  rt_error_t *err);
/* Run every hook of KIND: each failure is logged as a warning (poststop). */
void rt_hooks_run_all (const struct rt_spec *spec, enum rt_hook_kind kind, const char *state_json);

/* ---- container lifecycle (container.c) ---- */
struct rt_create_opts
{
  const char *id;
  const char *bundle;
  const char *pid_file;
  const char *console_socket;
  bool no_pivot, no_new_keyring;
  int preserve_fds;
  bool run;    /* rt run: start right after create */
  bool detach; /* rt run -d */
  bool keep;   /* rt run --keep: do not delete the stopped container */
};
/* create (and with opts->run, start and wait).  For run without detach, *exit_status is
   the container's exit status (128+N when killed by signal N). */
int rt_container_create (const struct rt_create_opts *opts, int *exit_status, rt_error_t *err);
int rt_container_start (const char *id, rt_error_t *err);
/* Freeze (PAUSE) or thaw the container's cgroup and record it (pause.c). */
int rt_container_pause (struct rt_container *c, bool pause, rt_error_t *err);
/* Kill every process, run poststop hooks, remove the cgroup and the state dir. */
int rt_container_delete (struct rt_container *c, bool force, rt_error_t *err);
/* SIGKILL the container's processes and wait for its init (a failed poststart hook). */
int rt_container_stop (struct rt_container *c, rt_error_t *err);

/* ---- command helpers (main.c) ----
   A command gets argv[0] = its name and optind already reset.  rt_getopt is
   getopt_long_only with "+" (flags stop at the first argument; runc's -bundle forms
   work); an unknown flag or a missing value exits 1 with a usage error, and -h/--help
   (which every command declares as 'h') prints USAGE and exits 0. */
struct option;
int rt_getopt (int argc, char **argv, const char *usage, const char *shortopts,
               const struct option *longopts);
/* The flags of a command that has none but --help. */
void rt_no_flags (int argc, char **argv, const char *usage);
/* The container id: the one argument left after the flags (a usage error otherwise). */
const char *rt_arg_id (int argc, char **argv);
/* "rt: CMD: MSG" and a hint to run `rt CMD --help` on stderr; exit 1. */
void rt_usage_error (const char *cmd, const char *fmt, ...)
    __attribute__ ((noreturn, format (printf, 2, 3)));
/* Usage error unless MIN <= N <= MAX arguments remain (MAX < 0: no upper bound). */
void rt_check_args (const char *cmd, int n, int min, int max);
/* The value of --preserve-fds (create, run, exec): N more fds than stdio; a usage error
   otherwise. */
int rt_flag_preserve_fds (const char *cmd, const char *value);
/* runc's help text on the id of a container being made (create, run, start) */
#define RT_USAGE_NEW_ID                                                                            \
  "Where \"<container-id>\" is your name for the instance of the container that you\n"             \
  "are starting. The name you provide for the container instance must be unique on\n"              \
  "your host.\n"
/* PATH made absolute against the cwd (not resolved: it may not exist yet). */
char *rt_abspath (const char *path);

/* ---- exec (exec.c) ---- */
struct rt_exec_opts
{
  const char *id;
  const char *process_file; /* --process: a process.json replaces everything below */
  char **args;              /* the command and its arguments */
  size_t n_args;
  bool tty, detach, no_new_privs, ignore_paused;
  const char *console_socket, *pid_file, *cwd, *user, *apparmor, *process_label;
  char **env; /* -e KEY=VALUE, added to the container's env */
  size_t n_env;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char **caps; /* --cap CAP_X, added to bounding, effective and permitted */
  size_t n_caps;
  char **cgroups; /* --cgroup [controllers:]path: existing sub-cgroups to join */
  size_t n_cgroups;
  int preserve_fds;
};
/* Run a process in a running container.  Foreground: *exit_status is its status. */
int rt_container_exec (const struct rt_exec_opts *opts, int *exit_status, rt_error_t *err);

/* ---- features.c: the runtime-spec Features structure, as indented JSON ---- */
char *rt_features_json (void);

/* ---- commands: one file per command, int rt_cmd_NAME (int argc, char **argv) ---- */
/* ARGV[0] with stdout and stderr together (subprocess.c); non-zero exit is an error. */
int rt_combined_output (char *const argv[], char **out, rt_error_t *err);

int rt_cmd_checkpoint (int argc, char **argv);
int rt_cmd_restore (int argc, char **argv);
int rt_cmd_create (int argc, char **argv);
int rt_cmd_features (int argc, char **argv);
int rt_cmd_start (int argc, char **argv);
int rt_cmd_run (int argc, char **argv);
int rt_cmd_state (int argc, char **argv);
int rt_cmd_kill (int argc, char **argv);
int rt_cmd_delete (int argc, char **argv);
int rt_cmd_list (int argc, char **argv);
int rt_cmd_spec (int argc, char **argv);
int rt_cmd_update (int argc, char **argv);
int rt_cmd_pause (int argc, char **argv);
int rt_cmd_resume (int argc, char **argv);
int rt_cmd_events (int argc, char **argv);
int rt_cmd_ps (int argc, char **argv);
int rt_cmd_exec (int argc, char **argv);

#endif
