/* Schema tables, common part: the names rt shares with the front end, defs.json, the
   process, mounts, hooks and root objects, and the top-level config object.  See spec_internal.h.
 */
#include "spec_internal.h"

/* ------------------------------------------------------------------ names */

static const struct
{
  const char *name, *proc_name;
  int flag;
} namespace_types[] = {
  { "pid", "pid", CLONE_NEWPID },          { "network", "net", CLONE_NEWNET },
  { "mount", "mnt", CLONE_NEWNS },         { "ipc", "ipc", CLONE_NEWIPC },
  { "uts", "uts", CLONE_NEWUTS },          { "user", "user", CLONE_NEWUSER },
  { "cgroup", "cgroup", CLONE_NEWCGROUP }, { "time", "time", CLONE_NEWTIME },
};

int
rt_namespace_flag (const char *type)
{
  for (size_t i = 0; type && i < ARRAY_SIZE (namespace_types); i++)
    if (strcmp (type, namespace_types[i].name) == 0)
      return namespace_types[i].flag;
  return 0;
}

const char *
rt_namespace_name (int flag)
{
  for (size_t i = 0; i < ARRAY_SIZE (namespace_types); i++)
    if (flag == namespace_types[i].flag)
      return namespace_types[i].name;
  return NULL;
}

const char *
rt_namespace_proc_name (int flag)
{
  for (size_t i = 0; i < ARRAY_SIZE (namespace_types); i++)
    if (flag == namespace_types[i].flag)
      return namespace_types[i].proc_name;
  return NULL;
}

static const struct
{
  const char *name;
  int resource;
} rlimit_types[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

int
spec_rlimit_resource (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (rlimit_types); i++)
    if (strcmp (name, rlimit_types[i].name) == 0)
      return rlimit_types[i].resource;
  return -1;
}

bool
rt_id_valid (const char *id)
{
  size_t n;

  if (id == NULL)
    return false;
  n = strlen (id);
  if (n == 0 || n > 1024 || strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return false;
  for (const char *p = id; *p; p++)
    {
      char ch = *p;
      bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '_' || ch == '.' || ch == '-';
      if (!ok)
        return false;
    }
  return true;
}

/* Patterns of the schema, and lookups that double as patterns. */

bool
spec_page_size_ok (const char *s) /* ^[1-9][0-9]*[KMG]B$ */
{
  if (*s < '1' || *s > '9')
    return false;
  while (*s >= '0' && *s <= '9')
    s++;
  return (s[0] == 'K' || s[0] == 'M' || s[0] == 'G') && s[1] == 'B' && s[2] == '\0';
}

static bool
cpu_list_ok (const char *s) /* ^[0-9, -]*$ */
{
  return s[strspn (s, "0123456789, -")] == '\0';
}

bool
spec_mem_bw_ok (const char *s) /* ^MB:[^\n]*$ */
{
  return strncmp (s, "MB:", 3) == 0 && strchr (s, '\n') == NULL;
}

bool
spec_namespace_known (const char *s)
{
  return rt_namespace_flag (s) != 0;
}

static bool
rlimit_known (const char *s)
{
  return spec_rlimit_resource (s) >= 0;
}

/* rt_rlimit.resource: the number of the name, besides the name kept in .type. */
static void
set_rlimit_resource (const struct field *f, void *base, yajl_val v)
{
  (void) f;
  if (v != NULL)
    ((struct rt_rlimit *) base)->resource = spec_rlimit_resource (YAJL_GET_STRING (v));
}

/* defs.json */

/* Array items stored in the element itself (a char * or a uint32_t). */
const struct field spec_string_item = STR (NULL);
const struct field spec_u32_item = U32 (NULL);
/* The value of a free-form string map (annotations, sysctl, unified). */
const struct field spec_keyval_item = STR (NULL, AT (struct rt_keyval, value));

static const struct field idmap_fields[] = {
  U32 ("containerID", REQ, AT (struct rt_id_mapping, container_id)),
  U32 ("hostID", REQ, AT (struct rt_id_mapping, host_id)),
  U32 ("size", REQ, AT (struct rt_id_mapping, size)),
  END,
};
const struct field spec_idmap_item = OBJ (NULL, idmap_fields);

static const struct field mount_fields[] = {
  STR ("destination", REQ, AT (struct rt_mount, destination)),
  STR ("source", AT (struct rt_mount, source)),
  STR ("type", AT (struct rt_mount, type)),
  STRV ("options", ITEMS (struct rt_mount, options, n_options)),
  ARRAY ("uidMappings", spec_idmap_item, ITEMS (struct rt_mount, uid_mappings, n_uid_mappings)),
  ARRAY ("gidMappings", spec_idmap_item, ITEMS (struct rt_mount, gid_mappings, n_gid_mappings)),
  END,
};
static const struct field mount_item = OBJ (NULL, mount_fields);

static const struct field hook_fields[] = {
  STR ("path", REQ, AT (struct rt_hook, path)),
  STRV ("args", ITEMS (struct rt_hook, args, n_args)),
  STRV ("env", ITEMS (struct rt_hook, env, n_env)),
  INT ("timeout", 1, INT32_MAX, AT (struct rt_hook, timeout), HAS (struct rt_hook, has_timeout)),
  END,
};
static const struct field hook_item = OBJ (NULL, hook_fields);

/* Indexed by enum rt_hook_kind: the names of the kinds (rt_spec_name, error paths). */
#define HOOKS(kind, n)                                                                             \
  [kind] = ARRAY (n, hook_item, ITEMS (struct rt_hooks, hooks[kind], n_hooks[kind]))
const struct field spec_hooks_fields[RT_HOOK_KINDS + 1] = {
  HOOKS (RT_HOOK_PRESTART, "prestart"),
  HOOKS (RT_HOOK_CREATE_RUNTIME, "createRuntime"),
  HOOKS (RT_HOOK_CREATE_CONTAINER, "createContainer"),
  HOOKS (RT_HOOK_START_CONTAINER, "startContainer"),
  HOOKS (RT_HOOK_POSTSTART, "poststart"),
  HOOKS (RT_HOOK_POSTSTOP, "poststop"),
  [RT_HOOK_KINDS] = END,
};

/* The root object's members are the spec's own. */
static const struct field root_fields[] = {
  STR ("path", REQ, AT (struct rt_spec, root_path)),
  BOOL ("readonly", AT (struct rt_spec, root_readonly)),
  END,
};

/* config-schema.json: process */

static const char *const ioprio_classes[]
    = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL };
static const char *const sched_policies[]
    = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",       "SCHED_BATCH",
        "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE", NULL };
static const char *const sched_flags[] = {
  "SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",
  "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
  "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
  "SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};
static const struct field sched_flag_item = ENUM (NULL, sched_flags, "scheduler flag");

/* The schema says uint64; a terminal size is 16 bits in the kernel, spec.h keeps 32.
   consoleSize, ioPriority, scheduler and execCPUAffinity fill members of the process. */
static const struct field console_fields[] = {
  U32 ("height", REQ, AT (struct rt_process, console_height)),
  U32 ("width", REQ, AT (struct rt_process, console_width)),
  END,
};

static const struct field user_fields[] = {
  U32 ("uid", AT (struct rt_user, uid)),
  U32 ("gid", AT (struct rt_user, gid)),
  U32 ("umask", AT (struct rt_user, umask), HAS (struct rt_user, has_umask)),
  ARRAY ("additionalGids", spec_u32_item,
         ITEMS (struct rt_user, additional_gids, n_additional_gids)),
  STR ("username", AT (struct rt_user, username)),
  END,
};

static const struct field caps_fields[] = {
  STRV ("bounding", ITEMS (struct rt_caps, bounding, n_bounding)),
  STRV ("permitted", ITEMS (struct rt_caps, permitted, n_permitted)),
  STRV ("effective", ITEMS (struct rt_caps, effective, n_effective)),
  STRV ("inheritable", ITEMS (struct rt_caps, inheritable, n_inheritable)),
  STRV ("ambient", ITEMS (struct rt_caps, ambient, n_ambient)),
  END,
};

static const struct field ioprio_fields[] = {
  ENUM ("class", ioprio_classes, "I/O priority class", REQ,
        AT (struct rt_process, io_priority_class)),
  I32 ("priority", AT (struct rt_process, io_priority)),
  END,
};

static const struct field sched_fields[] = {
  ENUM ("policy", sched_policies, "scheduler policy", REQ,
        AT (struct rt_process, scheduler_policy)),
  I32 ("nice", AT (struct rt_process, scheduler_nice)),
  I32 ("priority", AT (struct rt_process, scheduler_priority)),
  ARRAY ("flags", sched_flag_item, ITEMS (struct rt_process, scheduler_flags, n_scheduler_flags)),
  U64 ("runtime", AT (struct rt_process, scheduler_runtime)),
  U64 ("deadline", AT (struct rt_process, scheduler_deadline)),
  U64 ("period", AT (struct rt_process, scheduler_period)),
  END,
};

static const struct field rlimit_fields[] = {
  STR ("type", REQ, .match = rlimit_known, .noun = "rlimit", AT (struct rt_rlimit, type),
       .set = set_rlimit_resource),
  U64 ("hard", REQ, AT (struct rt_rlimit, hard)),
  U64 ("soft", REQ, AT (struct rt_rlimit, soft)),
  END,
};
static const struct field rlimit_item = OBJ (NULL, rlimit_fields);

static const struct field affinity_fields[] = {
  STR ("initial", .match = cpu_list_ok, .pattern = "^[0-9, -]*$",
       AT (struct rt_process, exec_cpu_affinity_initial)),
  STR ("final", .match = cpu_list_ok, .pattern = "^[0-9, -]*$",
       AT (struct rt_process, exec_cpu_affinity_final)),
  END,
};

/* "cwd" is required by the schema; rt reads a missing cwd as "/" (see spec.h). */
const struct field spec_process_fields[] = {
  STRV ("args", ITEMS (struct rt_process, args, n_args)),
  STR ("commandLine", AT (struct rt_process, command_line)),
  OBJ ("consoleSize", console_fields, HAS (struct rt_process, has_console_size)),
  STR ("cwd", AT (struct rt_process, cwd)),
  STRV ("env", ITEMS (struct rt_process, env, n_env)),
  BOOL ("terminal", AT (struct rt_process, terminal)),
  OBJ ("user", user_fields, AT (struct rt_process, user)),
  OBJ ("capabilities", caps_fields, AT (struct rt_process, caps),
       HAS (struct rt_process, has_caps)),
  STR ("apparmorProfile", AT (struct rt_process, apparmor_profile)),
  I32 ("oomScoreAdj", AT (struct rt_process, oom_score_adj),
       HAS (struct rt_process, has_oom_score_adj)),
  STR ("selinuxLabel", AT (struct rt_process, selinux_label)),
  OBJ ("ioPriority", ioprio_fields, HAS (struct rt_process, has_io_priority)),
  BOOL ("noNewPrivileges", AT (struct rt_process, no_new_privileges)),
  OBJ ("scheduler", sched_fields, HAS (struct rt_process, has_scheduler)),
  ARRAY ("rlimits", rlimit_item, ITEMS (struct rt_process, rlimits, n_rlimits)),
  OBJ ("execCPUAffinity", affinity_fields),
  END,
};

static const char *
nth (const char *const *names, size_t i)
{
  for (size_t j = 0; j < i; j++)
    if (names[j] == NULL)
      return NULL;
  return names[i];
}

const char *
rt_spec_name (enum rt_spec_names t, size_t i)
{
  switch (t)
    {
      case RT_NAMES_HOOKS:
        return i < RT_HOOK_KINDS ? spec_hooks_fields[i].name : NULL;
      case RT_NAMES_NAMESPACES:
        return i < ARRAY_SIZE (namespace_types) ? namespace_types[i].name : NULL;
      case RT_NAMES_SECCOMP_ACTIONS:
        return nth (spec_seccomp_actions, i);
      case RT_NAMES_SECCOMP_OPERATORS:
        return nth (spec_seccomp_ops, i);
      case RT_NAMES_SECCOMP_ARCHS:
        return nth (spec_seccomp_archs, i);
      case RT_NAMES_SECCOMP_FLAGS:
        return nth (spec_seccomp_flags, i);
      case RT_NAMES_MPOL_MODES:
        return nth (spec_mpol_modes, i);
      case RT_NAMES_MPOL_FLAGS:
        return nth (spec_mpol_flags, i);
    }
  return NULL;
}

/* config-schema.json */

/* The other platforms' objects are checked and not kept; "vm" is noted for
   rt_spec_validate to refuse (rt makes namespaces, not a virtual machine). */
const struct field spec_config_fields[] = {
  STR ("ociVersion", REQ, AT (struct rt_spec, oci_version)),
  OBJ ("hooks", spec_hooks_fields, AT (struct rt_spec, hooks)),
  MAP ("annotations", spec_keyval_item, KEYS (struct rt_spec, annotations, n_annotations, key)),
  STR ("hostname", AT (struct rt_spec, hostname)),
  STR ("domainname", AT (struct rt_spec, domainname)),
  ARRAY ("mounts", mount_item, ITEMS (struct rt_spec, mounts, n_mounts)),
  OBJ ("root", root_fields),
  OBJ ("process", spec_process_fields, AT (struct rt_spec, process),
       HAS (struct rt_spec, has_process)),
  OBJ ("linux", spec_linux_fields, AT (struct rt_spec, linux_), HAS (struct rt_spec, has_linux)),
  OBJ ("solaris", spec_solaris_fields),
  OBJ ("windows", spec_windows_fields),
  OBJ ("vm", spec_vm_fields, HAS (struct rt_spec, has_vm)),
  OBJ ("zos", spec_zos_fields),
  OBJ ("freebsd", spec_freebsd_fields),
  END,
};
