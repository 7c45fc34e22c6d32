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

/* defs.json */

const struct field spec_string_item = STR (NULL);
const struct field spec_u32_item = U32 (NULL);

static const struct field idmap_fields[] = {
  U32 ("containerID", REQ),
  U32 ("hostID", REQ),
  U32 ("size", REQ),
  END,
};
const struct field spec_idmap_item = OBJ (NULL, idmap_fields);

static const struct field mount_fields[] = {
  STR ("destination", REQ),
  STR ("source"),
  STR ("type"),
  STRV ("options"),
  ARRAY ("uidMappings", spec_idmap_item),
  ARRAY ("gidMappings", spec_idmap_item),
  END,
};
static const struct field mount_item = OBJ (NULL, mount_fields);

static const struct field hook_fields[] = {
  STR ("path", REQ), STRV ("args"), STRV ("env"), INT ("timeout", 1, INT32_MAX), END,
};
static const struct field hook_item = OBJ (NULL, hook_fields);

const char *const spec_hook_names[RT_HOOK_KINDS] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

static const struct field hooks_fields[] = {
  ARRAY ("prestart", hook_item),
  ARRAY ("createRuntime", hook_item),
  ARRAY ("createContainer", hook_item),
  ARRAY ("startContainer", hook_item),
  ARRAY ("poststart", hook_item),
  ARRAY ("poststop", hook_item),
  END,
};

static const struct field root_fields[] = {
  STR ("path", REQ),
  BOOL ("readonly"),
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

/* The schema says uint64; a terminal size is 16 bits in the kernel, spec.h keeps 32. */
static const struct field console_fields[] = { U32 ("height", REQ), U32 ("width", REQ), END };

static const struct field user_fields[] = {
  U32 ("uid"),      U32 ("gid"), U32 ("umask"), ARRAY ("additionalGids", spec_u32_item),
  STR ("username"), END,
};

static const struct field caps_fields[] = {
  STRV ("bounding"),    STRV ("permitted"), STRV ("effective"),
  STRV ("inheritable"), STRV ("ambient"),   END,
};

static const struct field ioprio_fields[] = {
  ENUM ("class", ioprio_classes, "I/O priority class", REQ),
  I32 ("priority"),
  END,
};

static const struct field sched_fields[] = {
  ENUM ("policy", sched_policies, "scheduler policy", REQ),
  I32 ("nice"),
  I32 ("priority"),
  ARRAY ("flags", sched_flag_item),
  U64 ("runtime"),
  U64 ("deadline"),
  U64 ("period"),
  END,
};

static const struct field rlimit_fields[] = {
  STR ("type", REQ, .match = rlimit_known, .noun = "rlimit"),
  U64 ("hard", REQ),
  U64 ("soft", REQ),
  END,
};
static const struct field rlimit_item = OBJ (NULL, rlimit_fields);

static const struct field affinity_fields[] = {
  STR ("initial", .match = cpu_list_ok, .pattern = "^[0-9, -]*$"),
  STR ("final", .match = cpu_list_ok, .pattern = "^[0-9, -]*$"),
  END,
};

/* "cwd" is required by the schema; rt reads a missing cwd as "/" (see spec.h). */
const struct field spec_process_fields[] = {
  STRV ("args"),
  STR ("commandLine"),
  OBJ ("consoleSize", console_fields),
  STR ("cwd"),
  STRV ("env"),
  BOOL ("terminal"),
  OBJ ("user", user_fields),
  OBJ ("capabilities", caps_fields),
  STR ("apparmorProfile"),
  I32 ("oomScoreAdj"),
  STR ("selinuxLabel"),
  OBJ ("ioPriority", ioprio_fields),
  BOOL ("noNewPrivileges"),
  OBJ ("scheduler", sched_fields),
  ARRAY ("rlimits", rlimit_item),
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
        return i < RT_HOOK_KINDS ? spec_hook_names[i] : NULL;
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

const struct field spec_config_fields[] = {
  STR ("ociVersion", REQ),
  OBJ ("hooks", hooks_fields),
  MAP ("annotations", spec_string_item),
  STR ("hostname"),
  STR ("domainname"),
  ARRAY ("mounts", mount_item),
  OBJ ("root", root_fields),
  OBJ ("process", spec_process_fields),
  OBJ ("linux", spec_linux_fields),
  OBJ ("solaris", spec_solaris_fields),
  OBJ ("windows", spec_windows_fields),
  OBJ ("vm", spec_vm_fields),
  OBJ ("zos", spec_zos_fields),
  OBJ ("freebsd", spec_freebsd_fields),
  END,
};
