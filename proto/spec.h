/* The OCI runtime configuration (config.json) as rt uses it.  The parser in spec_*.c is
   strict: unknown keys, duplicate keys and wrong types are errors naming the JSON path.
   Every optional scalar has a has_* flag.  Arrays are (pointer, count) pairs; string
   arrays are also NULL-terminated. */
#ifndef RT_SPEC_H
#define RT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "error.h"

struct rt_id_mapping
{
  uint32_t container_id, host_id, size;
};

struct rt_mount
{
  char *destination; /* absolute inside the container */
  char *source;      /* may be NULL */
  char *type;        /* may be NULL (bind mounts) */
  char **options;
  size_t n_options;
  struct rt_id_mapping *uid_mappings, *gid_mappings; /* idmapped mounts ("idmap", "ridmap") */
  size_t n_uid_mappings, n_gid_mappings;
};

struct rt_rlimit
{
  char *type;   /* "RLIMIT_NOFILE" */
  int resource; /* RLIMIT_NOFILE, resolved by the parser (unknown name = error) */
  uint64_t hard, soft;
};

struct rt_caps
{
  char **bounding, **effective, **inheritable, **permitted, **ambient;
  size_t n_bounding, n_effective, n_inheritable, n_permitted, n_ambient;
};

/* The highest uid or gid a process may get (runc: "uids and gids must be in range"). */
#define RT_ID_MAX 2147483647u
#define RT_ID_RANGE_MSG "uids and gids must be in range 0-2147483647"

struct rt_user
{
  uint32_t uid, gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char *username; /* windows only; parsed */
};

struct rt_process
{
  bool terminal;
  bool has_console_size;
  uint32_t console_height, console_width;
  struct rt_user user;
  char **args;
  size_t n_args;
  char *command_line; /* windows only; parsed */
  char **env;
  size_t n_env;
  char *cwd;     /* NULL when absent: the runtime uses "/" */
  bool has_caps; /* "capabilities" present */
  struct rt_caps caps;
  struct rt_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  char *apparmor_profile;
  bool has_oom_score_adj;
  int oom_score_adj;
  char *selinux_label;
  bool has_io_priority;
  char *io_priority_class;
  int io_priority;
  bool has_scheduler;
  char *scheduler_policy;
  int32_t scheduler_nice, scheduler_priority;
  uint64_t scheduler_runtime, scheduler_deadline, scheduler_period;
  char **scheduler_flags;
  size_t n_scheduler_flags;
  char *exec_cpu_affinity_initial, *exec_cpu_affinity_final;
};

struct rt_namespace
{
  int type;   /* CLONE_NEWPID, CLONE_NEWNET, ... (CLONE_NEWTIME for "time") */
  char *path; /* NULL: create a new one */
};

struct rt_device
{
  char *path;
  char type; /* 'c', 'b', 'u', 'p' */
  int64_t major, minor;
  bool has_major, has_minor; /* rt_spec_validate: both required for 'c', 'b', 'u' */
  bool has_file_mode, has_uid, has_gid;
  uint32_t file_mode, uid, gid;
};

struct rt_hook
{
  char *path;
  char **args;
  size_t n_args;
  char **env;
  size_t n_env;
  bool has_timeout;
  int timeout; /* seconds, > 0 */
};

enum rt_hook_kind
{
  RT_HOOK_PRESTART,
  RT_HOOK_CREATE_RUNTIME,
  RT_HOOK_CREATE_CONTAINER,
  RT_HOOK_START_CONTAINER,
  RT_HOOK_POSTSTART,
  RT_HOOK_POSTSTOP,
  RT_HOOK_KINDS
};

struct rt_hooks
{
  struct rt_hook *hooks[RT_HOOK_KINDS];
  size_t n_hooks[RT_HOOK_KINDS];
};

struct rt_device_cgroup
{
  bool allow;
  char *type; /* "a", "c", "b" or NULL (= all) */
  bool has_major, has_minor;
  int64_t major, minor; /* -1 = wildcard when has_* is false */
  char *access;         /* "rwm" or NULL */
};

struct rt_blkio_device
{
  int64_t major, minor;
  bool has_weight, has_leaf_weight;
  uint16_t weight, leaf_weight;
  uint64_t rate; /* throttle entries */
};

struct rt_hugepage_limit
{
  char *page_size; /* "2MB" */
  uint64_t limit;
};

struct rt_net_priority
{
  char *name;
  uint32_t priority;
};

struct rt_rdma
{
  char *device;
  bool has_hca_handles, has_hca_objects;
  uint32_t hca_handles, hca_objects;
};

struct rt_keyval
{
  char *key, *value;
};

struct rt_resources
{
  struct rt_device_cgroup *devices;
  size_t n_devices;

  struct
  {
    bool has_limit, has_reservation, has_swap, has_kernel, has_kernel_tcp, has_swappiness;
    bool has_disable_oom_killer, has_use_hierarchy, has_check_before_update;
    int64_t limit, reservation, swap, kernel, kernel_tcp;
    uint64_t swappiness;
    bool disable_oom_killer, use_hierarchy, check_before_update;
  } memory;

  struct
  {
    bool has_shares, has_quota, has_burst, has_period, has_realtime_runtime, has_realtime_period,
        has_idle;
    uint64_t shares, period, realtime_period, burst;
    int64_t quota, realtime_runtime, idle;
    char *cpus, *mems;
  } cpu;

  struct
  {
    bool has_limit;
    int64_t limit;
  } pids;

  struct
  {
    bool has_weight, has_leaf_weight;
    uint16_t weight, leaf_weight;
    struct rt_blkio_device *weight_device, *throttle_read_bps, *throttle_write_bps,
        *throttle_read_iops, *throttle_write_iops;
    size_t n_weight_device, n_throttle_read_bps, n_throttle_write_bps, n_throttle_read_iops,
        n_throttle_write_iops;
  } blkio;

  struct rt_hugepage_limit *hugepage_limits;
  size_t n_hugepage_limits;

  struct
  {
    bool has_class_id;
    uint32_t class_id;
    struct rt_net_priority *priorities;
    size_t n_priorities;
  } network;

  struct rt_rdma *rdma;
  size_t n_rdma;

  struct rt_keyval *unified;
  size_t n_unified;
};

struct rt_seccomp_arg
{
  uint32_t index;
  uint64_t value, value_two;
  char *op; /* "SCMP_CMP_EQ", ... */
};

struct rt_seccomp_syscall
{
  char **names;
  size_t n_names;
  char *action;
  bool has_errno_ret;
  uint32_t errno_ret;
  struct rt_seccomp_arg *args;
  size_t n_args;
};

struct rt_seccomp
{
  char *default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures;
  size_t n_architectures;
  char **flags;
  size_t n_flags;
  char *listener_path, *listener_metadata;
  struct rt_seccomp_syscall *syscalls;
  size_t n_syscalls;
};

struct rt_time_offset
{
  bool set;
  int64_t secs;
  uint32_t nanosecs;
};

struct rt_net_device
{
  char *host_name; /* the key: the interface on the host */
  char *name;      /* its name in the container, or NULL (the same) */
};

struct rt_intel_rdt
{
  char *clos_id, *l3_cache_schema, *mem_bw_schema;
  char **schemata;
  size_t n_schemata;
  bool enable_monitoring;
};

struct rt_linux
{
  struct rt_namespace *namespaces;
  size_t n_namespaces;
  struct rt_id_mapping *uid_mappings, *gid_mappings;
  size_t n_uid_mappings, n_gid_mappings;
  struct rt_device *devices;
  size_t n_devices;
  char *cgroups_path;
  bool has_resources;
  struct rt_resources resources;
  char *rootfs_propagation; /* "shared", "slave", "private", "unbindable", ... or NULL */
  char **masked_paths;
  size_t n_masked_paths;
  char **readonly_paths;
  size_t n_readonly_paths;
  bool has_masked_paths, has_readonly_paths;
  char *mount_label;
  struct rt_keyval *sysctl;
  size_t n_sysctl;
  struct rt_seccomp *seccomp; /* NULL if absent */
  char *personality_domain;
  char **personality_flags;
  size_t n_personality_flags;
  bool has_time_offsets;
  struct rt_time_offset boottime, monotonic;
  bool has_memory_policy;
  char *memory_policy_mode, *memory_policy_nodes;
  char **memory_policy_flags;
  size_t n_memory_policy_flags;
  struct rt_net_device *net_devices;
  size_t n_net_devices;
  struct rt_intel_rdt *intel_rdt; /* NULL if absent */
};

struct rt_spec
{
  char *oci_version;
  char *root_path; /* as written in config.json (may be relative to the bundle) */
  bool root_readonly;
  struct rt_mount *mounts;
  size_t n_mounts;
  bool has_process;
  struct rt_process process;
  char *hostname, *domainname;
  struct rt_hooks hooks;
  struct rt_keyval *annotations;
  size_t n_annotations;
  bool has_linux;
  struct rt_linux linux_;
  bool has_vm; /* "vm" present: refused (rt_spec_validate) */
};

/* Parse a config.json text.  On error: -1 and *err says what and where, e.g.
   `config.json: linux.namespaces[2].type: unknown namespace type "foo"`. */
int rt_spec_parse (const char *json, size_t len, struct rt_spec **out, rt_error_t *err);
/* Only the text's syntax, as strictly as rt_spec_parse checks it: the tree in *TREE
   (yajl_tree_free it), for rt_spec_from_tree and for a caller that keeps the tree. */
int rt_spec_load_tree (const char *json, size_t len, yajl_val *tree, rt_error_t *err);
/* The same from a config already parsed (state.json's "config", which the state reader
   checked as strictly as rt_spec_parse checks the text). */
int rt_spec_from_tree (yajl_val tree, struct rt_spec **out, rt_error_t *err);

/* Parse a process object (process.json of `exec --process`, same rules as "process"). */
int rt_process_parse (const char *json, size_t len, struct rt_process **out, rt_error_t *err);

/* Runtime checks beyond the schema that a Linux runtime needs before it starts
   anything: process and args present, absolute cwd, mount destinations absolute,
   namespace types unique, user mappings only with a user namespace, ... */
int rt_spec_validate (const struct rt_spec *spec, rt_error_t *err);

/* Serialize a process object to JSON (process_gen.c); *out is malloc'ed.  -1 on OOM. */
int rt_process_to_json (const struct rt_process *p, char **out, size_t *len);

void rt_spec_free (struct rt_spec *spec);
void rt_process_free (struct rt_process *p);

static inline void
rt_spec_freep (struct rt_spec **spec)
{
  rt_spec_free (*spec);
}
static inline void
rt_process_freep (struct rt_process **p)
{
  rt_process_free (*p);
}
#define cleanup_spec __attribute__ ((cleanup (rt_spec_freep)))
#define cleanup_process __attribute__ ((cleanup (rt_process_freep)))

/* The CLONE_NEW* flag for an OCI namespace type ("pid", "network", "mount", "ipc",
   "uts", "user", "cgroup", "time"), 0 if unknown; and back. */
int rt_namespace_flag (const char *type);
const char *rt_namespace_name (int flag); /* "pid", "network", ... */

/* The names the parser recognizes in each of these places of config.json (rt features). */
enum rt_spec_names
{
  RT_NAMES_HOOKS,
  RT_NAMES_NAMESPACES,
  RT_NAMES_SECCOMP_ACTIONS,
  RT_NAMES_SECCOMP_OPERATORS,
  RT_NAMES_SECCOMP_ARCHS,
  RT_NAMES_SECCOMP_FLAGS,
  RT_NAMES_MPOL_MODES,
  RT_NAMES_MPOL_FLAGS,
};
/* The Ith name of table T, NULL past the end. */
const char *rt_spec_name (enum rt_spec_names t, size_t i);
const char *rt_namespace_proc_name (int flag); /* "pid", "net", "mnt", ... (/proc/PID/ns/X) */

/* Container ids: [A-Za-z0-9_.-], 1..1024 characters, not "." or "..". */
bool rt_id_valid (const char *id);

/* The linux.namespaces entry of TYPE (CLONE_NEW*), or NULL when the container has none. */
const struct rt_namespace *rt_linux_namespace (const struct rt_linux *l, int type);

/* Whether mount M lists the option OPT. */
bool rt_mount_has_option (const struct rt_mount *m, const char *opt);

#endif
