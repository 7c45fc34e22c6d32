/* config.json and process.json.  Parsing is two passes over a yajl_tree: a generic
   checker walks the tree against tables transcribed from the OCI v1.3.0 schema (every
   key known, no duplicates, types, ranges, enums, patterns), and only then the fill
   functions copy the now trusted values into the structs of spec.h.  rt_spec_validate
   adds the checks a Linux runtime needs beyond the schema. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "spec.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Deeper than any valid config; bounds the recursion of yajl_tree_free. */
#define MAX_DEPTH 64

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

static int
rlimit_resource (const char *name)
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

/* ------------------------------------------------------------------ errors and paths */

struct pctx
{
  const char *file; /* "config.json", "process.json" */
  rt_error_t *err;
};

/* "FILE: PATH: MSG", or "FILE: MSG" at the top of the document.  Returns -1. */
static int __attribute__ ((format (printf, 3, 4)))
fail (struct pctx *c, const char *path, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  if (path != NULL && *path != '\0')
    return rt_error (c->err, 0, "%s: %s: %s", c->file, path, msg ? msg : "out of memory");
  return rt_error (c->err, 0, "%s: %s", c->file, msg ? msg : "out of memory");
}

/* S double-quoted for a message: control characters escaped, long strings cut. */
static char *
quote (const char *s)
{
  enum
  {
    MAX_SHOWN = 128
  };
  char *r = xmalloc (MAX_SHOWN * 4 + 8), *p = r;
  size_t i;

  *p++ = '"';
  for (i = 0; s[i] != '\0' && i < MAX_SHOWN; i++)
    {
      unsigned char ch = s[i];
      if (ch == '"' || ch == '\\')
        {
          *p++ = '\\';
          *p++ = ch;
        }
      else if (ch < 0x20 || ch == 0x7f)
        p += sprintf (p, "\\x%02x", ch);
      else
        *p++ = ch;
    }
  if (s[i] != '\0')
    p = stpcpy (p, "...");
  *p++ = '"';
  *p = '\0';
  return r;
}

static char *
path_key (const char *path, const char *key)
{
  return *path ? xasprintf ("%s.%s", path, key) : xstrdup (key);
}

static char *
path_index (const char *path, size_t i)
{
  return xasprintf ("%s[%zu]", path, i);
}

/* Free-form map entries: keys may contain dots ("com.example.key"). */
static char *
path_map (const char *path, const char *key)
{
  cleanup_free char *q = quote (key);
  return xasprintf ("%s[%s]", path, q);
}

/* ------------------------------------------------------------------ JSON text */

struct lex
{
  int depth;
  const char *problem; /* why a callback stopped the parse */
};

static int
lex_string (void *ctx, const unsigned char *s, size_t len)
{
  struct lex *l = ctx;
  if (memchr (s, '\0', len) == NULL)
    return 1;
  /* yajl_tree keeps C strings: "a\u0000b" would silently become "a". */
  l->problem = "string contains a NUL character (\\u0000)";
  return 0;
}

static int
lex_open (void *ctx)
{
  struct lex *l = ctx;
  if (++l->depth <= MAX_DEPTH)
    return 1;
  l->problem = "nesting too deep";
  return 0;
}

static int
lex_close (void *ctx)
{
  ((struct lex *) ctx)->depth--;
  return 1;
}

/* No number callbacks: yajl then leaves numbers alone (no "integer overflow" for
   uint64 values above INT64_MAX); the checker reads their raw text. */
static const yajl_callbacks lex_callbacks = {
  .yajl_string = lex_string,
  .yajl_start_map = lex_open,
  .yajl_map_key = lex_string,
  .yajl_end_map = lex_close,
  .yajl_start_array = lex_open,
  .yajl_end_array = lex_close,
};

static unsigned
line_of (const char *json, size_t len, size_t off)
{
  unsigned line = 1;
  for (size_t i = 0; i < off && i < len; i++)
    line += json[i] == '\n';
  return line;
}

/* yajl's messages end with a newline; an error is one line. */
static void
one_line (char *s)
{
  size_t n;
  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  n = strlen (s);
  while (n > 0 && s[n - 1] == ' ')
    s[--n] = '\0';
}

/* A strict syntax pass (yajl_tree_parse allows comments and cannot say where an error
   is), then the tree. */
static int
check_syntax (struct pctx *c, const char *json, size_t len)
{
  struct lex l = { 0 };
  yajl_handle h = yajl_alloc (&lex_callbacks, NULL, &l);
  yajl_status st;
  size_t off;
  char *msg;

  if (h == NULL)
    return fail (c, "", "out of memory");
  st = yajl_parse (h, (const unsigned char *) json, len);
  off = yajl_get_bytes_consumed (h);
  if (st == yajl_status_ok)
    {
      st = yajl_complete_parse (h);
      off = len;
    }
  if (st == yajl_status_ok)
    {
      yajl_free (h);
      return 0;
    }
  if (l.problem != NULL)
    fail (c, "", "line %u: %s", line_of (json, len, off), l.problem);
  else
    {
      msg = (char *) yajl_get_error (h, 0, (const unsigned char *) json, len);
      one_line (msg);
      fail (c, "", "line %u: %s", line_of (json, len, off), msg);
      yajl_free_error (h, (unsigned char *) msg);
    }
  yajl_free (h);
  return -1;
}

static void
tree_freep (yajl_val *v)
{
  if (*v != NULL)
    yajl_tree_free (*v);
}

#define cleanup_tree __attribute__ ((cleanup (tree_freep)))

static int
json_load (struct pctx *c, const char *json, size_t len, yajl_val *out)
{
  const char *nul = json ? memchr (json, '\0', len) : NULL;
  cleanup_free char *buf = NULL;
  char errbuf[256];

  if (json == NULL)
    return fail (c, "", "no document");
  if (nul != NULL)
    return fail (c, "", "line %u: NUL byte in the document", line_of (json, len, nul - json));
  if (check_syntax (c, json, len) < 0)
    return -1;
  buf = xmalloc (len + 1);
  memcpy (buf, json, len);
  buf[len] = '\0';
  errbuf[0] = '\0';
  *out = yajl_tree_parse (buf, errbuf, sizeof errbuf);
  if (*out == NULL)
    {
      one_line (errbuf);
      return fail (c, "", "%s", errbuf[0] ? errbuf : "parse error");
    }
  return 0;
}

/* ------------------------------------------------------------------ schema */

enum kind
{
  K_STR,
  K_BOOL,
  K_UINT,
  K_INT,
  K_OBJ,    /* properties in .sub */
  K_ANYOBJ, /* any object (windows.credentialSpec) */
  K_ARRAY,  /* every element is .item */
  K_MAP,    /* free-form keys, every value is .item */
};

#define F_REQ 1u
#define F_NONEMPTY 2u /* minItems 1 */

struct field
{
  const char *name;
  enum kind kind;
  unsigned flags;
  const struct field *sub;       /* K_OBJ: ended by an entry without a name */
  const struct field *item;      /* K_ARRAY, K_MAP */
  uint64_t umax;                 /* K_UINT: [0, umax] */
  int64_t smin, smax;            /* K_INT: [smin, smax] */
  const char *const *values;     /* K_STR enum, NULL-terminated */
  bool (*match) (const char *s); /* K_STR pattern or lookup */
  const char *pattern;           /* shown when MATCH fails and there is no noun */
  const char *noun;              /* `unknown NOUN "value"` */
};

/* clang-format off */
#define END { .name = NULL }
#define REQ .flags = F_REQ
#define STR(n, ...) { .name = (n), .kind = K_STR, __VA_ARGS__ }
#define BOOL(n, ...) { .name = (n), .kind = K_BOOL, __VA_ARGS__ }
#define UINT(n, max, ...) { .name = (n), .kind = K_UINT, .umax = (max), __VA_ARGS__ }
#define U8(n, ...) UINT (n, UINT8_MAX, __VA_ARGS__)
#define U16(n, ...) UINT (n, UINT16_MAX, __VA_ARGS__)
#define U32(n, ...) UINT (n, UINT32_MAX, __VA_ARGS__)
#define U64(n, ...) UINT (n, UINT64_MAX, __VA_ARGS__)
#define INT(n, lo, hi, ...) { .name = (n), .kind = K_INT, .smin = (lo), .smax = (hi), __VA_ARGS__ }
#define I32(n, ...) INT (n, INT32_MIN, INT32_MAX, __VA_ARGS__)
#define I64(n, ...) INT (n, INT64_MIN, INT64_MAX, __VA_ARGS__)
#define OBJ(n, fields, ...) { .name = (n), .kind = K_OBJ, .sub = (fields), __VA_ARGS__ }
#define ARRAY(n, it, ...) { .name = (n), .kind = K_ARRAY, .item = &(it), __VA_ARGS__ }
#define MAP(n, it) { .name = (n), .kind = K_MAP, .item = &(it) }
#define STRV(n, ...) ARRAY (n, string_item, __VA_ARGS__)
#define ENUM(n, vals, what, ...) STR (n, .values = (vals), .noun = (what), __VA_ARGS__)
/* clang-format on */

/* Patterns of the schema, and lookups that double as patterns. */

static bool
page_size_ok (const char *s) /* ^[1-9][0-9]*[KMG]B$ */
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

static bool
mem_bw_ok (const char *s) /* ^MB:[^\n]*$ */
{
  return strncmp (s, "MB:", 3) == 0 && strchr (s, '\n') == NULL;
}

static bool
namespace_known (const char *s)
{
  return rt_namespace_flag (s) != 0;
}

static bool
rlimit_known (const char *s)
{
  return rlimit_resource (s) >= 0;
}

/* defs.json */

static const struct field string_item = STR (NULL);
static const struct field u32_item = U32 (NULL);

static const struct field idmap_fields[] = {
  U32 ("containerID", REQ),
  U32 ("hostID", REQ),
  U32 ("size", REQ),
  END,
};
static const struct field idmap_item = OBJ (NULL, idmap_fields);

static const struct field mount_fields[] = {
  STR ("destination", REQ),
  STR ("source"),
  STR ("type"),
  STRV ("options"),
  ARRAY ("uidMappings", idmap_item),
  ARRAY ("gidMappings", idmap_item),
  END,
};
static const struct field mount_item = OBJ (NULL, mount_fields);

static const struct field hook_fields[] = {
  STR ("path", REQ), STRV ("args"), STRV ("env"), INT ("timeout", 1, INT32_MAX), END,
};
static const struct field hook_item = OBJ (NULL, hook_fields);

static const char *const hook_names[RT_HOOK_KINDS] = {
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
  U32 ("uid"),      U32 ("gid"), U32 ("umask"), ARRAY ("additionalGids", u32_item),
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
static const struct field process_fields[] = {
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

/* config-linux.json, defs-linux.json */

static const struct field namespace_fields[] = {
  STR ("type", REQ, .match = namespace_known, .noun = "namespace type"),
  STR ("path"),
  END,
};
static const struct field namespace_item = OBJ (NULL, namespace_fields);

static const char *const device_types[] = { "c", "b", "u", "p", NULL };
static const struct field device_fields[] = {
  ENUM ("type", device_types, "device type", REQ),
  STR ("path", REQ),
  /* the permission bits, possibly with the file type's bits (a whole st_mode, as podman
     sends: 8630 = S_IFCHR|0666); runc takes both */
  UINT ("fileMode", 0177777),
  I64 ("major"),
  I64 ("minor"),
  U32 ("uid"),
  U32 ("gid"),
  END,
};
static const struct field device_item = OBJ (NULL, device_fields);

static const struct field netdev_fields[] = { STR ("name"), END };
static const struct field netdev_item = OBJ (NULL, netdev_fields);

static const struct field dev_cgroup_fields[] = {
  BOOL ("allow", REQ), STR ("type"), I64 ("major"), I64 ("minor"), STR ("access"), END,
};
static const struct field dev_cgroup_item = OBJ (NULL, dev_cgroup_fields);

static const struct field pids_fields[] = { I64 ("limit", REQ), END };

static const struct field blkio_weight_fields[] = {
  I64 ("major", REQ), I64 ("minor", REQ), U16 ("weight"), U16 ("leafWeight"), END,
};
static const struct field blkio_weight_item = OBJ (NULL, blkio_weight_fields);

static const struct field blkio_throttle_fields[] = {
  I64 ("major", REQ),
  I64 ("minor", REQ),
  U64 ("rate"),
  END,
};
static const struct field blkio_throttle_item = OBJ (NULL, blkio_throttle_fields);

static const struct field blkio_fields[] = {
  U16 ("weight"),
  U16 ("leafWeight"),
  ARRAY ("weightDevice", blkio_weight_item),
  ARRAY ("throttleReadBpsDevice", blkio_throttle_item),
  ARRAY ("throttleWriteBpsDevice", blkio_throttle_item),
  ARRAY ("throttleReadIOPSDevice", blkio_throttle_item),
  ARRAY ("throttleWriteIOPSDevice", blkio_throttle_item),
  END,
};

static const struct field cpu_fields[] = {
  STR ("cpus"),
  STR ("mems"),
  U64 ("period"),
  I64 ("quota"),
  U64 ("burst"),
  U64 ("realtimePeriod"),
  I64 ("realtimeRuntime"),
  U64 ("shares"),
  I64 ("idle"),
  END,
};

static const struct field hugepage_fields[] = {
  STR ("pageSize", REQ, .match = page_size_ok, .pattern = "^[1-9][0-9]*[KMG]B$"),
  U64 ("limit", REQ),
  END,
};
static const struct field hugepage_item = OBJ (NULL, hugepage_fields);

static const struct field memory_fields[] = {
  I64 ("kernel"),
  I64 ("kernelTCP"),
  I64 ("limit"),
  I64 ("reservation"),
  I64 ("swap"),
  U64 ("swappiness"),
  BOOL ("disableOOMKiller"),
  BOOL ("useHierarchy"),
  BOOL ("checkBeforeUpdate"),
  END,
};

static const struct field net_prio_fields[] = { STR ("name", REQ), U32 ("priority", REQ), END };
static const struct field net_prio_item = OBJ (NULL, net_prio_fields);

static const struct field network_fields[] = {
  U32 ("classID"),
  ARRAY ("priorities", net_prio_item),
  END,
};

static const struct field rdma_fields[] = { U32 ("hcaHandles"), U32 ("hcaObjects"), END };
static const struct field rdma_item = OBJ (NULL, rdma_fields);

static const struct field resources_fields[] = {
  MAP ("unified", string_item),
  ARRAY ("devices", dev_cgroup_item),
  OBJ ("pids", pids_fields),
  OBJ ("blockIO", blkio_fields),
  OBJ ("cpu", cpu_fields),
  ARRAY ("hugepageLimits", hugepage_item),
  OBJ ("memory", memory_fields),
  OBJ ("network", network_fields),
  MAP ("rdma", rdma_item),
  /* Pre-1.0 place of process.oomScoreAdj, still in the spec's own example: applied as the
     process's when that has none (fill_spec). */
  I32 ("oomScoreAdj"),
  END,
};

static const char *const seccomp_actions[] = {
  "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",      NULL,
};
static const char *const seccomp_archs[] = {
  "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
  "SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
  "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};
static const char *const seccomp_flags[] = {
  "SECCOMP_FILTER_FLAG_TSYNC",
  "SECCOMP_FILTER_FLAG_LOG",
  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  NULL,
};
static const char *const seccomp_ops[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
static const struct field seccomp_arch_item = ENUM (NULL, seccomp_archs, "seccomp architecture");
static const struct field seccomp_flag_item = ENUM (NULL, seccomp_flags, "seccomp flag");

static const struct field syscall_arg_fields[] = {
  U32 ("index", REQ),
  U64 ("value", REQ),
  U64 ("valueTwo"),
  ENUM ("op", seccomp_ops, "seccomp operator", REQ),
  END,
};
static const struct field syscall_arg_item = OBJ (NULL, syscall_arg_fields);

static const struct field syscall_fields[] = {
  STRV ("names", .flags = F_REQ | F_NONEMPTY),
  ENUM ("action", seccomp_actions, "seccomp action", REQ),
  U32 ("errnoRet"),
  ARRAY ("args", syscall_arg_item),
  END,
};
static const struct field syscall_item = OBJ (NULL, syscall_fields);

static const struct field seccomp_fields[] = {
  ENUM ("defaultAction", seccomp_actions, "seccomp action", REQ),
  U32 ("defaultErrnoRet"),
  ARRAY ("flags", seccomp_flag_item),
  STR ("listenerPath"),
  STR ("listenerMetadata"),
  ARRAY ("architectures", seccomp_arch_item),
  ARRAY ("syscalls", syscall_item),
  END,
};

static const struct field intel_rdt_fields[] = {
  STR ("closID"),
  STRV ("schemata"),
  STR ("l3CacheSchema"),
  STR ("memBwSchema", .match = mem_bw_ok, .pattern = "^MB:[^\\n]*$"),
  BOOL ("enableMonitoring"),
  END,
};

static const char *const mpol_modes[] = {
  "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
  "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
static const char *const mpol_flags[]
    = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL };
static const struct field mpol_flag_item = ENUM (NULL, mpol_flags, "memory policy flag");

static const struct field memory_policy_fields[] = {
  ENUM ("mode", mpol_modes, "memory policy mode", REQ),
  STR ("nodes"),
  ARRAY ("flags", mpol_flag_item),
  END,
};

static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };
static const struct field personality_fields[] = {
  ENUM ("domain", personality_domains, "personality domain", REQ),
  STRV ("flags"),
  END,
};

static const struct field time_offset_fields[] = { I64 ("secs"), U32 ("nanosecs"), END };
static const struct field time_offsets_fields[] = {
  OBJ ("boottime", time_offset_fields),
  OBJ ("monotonic", time_offset_fields),
  END,
};

/* The schema's four values, and the recursive forms runc and crun also accept. */
static const char *const propagations[] = {
  "private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable", NULL,
};

static const struct field linux_fields[] = {
  ARRAY ("devices", device_item),
  MAP ("netDevices", netdev_item),
  ARRAY ("uidMappings", idmap_item),
  ARRAY ("gidMappings", idmap_item),
  ARRAY ("namespaces", namespace_item),
  OBJ ("resources", resources_fields),
  STR ("cgroupsPath"),
  ENUM ("rootfsPropagation", propagations, "rootfs propagation"),
  OBJ ("seccomp", seccomp_fields),
  MAP ("sysctl", string_item),
  STRV ("maskedPaths"),
  STRV ("readonlyPaths"),
  STR ("mountLabel"),
  OBJ ("intelRdt", intel_rdt_fields),
  OBJ ("memoryPolicy", memory_policy_fields),
  OBJ ("personality", personality_fields),
  OBJ ("timeOffsets", time_offsets_fields),
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
        return i < RT_HOOK_KINDS ? hook_names[i] : NULL;
      case RT_NAMES_NAMESPACES:
        return i < ARRAY_SIZE (namespace_types) ? namespace_types[i].name : NULL;
      case RT_NAMES_SECCOMP_ACTIONS:
        return nth (seccomp_actions, i);
      case RT_NAMES_SECCOMP_OPERATORS:
        return nth (seccomp_ops, i);
      case RT_NAMES_SECCOMP_ARCHS:
        return nth (seccomp_archs, i);
      case RT_NAMES_SECCOMP_FLAGS:
        return nth (seccomp_flags, i);
      case RT_NAMES_MPOL_MODES:
        return nth (mpol_modes, i);
      case RT_NAMES_MPOL_FLAGS:
        return nth (mpol_flags, i);
    }
  return NULL;
}

/* config-solaris.json */

static const struct field solaris_cpu_fields[] = { STR ("ncpus"), END };
static const struct field solaris_mem_fields[] = { STR ("physical"), STR ("swap"), END };
static const struct field solaris_anet_fields[] = {
  STR ("linkname"),  STR ("lowerLink"),  STR ("allowedAddress"), STR ("configureAllowedAddress"),
  STR ("defrouter"), STR ("macAddress"), STR ("linkProtection"), END,
};
static const struct field solaris_anet_item = OBJ (NULL, solaris_anet_fields);
static const struct field solaris_fields[] = {
  STR ("milestone"),
  STR ("limitpriv"),
  STR ("maxShmMemory"),
  OBJ ("cappedCPU", solaris_cpu_fields),
  OBJ ("cappedMemory", solaris_mem_fields),
  ARRAY ("anet", solaris_anet_item),
  END,
};

/* config-windows.json */

static const char *const windows_id_types[] = { "class", NULL };
static const struct field windows_device_fields[] = {
  STR ("id", REQ),
  ENUM ("idType", windows_id_types, "device id type", REQ),
  END,
};
static const struct field windows_device_item = OBJ (NULL, windows_device_fields);
static const struct field windows_memory_fields[] = { U64 ("limit"), END };
static const struct field windows_affinity_fields[] = { U64 ("mask"), U32 ("group"), END };
static const struct field windows_cpu_fields[] = {
  U64 ("count"), U16 ("shares"), U16 ("maximum"), OBJ ("affinity", windows_affinity_fields), END,
};
static const struct field windows_storage_fields[] = {
  U64 ("iops"),
  U64 ("bps"),
  U64 ("sandboxSize"),
  END,
};
static const struct field windows_resources_fields[] = {
  OBJ ("memory", windows_memory_fields),
  OBJ ("cpu", windows_cpu_fields),
  OBJ ("storage", windows_storage_fields),
  END,
};
static const struct field windows_network_fields[] = {
  STRV ("endpointList"),    BOOL ("allowUnqualifiedDNSQuery"),
  STRV ("DNSSearchList"),   STR ("networkSharedContainerName"),
  STR ("networkNamespace"), END,
};
static const struct field windows_hyperv_fields[] = { STR ("utilityVMPath"), END };
static const struct field windows_fields[] = {
  STRV ("layerFolders", .flags = F_REQ | F_NONEMPTY),
  ARRAY ("devices", windows_device_item),
  OBJ ("resources", windows_resources_fields),
  OBJ ("network", windows_network_fields),
  { .name = "credentialSpec", .kind = K_ANYOBJ },
  BOOL ("servicing"),
  BOOL ("ignoreFlushesDuringBoot"),
  OBJ ("hyperv", windows_hyperv_fields),
  END,
};

/* config-vm.json */

static const char *const vm_image_formats[] = { "raw", "qcow2", "vdi", "vmdk", "vhd", NULL };
static const struct field vm_hypervisor_fields[] = { STR ("path", REQ), STRV ("parameters"), END };
static const struct field vm_kernel_fields[] = {
  STR ("path", REQ),
  STRV ("parameters"),
  STR ("initrd"),
  END,
};
static const struct field vm_image_fields[] = {
  STR ("path", REQ),
  ENUM ("format", vm_image_formats, "image format", REQ),
  END,
};
static const struct field vm_iomem_fields[] = {
  U64 ("firstGFN"),
  U64 ("firstMFN", REQ),
  U64 ("nrMFNs", REQ),
  END,
};
static const struct field vm_iomem_item = OBJ (NULL, vm_iomem_fields);
static const struct field vm_hw_fields[] = {
  STR ("deviceTree"),
  U32 ("vcpus"),
  U64 ("memory"),
  STRV ("dtdevs"),
  ARRAY ("iomems", vm_iomem_item),
  ARRAY ("irqs", u32_item),
  END,
};
static const struct field vm_fields[] = {
  OBJ ("hypervisor", vm_hypervisor_fields),
  OBJ ("kernel", vm_kernel_fields, REQ),
  OBJ ("image", vm_image_fields),
  OBJ ("hwConfig", vm_hw_fields),
  END,
};

/* config-zos.json */

static const char *const zos_namespace_types[] = { "mount", "pid", "uts", "ipc", NULL };
static const struct field zos_namespace_fields[] = {
  ENUM ("type", zos_namespace_types, "namespace type", REQ),
  STR ("path"),
  END,
};
static const struct field zos_namespace_item = OBJ (NULL, zos_namespace_fields);
static const struct field zos_fields[] = { ARRAY ("namespaces", zos_namespace_item), END };

/* config-freebsd.json */

static const char *const sharing_modes[] = { "disable", "new", "inherit", NULL };
static const char *const sharing_modes_no_disable[] = { "new", "inherit", NULL };
static const struct field freebsd_device_fields[] = { STR ("path"), UINT ("mode", 0777), END };
static const struct field freebsd_device_item = OBJ (NULL, freebsd_device_fields);
static const struct field freebsd_allow_fields[] = {
  BOOL ("setHostname"), BOOL ("rawSockets"),
  BOOL ("chflags"),     STRV ("mount"),
  BOOL ("quotas"),      BOOL ("socketAf"),
  BOOL ("mlock"),       BOOL ("reservedPorts"),
  BOOL ("suser"),       END,
};
static const struct field freebsd_jail_fields[] = {
  STR ("parent"),
  ENUM ("host", sharing_modes_no_disable, "sharing mode"),
  ENUM ("ip4", sharing_modes, "sharing mode"),
  STRV ("ip4Addr"),
  ENUM ("ip6", sharing_modes, "sharing mode"),
  STRV ("ip6Addr"),
  ENUM ("vnet", sharing_modes_no_disable, "sharing mode"),
  STR ("interface"),
  STRV ("vnetInterfaces"),
  ENUM ("sysvmsg", sharing_modes, "sharing mode"),
  ENUM ("sysvsem", sharing_modes, "sharing mode"),
  ENUM ("sysvshm", sharing_modes, "sharing mode"),
  U8 ("enforceStatfs"),
  OBJ ("allow", freebsd_allow_fields),
  END,
};
static const struct field freebsd_fields[] = {
  ARRAY ("devices", freebsd_device_item),
  OBJ ("jail", freebsd_jail_fields),
  END,
};

/* config-schema.json */

static const struct field config_fields[] = {
  STR ("ociVersion", REQ),
  OBJ ("hooks", hooks_fields),
  MAP ("annotations", string_item),
  STR ("hostname"),
  STR ("domainname"),
  ARRAY ("mounts", mount_item),
  OBJ ("root", root_fields),
  OBJ ("process", process_fields),
  OBJ ("linux", linux_fields),
  OBJ ("solaris", solaris_fields),
  OBJ ("windows", windows_fields),
  OBJ ("vm", vm_fields),
  OBJ ("zos", zos_fields),
  OBJ ("freebsd", freebsd_fields),
  END,
};

/* ------------------------------------------------------------------ checker */

static const char *
type_desc (yajl_val v)
{
  switch (v->type)
    {
      case yajl_t_string:
        return "a string";
      case yajl_t_number:
        return "a number";
      case yajl_t_object:
        return "an object";
      case yajl_t_array:
        return "an array";
      case yajl_t_true:
      case yajl_t_false:
        return "a boolean";
      case yajl_t_null:
        return "null";
      default:
        return "an unknown value";
    }
}

static int
want (struct pctx *c, const char *path, const char *what, yajl_val v)
{
  return fail (c, path, "want %s, got %s", what, type_desc (v));
}

/* An integer literal in full ([-]digits): 1.0 and 1e3 are not integers here. */
static bool
parse_u64 (const char *raw, uint64_t *out)
{
  char *end;
  unsigned long long n;

  if (raw[0] < '0' || raw[0] > '9')
    return false;
  errno = 0;
  n = strtoull (raw, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *out = n;
  return true;
}

static bool
parse_i64 (const char *raw, int64_t *out)
{
  char *end;
  long long n;
  const char *digits = raw[0] == '-' ? raw + 1 : raw;

  if (digits[0] < '0' || digits[0] > '9')
    return false;
  errno = 0;
  n = strtoll (raw, &end, 10);
  if (errno != 0 || *end != '\0')
    return false;
  *out = n;
  return true;
}

static void
integer_desc (const struct field *f, char *buf, size_t size)
{
  if (f->kind == K_UINT && f->umax == UINT8_MAX)
    snprintf (buf, size, "an unsigned 8-bit integer");
  else if (f->kind == K_UINT && f->umax == UINT16_MAX)
    snprintf (buf, size, "an unsigned 16-bit integer");
  else if (f->kind == K_UINT && f->umax == UINT32_MAX)
    snprintf (buf, size, "an unsigned 32-bit integer");
  else if (f->kind == K_UINT && f->umax == UINT64_MAX)
    snprintf (buf, size, "an unsigned 64-bit integer");
  else if (f->kind == K_UINT)
    snprintf (buf, size, "an integer from 0 to %" PRIu64, f->umax);
  else if (f->smin == INT32_MIN && f->smax == INT32_MAX)
    snprintf (buf, size, "a 32-bit integer");
  else if (f->smin == INT64_MIN && f->smax == INT64_MAX)
    snprintf (buf, size, "a 64-bit integer");
  else if (f->smin == 1 && f->smax == INT32_MAX)
    snprintf (buf, size, "an integer greater than zero");
  else
    snprintf (buf, size, "an integer from %" PRId64 " to %" PRId64, f->smin, f->smax);
}

static int
check_integer (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  char desc[64];
  uint64_t u;
  int64_t s;
  bool ok;

  integer_desc (f, desc, sizeof desc);
  if (!YAJL_IS_NUMBER (v))
    return want (c, path, desc, v);
  if (f->kind == K_UINT)
    ok = parse_u64 (YAJL_GET_NUMBER (v), &u) && u <= f->umax;
  else
    ok = parse_i64 (YAJL_GET_NUMBER (v), &s) && s >= f->smin && s <= f->smax;
  if (!ok)
    return fail (c, path, "want %s, got %.64s", desc, YAJL_GET_NUMBER (v));
  return 0;
}

static bool
enum_has (const char *const *values, const char *s)
{
  for (; *values; values++)
    if (strcmp (*values, s) == 0)
      return true;
  return false;
}

static int
check_string (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  cleanup_free char *q = NULL;
  cleanup_free char *choices = NULL;
  const char *s;

  if (!YAJL_IS_STRING (v))
    return want (c, path, "a string", v);
  s = YAJL_GET_STRING (v);
  if (f->values != NULL && !enum_has (f->values, s))
    {
      size_t n = 0, count = 0;
      for (const char *const *p = f->values; *p; p++, count++)
        n += strlen (*p) + 2;
      q = quote (s);
      /* Short lists are worth showing; the 23 seccomp architectures are not. */
      if (count > 10)
        return fail (c, path, "unknown %s %s", f->noun, q);
      choices = xcalloc (1, n + 1);
      for (const char *const *p = f->values; *p; p++)
        strcat (strcat (choices, p == f->values ? "" : ", "), *p);
      return fail (c, path, "unknown %s %s (want one of: %s)", f->noun, q, choices);
    }
  if (f->match != NULL && !f->match (s))
    {
      q = quote (s);
      if (f->noun != NULL)
        return fail (c, path, "unknown %s %s", f->noun, q);
      return fail (c, path, "%s does not match %s", q, f->pattern);
    }
  return 0;
}

static int check_value (struct pctx *c, const char *path, yajl_val v, const struct field *f);

/* Keys are checked while iterating: yajl_tree keeps a duplicate as another entry. */
static int
check_keys_unique (struct pctx *c, const char *path, yajl_val v, size_t i)
{
  const char *key = v->u.object.keys[i];
  for (size_t j = 0; j < i; j++)
    if (strcmp (v->u.object.keys[j], key) == 0)
      {
        cleanup_free char *q = quote (key);
        return fail (c, path, "duplicate key %s", q);
      }
  return 0;
}

static const struct field *
find_field (const struct field *fields, const char *key)
{
  for (; fields->name != NULL; fields++)
    if (strcmp (fields->name, key) == 0)
      return fields;
  return NULL;
}

static yajl_val
get (yajl_val obj, const char *key)
{
  if (obj == NULL || !YAJL_IS_OBJECT (obj))
    return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i];
  return NULL;
}

static int
check_object (struct pctx *c, const char *path, yajl_val v, const struct field *fields)
{
  if (!YAJL_IS_OBJECT (v))
    return want (c, path, "an object", v);
  for (size_t i = 0; i < v->u.object.len; i++)
    {
      const char *key = v->u.object.keys[i];
      const struct field *f = find_field (fields, key);
      cleanup_free char *sub = NULL;

      if (check_keys_unique (c, path, v, i) < 0)
        return -1;
      /* config.md, Extensibility: runtimes MUST ignore unknown properties (runc does).
         Duplicates and wrong types of known keys stay errors. */
      if (f == NULL)
        continue;
      sub = path_key (path, key);
      if (check_value (c, sub, v->u.object.values[i], f) < 0)
        return -1;
    }
  for (const struct field *f = fields; f->name != NULL; f++)
    if ((f->flags & F_REQ) && get (v, f->name) == NULL)
      return fail (c, path, "missing required key \"%s\"", f->name);
  return 0;
}

static int
check_array (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  if (!YAJL_IS_ARRAY (v))
    return want (c, path, "an array", v);
  if ((f->flags & F_NONEMPTY) && v->u.array.len == 0)
    return fail (c, path, "must not be empty");
  for (size_t i = 0; i < v->u.array.len; i++)
    {
      cleanup_free char *sub = path_index (path, i);
      if (check_value (c, sub, v->u.array.values[i], f->item) < 0)
        return -1;
    }
  return 0;
}

static int
check_map (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  if (!YAJL_IS_OBJECT (v))
    return want (c, path, "an object", v);
  for (size_t i = 0; i < v->u.object.len; i++)
    {
      cleanup_free char *sub = NULL;
      if (check_keys_unique (c, path, v, i) < 0)
        return -1;
      sub = path_map (path, v->u.object.keys[i]);
      if (check_value (c, sub, v->u.object.values[i], f->item) < 0)
        return -1;
    }
  return 0;
}

static int
check_value (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  switch (f->kind)
    {
      case K_STR:
        return check_string (c, path, v, f);
      case K_BOOL:
        return (YAJL_IS_TRUE (v) || YAJL_IS_FALSE (v)) ? 0 : want (c, path, "a boolean", v);
      case K_UINT:
      case K_INT:
        return check_integer (c, path, v, f);
      case K_OBJ:
        return check_object (c, path, v, f->sub);
      case K_ANYOBJ:
        return YAJL_IS_OBJECT (v) ? 0 : want (c, path, "an object", v);
      case K_ARRAY:
        return check_array (c, path, v, f);
      case K_MAP:
        return check_map (c, path, v, f);
    }
  return fail (c, path, "internal error: unknown schema kind");
}

/* SemVer 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. */
static bool
semver_number (const char **s, unsigned long *out)
{
  const char *p = *s;
  char *end;

  if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
    return false;
  errno = 0;
  *out = strtoul (p, &end, 10);
  *s = end;
  return errno == 0;
}

static bool
semver_idents (const char *s)
{
  /* dot-separated non-empty [0-9A-Za-z-]+ */
  size_t n;
  for (;;)
    {
      n = strspn (s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
      if (n == 0)
        return false;
      s += n;
      if (*s != '.')
        return true;
      s++;
    }
}

static bool
semver_parse (const char *s, unsigned long *major)
{
  unsigned long minor, patch;

  if (!semver_number (&s, major) || *s++ != '.' || !semver_number (&s, &minor) || *s++ != '.'
      || !semver_number (&s, &patch))
    return false;
  if (*s == '-')
    {
      s++;
      if (!semver_idents (s))
        return false;
      s += strspn (s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.");
    }
  if (*s == '+')
    {
      s++;
      if (!semver_idents (s))
        return false;
      s += strspn (s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.");
    }
  return *s == '\0';
}

/* 1.x is what rt implements.  0.x are the drafts before 1.0 that the spec's own
   examples still carry (schema/test/config/good/spec-example.json is "0.5.0-dev"):
   they are accepted and held to the 1.x schema. */
static int
check_version (struct pctx *c, const char *v)
{
  cleanup_free char *q = quote (v);
  unsigned long major;

  if (!semver_parse (v, &major))
    return fail (c, "", "ociVersion %s: not a SemVer version", q);
  if (major > 1)
    return fail (c, "", "ociVersion %s: unsupported major version (rt supports 1.x)", q);
  return 0;
}

/* ------------------------------------------------------------------ fill (trusted tree) */

static char *
get_str (yajl_val obj, const char *key)
{
  yajl_val v = get (obj, key);
  return v ? xstrdup (YAJL_GET_STRING (v)) : NULL;
}

static bool
get_bool (yajl_val obj, const char *key, bool *out)
{
  yajl_val v = get (obj, key);
  if (v == NULL)
    return false;
  *out = YAJL_IS_TRUE (v);
  return true;
}

static uint64_t
num_u64 (yajl_val v)
{
  uint64_t u = 0;
  parse_u64 (YAJL_GET_NUMBER (v), &u);
  return u;
}

static int64_t
num_i64 (yajl_val v)
{
  int64_t s = 0;
  parse_i64 (YAJL_GET_NUMBER (v), &s);
  return s;
}

/* The checker has already held every number to its field's range. */
#define GET_NUM(conv, type)                                                                        \
  static bool get_##type (yajl_val obj, const char *key, type##_t *out)                            \
  {                                                                                                \
    yajl_val v = get (obj, key);                                                                   \
    if (v == NULL)                                                                                 \
      return false;                                                                                \
    *out = (type##_t) conv (v);                                                                    \
    return true;                                                                                   \
  }
GET_NUM (num_u64, uint64)
GET_NUM (num_u64, uint32)
GET_NUM (num_u64, uint16)
GET_NUM (num_i64, int64)
GET_NUM (num_i64, int32)

static yajl_val *
get_items (yajl_val obj, const char *key, size_t *n)
{
  yajl_val v = get (obj, key);
  *n = v ? v->u.array.len : 0;
  return v ? v->u.array.values : NULL;
}

/* A NULL-terminated copy; NULL when the key is absent. */
static char **
get_strv (yajl_val obj, const char *key, size_t *n)
{
  yajl_val *items = get_items (obj, key, n);
  char **r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n + 1, sizeof (char *));
  for (size_t i = 0; i < *n; i++)
    r[i] = xstrdup (YAJL_GET_STRING (items[i]));
  return r;
}

static struct rt_keyval *
get_keyvals (yajl_val obj, const char *key, size_t *n)
{
  yajl_val m = get (obj, key);
  struct rt_keyval *r;

  *n = m ? m->u.object.len : 0;
  if (m == NULL)
    return NULL;
  r = xcalloc (*n, sizeof *r);
  for (size_t i = 0; i < *n; i++)
    {
      r[i].key = xstrdup (m->u.object.keys[i]);
      r[i].value = xstrdup (YAJL_GET_STRING (m->u.object.values[i]));
    }
  return r;
}

static struct rt_id_mapping *
get_idmaps (yajl_val obj, const char *key, size_t *n)
{
  yajl_val *items = get_items (obj, key, n);
  struct rt_id_mapping *r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n, sizeof *r);
  for (size_t i = 0; i < *n; i++)
    {
      get_uint32 (items[i], "containerID", &r[i].container_id);
      get_uint32 (items[i], "hostID", &r[i].host_id);
      get_uint32 (items[i], "size", &r[i].size);
    }
  return r;
}

/* setresuid(-1) means "unchanged": an id of 2^32-1 would leave the process root.  runc
   refuses every id above INT32_MAX, with this message. */
static int
check_ids (struct pctx *c, const char *path, const struct rt_user *u)
{
  cleanup_free char *upath = path_key (path, "user");
  cleanup_free char *gpath = path_key (upath, "additionalGids");

  if (u->uid > RT_ID_MAX || u->gid > RT_ID_MAX)
    {
      cleanup_free char *ipath = path_key (upath, u->uid > RT_ID_MAX ? "uid" : "gid");
      return fail (c, ipath, "%s", RT_ID_RANGE_MSG);
    }
  for (size_t i = 0; i < u->n_additional_gids; i++)
    if (u->additional_gids[i] > RT_ID_MAX)
      {
        cleanup_free char *ipath = path_index (gpath, i);
        return fail (c, ipath, "%s", RT_ID_RANGE_MSG);
      }
  return 0;
}

static void
fill_user (struct rt_user *u, yajl_val v)
{
  yajl_val *gids;

  get_uint32 (v, "uid", &u->uid);
  get_uint32 (v, "gid", &u->gid);
  u->has_umask = get_uint32 (v, "umask", &u->umask);
  gids = get_items (v, "additionalGids", &u->n_additional_gids);
  if (gids != NULL)
    {
      u->additional_gids = xcalloc (u->n_additional_gids, sizeof (uint32_t));
      for (size_t i = 0; i < u->n_additional_gids; i++)
        u->additional_gids[i] = (uint32_t) num_u64 (gids[i]);
    }
  u->username = get_str (v, "username");
}

static void
fill_caps (struct rt_caps *caps, yajl_val v)
{
  caps->bounding = get_strv (v, "bounding", &caps->n_bounding);
  caps->effective = get_strv (v, "effective", &caps->n_effective);
  caps->inheritable = get_strv (v, "inheritable", &caps->n_inheritable);
  caps->permitted = get_strv (v, "permitted", &caps->n_permitted);
  caps->ambient = get_strv (v, "ambient", &caps->n_ambient);
}

/* config.md: duplicated rlimit types MUST be an error. */
static int
fill_rlimits (struct pctx *c, const char *path, struct rt_process *p, yajl_val v)
{
  yajl_val *items = get_items (v, "rlimits", &p->n_rlimits);

  if (items == NULL)
    return 0;
  p->rlimits = xcalloc (p->n_rlimits, sizeof *p->rlimits);
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      struct rt_rlimit *r = &p->rlimits[i];
      r->type = get_str (items[i], "type");
      r->resource = rlimit_resource (r->type);
      get_uint64 (items[i], "hard", &r->hard);
      get_uint64 (items[i], "soft", &r->soft);
      for (size_t j = 0; j < i; j++)
        if (p->rlimits[j].resource == r->resource)
          {
            cleanup_free char *rpath = path_key (path, "rlimits");
            cleanup_free char *ipath = path_index (rpath, i);
            cleanup_free char *tpath = path_key (ipath, "type");
            return fail (c, tpath, "duplicate rlimit \"%s\"", r->type);
          }
    }
  return 0;
}

static void
fill_scheduler (struct rt_process *p, yajl_val v)
{
  p->has_scheduler = true;
  p->scheduler_policy = get_str (v, "policy");
  get_int32 (v, "nice", &p->scheduler_nice);
  get_int32 (v, "priority", &p->scheduler_priority);
  get_uint64 (v, "runtime", &p->scheduler_runtime);
  get_uint64 (v, "deadline", &p->scheduler_deadline);
  get_uint64 (v, "period", &p->scheduler_period);
  p->scheduler_flags = get_strv (v, "flags", &p->n_scheduler_flags);
}

static int
fill_process (struct pctx *c, const char *path, struct rt_process *p, yajl_val v)
{
  yajl_val sub;
  int32_t n;

  get_bool (v, "terminal", &p->terminal);
  if ((sub = get (v, "consoleSize")) != NULL)
    {
      p->has_console_size = true;
      get_uint32 (sub, "height", &p->console_height);
      get_uint32 (sub, "width", &p->console_width);
    }
  if ((sub = get (v, "user")) != NULL)
    fill_user (&p->user, sub);
  p->args = get_strv (v, "args", &p->n_args);
  p->command_line = get_str (v, "commandLine");
  p->env = get_strv (v, "env", &p->n_env);
  p->cwd = get_str (v, "cwd");
  if ((sub = get (v, "capabilities")) != NULL)
    {
      p->has_caps = true;
      fill_caps (&p->caps, sub);
    }
  get_bool (v, "noNewPrivileges", &p->no_new_privileges);
  p->apparmor_profile = get_str (v, "apparmorProfile");
  if ((p->has_oom_score_adj = get_int32 (v, "oomScoreAdj", &n)))
    p->oom_score_adj = n;
  p->selinux_label = get_str (v, "selinuxLabel");
  if ((sub = get (v, "ioPriority")) != NULL)
    {
      p->has_io_priority = true;
      p->io_priority_class = get_str (sub, "class");
      if (get_int32 (sub, "priority", &n))
        p->io_priority = n;
    }
  if ((sub = get (v, "scheduler")) != NULL)
    fill_scheduler (p, sub);
  if ((sub = get (v, "execCPUAffinity")) != NULL)
    {
      p->exec_cpu_affinity_initial = get_str (sub, "initial");
      p->exec_cpu_affinity_final = get_str (sub, "final");
    }
  if (check_ids (c, path, &p->user) < 0)
    return -1;
  return fill_rlimits (c, path, p, v);
}

static void
fill_mounts (struct rt_spec *s, yajl_val v)
{
  yajl_val *items = get_items (v, "mounts", &s->n_mounts);

  if (items == NULL)
    return;
  s->mounts = xcalloc (s->n_mounts, sizeof *s->mounts);
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      struct rt_mount *m = &s->mounts[i];
      m->destination = get_str (items[i], "destination");
      m->source = get_str (items[i], "source");
      m->type = get_str (items[i], "type");
      m->options = get_strv (items[i], "options", &m->n_options);
      m->uid_mappings = get_idmaps (items[i], "uidMappings", &m->n_uid_mappings);
      m->gid_mappings = get_idmaps (items[i], "gidMappings", &m->n_gid_mappings);
    }
}

static void
fill_hooks (struct rt_hooks *h, yajl_val v)
{
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    {
      yajl_val *items = get_items (v, hook_names[k], &h->n_hooks[k]);
      if (items == NULL)
        continue;
      h->hooks[k] = xcalloc (h->n_hooks[k], sizeof (struct rt_hook));
      for (size_t i = 0; i < h->n_hooks[k]; i++)
        {
          struct rt_hook *hook = &h->hooks[k][i];
          int32_t t;
          hook->path = get_str (items[i], "path");
          hook->args = get_strv (items[i], "args", &hook->n_args);
          hook->env = get_strv (items[i], "env", &hook->n_env);
          if ((hook->has_timeout = get_int32 (items[i], "timeout", &t)))
            hook->timeout = t;
        }
    }
}

static void
fill_namespaces (struct rt_linux *l, yajl_val v)
{
  yajl_val *items = get_items (v, "namespaces", &l->n_namespaces);

  if (items == NULL)
    return;
  l->namespaces = xcalloc (l->n_namespaces, sizeof *l->namespaces);
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      l->namespaces[i].type = rt_namespace_flag (YAJL_GET_STRING (get (items[i], "type")));
      l->namespaces[i].path = get_str (items[i], "path");
    }
}

static void
fill_devices (struct rt_linux *l, yajl_val v)
{
  yajl_val *items = get_items (v, "devices", &l->n_devices);

  if (items == NULL)
    return;
  l->devices = xcalloc (l->n_devices, sizeof *l->devices);
  for (size_t i = 0; i < l->n_devices; i++)
    {
      struct rt_device *d = &l->devices[i];
      d->path = get_str (items[i], "path");
      d->type = YAJL_GET_STRING (get (items[i], "type"))[0];
      d->has_major = get_int64 (items[i], "major", &d->major);
      d->has_minor = get_int64 (items[i], "minor", &d->minor);
      d->has_file_mode = get_uint32 (items[i], "fileMode", &d->file_mode);
      d->has_uid = get_uint32 (items[i], "uid", &d->uid);
      d->has_gid = get_uint32 (items[i], "gid", &d->gid);
    }
}

static void
fill_device_cgroup (struct rt_resources *r, yajl_val v)
{
  yajl_val *items = get_items (v, "devices", &r->n_devices);

  if (items == NULL)
    return;
  r->devices = xcalloc (r->n_devices, sizeof *r->devices);
  for (size_t i = 0; i < r->n_devices; i++)
    {
      struct rt_device_cgroup *d = &r->devices[i];
      get_bool (items[i], "allow", &d->allow);
      d->type = get_str (items[i], "type");
      d->major = d->minor = -1;
      d->has_major = get_int64 (items[i], "major", &d->major);
      d->has_minor = get_int64 (items[i], "minor", &d->minor);
      d->access = get_str (items[i], "access");
    }
}

static void
fill_memory (struct rt_resources *r, yajl_val v)
{
  r->memory.has_limit = get_int64 (v, "limit", &r->memory.limit);
  r->memory.has_reservation = get_int64 (v, "reservation", &r->memory.reservation);
  r->memory.has_swap = get_int64 (v, "swap", &r->memory.swap);
  r->memory.has_kernel = get_int64 (v, "kernel", &r->memory.kernel);
  r->memory.has_kernel_tcp = get_int64 (v, "kernelTCP", &r->memory.kernel_tcp);
  r->memory.has_swappiness = get_uint64 (v, "swappiness", &r->memory.swappiness);
  r->memory.has_disable_oom_killer
      = get_bool (v, "disableOOMKiller", &r->memory.disable_oom_killer);
  r->memory.has_use_hierarchy = get_bool (v, "useHierarchy", &r->memory.use_hierarchy);
  r->memory.has_check_before_update
      = get_bool (v, "checkBeforeUpdate", &r->memory.check_before_update);
}

static void
fill_cpu (struct rt_resources *r, yajl_val v)
{
  r->cpu.has_shares = get_uint64 (v, "shares", &r->cpu.shares);
  r->cpu.has_quota = get_int64 (v, "quota", &r->cpu.quota);
  r->cpu.has_burst = get_uint64 (v, "burst", &r->cpu.burst);
  r->cpu.has_period = get_uint64 (v, "period", &r->cpu.period);
  r->cpu.has_realtime_runtime = get_int64 (v, "realtimeRuntime", &r->cpu.realtime_runtime);
  r->cpu.has_realtime_period = get_uint64 (v, "realtimePeriod", &r->cpu.realtime_period);
  r->cpu.has_idle = get_int64 (v, "idle", &r->cpu.idle);
  r->cpu.cpus = get_str (v, "cpus");
  r->cpu.mems = get_str (v, "mems");
}

static struct rt_blkio_device *
get_blkio_devices (yajl_val v, const char *key, size_t *n)
{
  yajl_val *items = get_items (v, key, n);
  struct rt_blkio_device *r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n, sizeof *r);
  for (size_t i = 0; i < *n; i++)
    {
      get_int64 (items[i], "major", &r[i].major);
      get_int64 (items[i], "minor", &r[i].minor);
      r[i].has_weight = get_uint16 (items[i], "weight", &r[i].weight);
      r[i].has_leaf_weight = get_uint16 (items[i], "leafWeight", &r[i].leaf_weight);
      get_uint64 (items[i], "rate", &r[i].rate);
    }
  return r;
}

static void
fill_blkio (struct rt_resources *r, yajl_val v)
{
  r->blkio.has_weight = get_uint16 (v, "weight", &r->blkio.weight);
  r->blkio.has_leaf_weight = get_uint16 (v, "leafWeight", &r->blkio.leaf_weight);
  r->blkio.weight_device = get_blkio_devices (v, "weightDevice", &r->blkio.n_weight_device);
  r->blkio.throttle_read_bps
      = get_blkio_devices (v, "throttleReadBpsDevice", &r->blkio.n_throttle_read_bps);
  r->blkio.throttle_write_bps
      = get_blkio_devices (v, "throttleWriteBpsDevice", &r->blkio.n_throttle_write_bps);
  r->blkio.throttle_read_iops
      = get_blkio_devices (v, "throttleReadIOPSDevice", &r->blkio.n_throttle_read_iops);
  r->blkio.throttle_write_iops
      = get_blkio_devices (v, "throttleWriteIOPSDevice", &r->blkio.n_throttle_write_iops);
}

static void
fill_network_rdma_hugepages (struct rt_resources *r, yajl_val v)
{
  yajl_val net = get (v, "network"), rdma = get (v, "rdma"), *items;

  items = get_items (v, "hugepageLimits", &r->n_hugepage_limits);
  if (items != NULL)
    r->hugepage_limits = xcalloc (r->n_hugepage_limits, sizeof *r->hugepage_limits);
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      r->hugepage_limits[i].page_size = get_str (items[i], "pageSize");
      get_uint64 (items[i], "limit", &r->hugepage_limits[i].limit);
    }
  r->network.has_class_id = get_uint32 (net, "classID", &r->network.class_id);
  items = get_items (net, "priorities", &r->network.n_priorities);
  if (items != NULL)
    r->network.priorities = xcalloc (r->network.n_priorities, sizeof *r->network.priorities);
  for (size_t i = 0; i < r->network.n_priorities; i++)
    {
      r->network.priorities[i].name = get_str (items[i], "name");
      get_uint32 (items[i], "priority", &r->network.priorities[i].priority);
    }
  r->n_rdma = rdma ? rdma->u.object.len : 0;
  if (rdma != NULL)
    r->rdma = xcalloc (r->n_rdma, sizeof *r->rdma);
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      yajl_val e = rdma->u.object.values[i];
      r->rdma[i].device = xstrdup (rdma->u.object.keys[i]);
      r->rdma[i].has_hca_handles = get_uint32 (e, "hcaHandles", &r->rdma[i].hca_handles);
      r->rdma[i].has_hca_objects = get_uint32 (e, "hcaObjects", &r->rdma[i].hca_objects);
    }
}

static void
fill_resources (struct rt_resources *r, yajl_val v)
{
  yajl_val sub;

  fill_device_cgroup (r, v);
  if ((sub = get (v, "memory")) != NULL)
    fill_memory (r, sub);
  if ((sub = get (v, "cpu")) != NULL)
    fill_cpu (r, sub);
  if ((sub = get (v, "pids")) != NULL)
    r->pids.has_limit = get_int64 (sub, "limit", &r->pids.limit);
  if ((sub = get (v, "blockIO")) != NULL)
    fill_blkio (r, sub);
  fill_network_rdma_hugepages (r, v);
  r->unified = get_keyvals (v, "unified", &r->n_unified);
}

static struct rt_seccomp *
get_seccomp (yajl_val v)
{
  struct rt_seccomp *s = xcalloc (1, sizeof *s);
  yajl_val *items;

  s->default_action = get_str (v, "defaultAction");
  s->has_default_errno_ret = get_uint32 (v, "defaultErrnoRet", &s->default_errno_ret);
  s->architectures = get_strv (v, "architectures", &s->n_architectures);
  s->flags = get_strv (v, "flags", &s->n_flags);
  s->listener_path = get_str (v, "listenerPath");
  s->listener_metadata = get_str (v, "listenerMetadata");
  items = get_items (v, "syscalls", &s->n_syscalls);
  if (items != NULL)
    s->syscalls = xcalloc (s->n_syscalls, sizeof *s->syscalls);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      struct rt_seccomp_syscall *sc = &s->syscalls[i];
      yajl_val *args = get_items (items[i], "args", &sc->n_args);
      sc->names = get_strv (items[i], "names", &sc->n_names);
      sc->action = get_str (items[i], "action");
      sc->has_errno_ret = get_uint32 (items[i], "errnoRet", &sc->errno_ret);
      if (args != NULL)
        sc->args = xcalloc (sc->n_args, sizeof *sc->args);
      for (size_t j = 0; j < sc->n_args; j++)
        {
          get_uint32 (args[j], "index", &sc->args[j].index);
          get_uint64 (args[j], "value", &sc->args[j].value);
          get_uint64 (args[j], "valueTwo", &sc->args[j].value_two);
          sc->args[j].op = get_str (args[j], "op");
        }
    }
  return s;
}

static void
get_time_offset (struct rt_time_offset *t, yajl_val v)
{
  if (v == NULL)
    return;
  t->set = true;
  get_int64 (v, "secs", &t->secs);
  get_uint32 (v, "nanosecs", &t->nanosecs);
}

static struct rt_intel_rdt *
get_intel_rdt (yajl_val v)
{
  struct rt_intel_rdt *r = xcalloc (1, sizeof *r);

  r->clos_id = get_str (v, "closID");
  r->l3_cache_schema = get_str (v, "l3CacheSchema");
  r->mem_bw_schema = get_str (v, "memBwSchema");
  r->schemata = get_strv (v, "schemata", &r->n_schemata);
  get_bool (v, "enableMonitoring", &r->enable_monitoring);
  return r;
}

static void
fill_net_devices (struct rt_linux *l, yajl_val m)
{
  if (m == NULL)
    return;
  l->n_net_devices = m->u.object.len;
  l->net_devices = xcalloc (l->n_net_devices, sizeof *l->net_devices);
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      l->net_devices[i].host_name = xstrdup (m->u.object.keys[i]);
      l->net_devices[i].name = get_str (m->u.object.values[i], "name");
    }
}

static void
fill_linux (struct rt_linux *l, yajl_val v)
{
  yajl_val sub;

  fill_namespaces (l, v);
  l->uid_mappings = get_idmaps (v, "uidMappings", &l->n_uid_mappings);
  l->gid_mappings = get_idmaps (v, "gidMappings", &l->n_gid_mappings);
  fill_devices (l, v);
  l->cgroups_path = get_str (v, "cgroupsPath");
  if ((sub = get (v, "resources")) != NULL)
    {
      l->has_resources = true;
      fill_resources (&l->resources, sub);
    }
  l->rootfs_propagation = get_str (v, "rootfsPropagation");
  l->masked_paths = get_strv (v, "maskedPaths", &l->n_masked_paths);
  l->has_masked_paths = l->masked_paths != NULL;
  l->readonly_paths = get_strv (v, "readonlyPaths", &l->n_readonly_paths);
  l->has_readonly_paths = l->readonly_paths != NULL;
  l->mount_label = get_str (v, "mountLabel");
  l->sysctl = get_keyvals (v, "sysctl", &l->n_sysctl);
  if ((sub = get (v, "seccomp")) != NULL)
    l->seccomp = get_seccomp (sub);
  if ((sub = get (v, "personality")) != NULL)
    {
      l->personality_domain = get_str (sub, "domain");
      l->personality_flags = get_strv (sub, "flags", &l->n_personality_flags);
    }
  if ((sub = get (v, "timeOffsets")) != NULL)
    {
      l->has_time_offsets = true;
      get_time_offset (&l->boottime, get (sub, "boottime"));
      get_time_offset (&l->monotonic, get (sub, "monotonic"));
    }
  if ((sub = get (v, "memoryPolicy")) != NULL)
    {
      l->has_memory_policy = true;
      l->memory_policy_mode = get_str (sub, "mode");
      l->memory_policy_nodes = get_str (sub, "nodes");
      l->memory_policy_flags = get_strv (sub, "flags", &l->n_memory_policy_flags);
    }
  if ((sub = get (v, "intelRdt")) != NULL)
    l->intel_rdt = get_intel_rdt (sub);
  fill_net_devices (l, get (v, "netDevices"));
}

/* linux.resources.oomScoreAdj (pre-1.0): the process's score when process.oomScoreAdj is
   absent, rather than parsed and ignored. */
static void
legacy_oom_score_adj (struct rt_spec *s, yajl_val v)
{
  yajl_val res = get (get (v, "linux"), "resources");
  int32_t n;

  if (res != NULL && !s->process.has_oom_score_adj && get_int32 (res, "oomScoreAdj", &n))
    {
      s->process.has_oom_score_adj = true;
      s->process.oom_score_adj = n;
    }
}

static int
fill_spec (struct pctx *c, struct rt_spec *s, yajl_val v)
{
  yajl_val sub;

  s->oci_version = get_str (v, "ociVersion");
  if ((sub = get (v, "root")) != NULL)
    {
      s->root_path = get_str (sub, "path");
      get_bool (sub, "readonly", &s->root_readonly);
    }
  fill_mounts (s, v);
  s->hostname = get_str (v, "hostname");
  s->domainname = get_str (v, "domainname");
  if ((sub = get (v, "hooks")) != NULL)
    fill_hooks (&s->hooks, sub);
  s->annotations = get_keyvals (v, "annotations", &s->n_annotations);
  if ((sub = get (v, "linux")) != NULL)
    {
      s->has_linux = true;
      fill_linux (&s->linux_, sub);
    }
  /* a virtual-machine container: rt makes namespaces, refused by rt_spec_validate */
  s->has_vm = get (v, "vm") != NULL;
  if ((sub = get (v, "process")) != NULL)
    {
      s->has_process = true;
      if (fill_process (c, "process", &s->process, sub) < 0)
        return -1;
    }
  legacy_oom_score_adj (s, v);
  return 0;
}

/* ------------------------------------------------------------------ free */

static void
free_keyvals (struct rt_keyval *kv, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

static void
process_clear (struct rt_process *p)
{
  free (p->user.additional_gids);
  free (p->user.username);
  strv_free (p->args);
  free (p->command_line);
  strv_free (p->env);
  free (p->cwd);
  strv_free (p->caps.bounding);
  strv_free (p->caps.effective);
  strv_free (p->caps.inheritable);
  strv_free (p->caps.permitted);
  strv_free (p->caps.ambient);
  for (size_t i = 0; i < p->n_rlimits; i++)
    free (p->rlimits[i].type);
  free (p->rlimits);
  free (p->apparmor_profile);
  free (p->selinux_label);
  free (p->io_priority_class);
  free (p->scheduler_policy);
  strv_free (p->scheduler_flags);
  free (p->exec_cpu_affinity_initial);
  free (p->exec_cpu_affinity_final);
}

void
rt_process_free (struct rt_process *p)
{
  if (p == NULL)
    return;
  process_clear (p);
  free (p);
}

static void
seccomp_free (struct rt_seccomp *s)
{
  if (s == NULL)
    return;
  free (s->default_action);
  strv_free (s->architectures);
  strv_free (s->flags);
  free (s->listener_path);
  free (s->listener_metadata);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      strv_free (s->syscalls[i].names);
      free (s->syscalls[i].action);
      for (size_t j = 0; j < s->syscalls[i].n_args; j++)
        free (s->syscalls[i].args[j].op);
      free (s->syscalls[i].args);
    }
  free (s->syscalls);
  free (s);
}

static void
resources_clear (struct rt_resources *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    {
      free (r->devices[i].type);
      free (r->devices[i].access);
    }
  free (r->devices);
  free (r->cpu.cpus);
  free (r->cpu.mems);
  free (r->blkio.weight_device);
  free (r->blkio.throttle_read_bps);
  free (r->blkio.throttle_write_bps);
  free (r->blkio.throttle_read_iops);
  free (r->blkio.throttle_write_iops);
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    free (r->hugepage_limits[i].page_size);
  free (r->hugepage_limits);
  for (size_t i = 0; i < r->network.n_priorities; i++)
    free (r->network.priorities[i].name);
  free (r->network.priorities);
  for (size_t i = 0; i < r->n_rdma; i++)
    free (r->rdma[i].device);
  free (r->rdma);
  free_keyvals (r->unified, r->n_unified);
}

static void
linux_clear (struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_namespaces; i++)
    free (l->namespaces[i].path);
  free (l->namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  for (size_t i = 0; i < l->n_devices; i++)
    free (l->devices[i].path);
  free (l->devices);
  free (l->cgroups_path);
  resources_clear (&l->resources);
  free (l->rootfs_propagation);
  strv_free (l->masked_paths);
  strv_free (l->readonly_paths);
  free (l->mount_label);
  free_keyvals (l->sysctl, l->n_sysctl);
  seccomp_free (l->seccomp);
  free (l->personality_domain);
  strv_free (l->personality_flags);
  free (l->memory_policy_mode);
  free (l->memory_policy_nodes);
  strv_free (l->memory_policy_flags);
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      free (l->net_devices[i].host_name);
      free (l->net_devices[i].name);
    }
  free (l->net_devices);
  if (l->intel_rdt)
    {
      free (l->intel_rdt->clos_id);
      free (l->intel_rdt->l3_cache_schema);
      free (l->intel_rdt->mem_bw_schema);
      strv_free (l->intel_rdt->schemata);
      free (l->intel_rdt);
    }
}

void
rt_spec_free (struct rt_spec *s)
{
  if (s == NULL)
    return;
  free (s->oci_version);
  free (s->root_path);
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      free (s->mounts[i].destination);
      free (s->mounts[i].source);
      free (s->mounts[i].type);
      strv_free (s->mounts[i].options);
      free (s->mounts[i].uid_mappings);
      free (s->mounts[i].gid_mappings);
    }
  free (s->mounts);
  process_clear (&s->process);
  free (s->hostname);
  free (s->domainname);
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    {
      for (size_t i = 0; i < s->hooks.n_hooks[k]; i++)
        {
          free (s->hooks.hooks[k][i].path);
          strv_free (s->hooks.hooks[k][i].args);
          strv_free (s->hooks.hooks[k][i].env);
        }
      free (s->hooks.hooks[k]);
    }
  free_keyvals (s->annotations, s->n_annotations);
  linux_clear (&s->linux_);
  free (s);
}

/* ------------------------------------------------------------------ parse */

int
rt_spec_parse (const char *json, size_t len, struct rt_spec **out, rt_error_t *err)
{
  struct pctx c = { "config.json", err };
  cleanup_tree yajl_val tree = NULL;
  struct rt_spec *s;

  if (json_load (&c, json, len, &tree) < 0 || check_object (&c, "", tree, config_fields) < 0
      || check_version (&c, YAJL_GET_STRING (get (tree, "ociVersion"))) < 0)
    return -1;
  /* The schema leaves root optional for Hyper-V; config.md requires it elsewhere. */
  if (get (tree, "root") == NULL && get (tree, "windows") == NULL)
    return fail (&c, "", "missing required key \"root\"");
  s = xcalloc (1, sizeof *s);
  if (fill_spec (&c, s, tree) < 0)
    {
      rt_spec_free (s);
      return -1;
    }
  *out = s;
  return 0;
}

int
rt_process_parse (const char *json, size_t len, struct rt_process **out, rt_error_t *err)
{
  struct pctx c = { "process.json", err };
  cleanup_tree yajl_val tree = NULL;
  struct rt_process *p;

  if (json_load (&c, json, len, &tree) < 0 || check_object (&c, "", tree, process_fields) < 0)
    return -1;
  p = xcalloc (1, sizeof *p);
  if (fill_process (&c, "", p, tree) < 0)
    {
      rt_process_free (p);
      return -1;
    }
  *out = p;
  return 0;
}

/* ------------------------------------------------------------------ validate */

static bool
is_abs (const char *p)
{
  return p != NULL && p[0] == '/';
}

static int
not_abs (struct pctx *c, const char *path, const char *value)
{
  cleanup_free char *q = quote (value);
  return fail (c, path, "%s is not an absolute path", q);
}

static int
validate_process (struct pctx *c, const struct rt_process *p)
{
  if (p->n_args == 0)
    return fail (c, "process.args", "at least one argument is required");
  if (p->cwd != NULL && !is_abs (p->cwd))
    return not_abs (c, "process.cwd", p->cwd);
  if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
    return fail (c, "process.oomScoreAdj", "%d is outside [-1000, 1000]", p->oom_score_adj);
  if (p->has_io_priority && (p->io_priority < 0 || p->io_priority > 7))
    return fail (c, "process.ioPriority.priority", "%d is outside [0, 7]", p->io_priority);
  for (size_t i = 0; i < p->n_rlimits; i++)
    if (p->rlimits[i].soft > p->rlimits[i].hard)
      {
        cleanup_free char *path = xasprintf ("process.rlimits[%zu]", i);
        return fail (c, path, "soft limit %" PRIu64 " is above hard limit %" PRIu64,
                     p->rlimits[i].soft, p->rlimits[i].hard);
      }
  return 0;
}

/* What the kernel takes in a uid_map or gid_map (the container's, or an idmapped mount's):
   at most 340 lines (user_namespaces(7)), and less than a page of text (a write of 4096
   bytes or more is EINVAL, even for root). */
static int
check_id_map (struct pctx *c, const char *path, const struct rt_id_mapping *m, size_t n)
{
  size_t len = 0;

  if (n > 340)
    return fail (c, path, "%zu ranges, the kernel takes at most 340", n);
  for (size_t i = 0; i < n; i++)
    len += (size_t) snprintf (NULL, 0, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  if (len >= 4096)
    return fail (c, path, "%zu bytes as map text, the kernel takes at most 4095", len);
  return 0;
}

static int
validate_mounts (struct pctx *c, const struct rt_spec *s)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const struct rt_mount *m = &s->mounts[i];
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);
      cleanup_free char *dest = xasprintf ("mounts[%zu].destination", i);

      if (!is_abs (m->destination))
        return not_abs (c, dest, m->destination);
      if ((m->n_uid_mappings == 0) != (m->n_gid_mappings == 0))
        return fail (c, path, "uidMappings and gidMappings must be given together");
      cleanup_free char *uids = xasprintf ("mounts[%zu].uidMappings", i);
      cleanup_free char *gids = xasprintf ("mounts[%zu].gidMappings", i);
      if (check_id_map (c, uids, m->uid_mappings, m->n_uid_mappings) < 0
          || check_id_map (c, gids, m->gid_mappings, m->n_gid_mappings) < 0)
        return -1;
    }
  return 0;
}

static int
validate_hooks (struct pctx *c, const struct rt_hooks *h)
{
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    for (size_t i = 0; i < h->n_hooks[k]; i++)
      if (!is_abs (h->hooks[k][i].path))
        {
          cleanup_free char *path = xasprintf ("hooks.%s[%zu].path", hook_names[k], i);
          return not_abs (c, path, h->hooks[k][i].path);
        }
  return 0;
}

/* Which namespaces the container gets, and which of them are new. */
struct ns_use
{
  int all, fresh;
  size_t user_index;
};

static int
validate_namespaces (struct pctx *c, const struct rt_linux *l, struct ns_use *ns)
{
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      const struct rt_namespace *n = &l->namespaces[i];
      cleanup_free char *path = xasprintf ("linux.namespaces[%zu]", i);

      if (ns->all & n->type)
        return fail (c, path, "duplicate namespace type \"%s\"", rt_namespace_name (n->type));
      ns->all |= n->type;
      if (n->path == NULL)
        ns->fresh |= n->type;
      else if (!is_abs (n->path))
        {
          cleanup_free char *ppath = xasprintf ("linux.namespaces[%zu].path", i);
          return not_abs (c, ppath, n->path);
        }
      if (n->type == CLONE_NEWUSER)
        ns->user_index = i;
    }
  return 0;
}

static int
validate_user_uts (struct pctx *c, const struct rt_spec *s, const struct ns_use *ns)
{
  const struct rt_linux *l = &s->linux_;

  if (l->n_uid_mappings > 0 && !(ns->all & CLONE_NEWUSER))
    return fail (c, "linux.uidMappings", "requires a user namespace");
  if (l->n_gid_mappings > 0 && !(ns->all & CLONE_NEWUSER))
    return fail (c, "linux.gidMappings", "requires a user namespace");
  if (check_id_map (c, "linux.uidMappings", l->uid_mappings, l->n_uid_mappings) < 0
      || check_id_map (c, "linux.gidMappings", l->gid_mappings, l->n_gid_mappings) < 0)
    return -1;
  if ((ns->fresh & CLONE_NEWUSER) && (l->n_uid_mappings == 0 || l->n_gid_mappings == 0))
    {
      cleanup_free char *path = xasprintf ("linux.namespaces[%zu]", ns->user_index);
      return fail (c, path, "a new user namespace needs linux.uidMappings and linux.gidMappings");
    }
  /* runc: a private UTS namespace, new or joined by path (whose names then change) */
  if (s->hostname != NULL && *s->hostname != '\0' && !(ns->all & CLONE_NEWUTS))
    return fail (c, "", "unable to set hostname without a private UTS namespace");
  if (s->domainname != NULL && *s->domainname != '\0' && !(ns->all & CLONE_NEWUTS))
    return fail (c, "", "unable to set domainname without a private UTS namespace");
  return 0;
}

/* No mount namespace: the container inherits the caller's (config.md) and is chrooted
   into root.path, as in runc.  runc would make mounts, devices and remounts there too,
   in the caller's namespace, and leave them: rt refuses what it would have to make. */
static int
validate_no_mntns (struct pctx *c, const struct rt_spec *s, const struct ns_use *ns)
{
  const struct rt_linux *l = &s->linux_;

  if (ns->all & CLONE_NEWNS)
    return 0;
  if (l->n_masked_paths > 0 || l->n_readonly_paths > 0) /* runc's words */
    return fail (c, "", "unable to restrict sys entries without a private MNT namespace");
  if (s->n_mounts > 0)
    return fail (c, "mounts", "need a private mount namespace (they would stay in the caller's)");
  if (l->n_devices > 0)
    return fail (c, "linux.devices", "need a private mount namespace");
  if (s->root_readonly)
    return fail (c, "root.readonly", "needs a private mount namespace");
  if (l->rootfs_propagation != NULL)
    return fail (c, "linux.rootfsPropagation", "needs a private mount namespace");
  if (s->process.terminal)
    return fail (c, "process.terminal", "needs a private mount namespace (/dev/console)");
  return 0;
}

static bool
sysctl_name_ok (const char *k)
{
  size_t n = strlen (k);
  return n > 0 && k[0] != '.' && k[n - 1] != '.' && strchr (k, '/') == NULL
         && strstr (k, "..") == NULL;
}

static int
validate_paths (struct pctx *c, const char *what, char *const *paths, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!is_abs (paths[i]))
      {
        cleanup_free char *path = xasprintf ("linux.%s[%zu]", what, i);
        return not_abs (c, path, paths[i]);
      }
  return 0;
}

/* S_IFCHR, S_IFBLK or S_IFIFO for a device type ("u" is "c"). */
static unsigned
device_type_bits (char type)
{
  return type == 'b' ? 0060000 : type == 'p' ? 0010000 : 0020000;
}

static int
validate_devices (struct pctx *c, const struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_devices; i++)
    {
      const struct rt_device *d = &l->devices[i];
      cleanup_free char *path = xasprintf ("linux.devices[%zu]", i);

      if (!is_abs (d->path))
        {
          cleanup_free char *ppath = xasprintf ("linux.devices[%zu].path", i);
          return not_abs (c, ppath, d->path);
        }
      if (d->type != 'p' && (!d->has_major || !d->has_minor))
        return fail (c, path, "type \"%c\" requires major and minor", d->type);
      if (d->has_file_mode && (d->file_mode & 0170000) != 0
          && (d->file_mode & 0170000) != device_type_bits (d->type))
        return fail (c, path, "fileMode %#o has the type bits of another file than type \"%c\"",
                     d->file_mode, d->type);
      if (d->has_file_mode && (d->file_mode & 07000) != 0)
        return fail (c, path, "fileMode %#o: setuid, setgid and sticky bits are not applied",
                     d->file_mode);
    }
  return 0;
}

static int
validate_device_cgroup (struct pctx *c, const struct rt_resources *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    {
      const struct rt_device_cgroup *d = &r->devices[i];
      cleanup_free char *path = xasprintf ("linux.resources.devices[%zu]", i);

      if (d->type != NULL && strcmp (d->type, "a") != 0 && strcmp (d->type, "b") != 0
          && strcmp (d->type, "c") != 0)
        {
          cleanup_free char *q = quote (d->type);
          return fail (c, path, "type %s is not one of a, b, c", q);
        }
      if (d->access != NULL && (*d->access == '\0' || d->access[strspn (d->access, "rwm")]))
        {
          cleanup_free char *q = quote (d->access);
          return fail (c, path, "access %s is not a combination of r, w, m", q);
        }
    }
  return 0;
}

static int
validate_seccomp (struct pctx *c, const struct rt_seccomp *s)
{
  if (s == NULL)
    return 0;
  if (s->listener_metadata != NULL && s->listener_path == NULL)
    return fail (c, "linux.seccomp.listenerMetadata", "requires listenerPath");
  /* config-linux.md: an errnoRet with an action that takes none MUST fail. */
  if (s->has_default_errno_ret && strcmp (s->default_action, "SCMP_ACT_ERRNO") != 0
      && strcmp (s->default_action, "SCMP_ACT_TRACE") != 0)
    return fail (c, "linux.seccomp.defaultErrnoRet", "%s takes no errno", s->default_action);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct rt_seccomp_syscall *sc = &s->syscalls[i];
      if (sc->has_errno_ret && strcmp (sc->action, "SCMP_ACT_ERRNO") != 0
          && strcmp (sc->action, "SCMP_ACT_TRACE") != 0)
        {
          cleanup_free char *path = xasprintf ("linux.seccomp.syscalls[%zu].errnoRet", i);
          return fail (c, path, "%s takes no errno", sc->action);
        }
    }
  return 0;
}

static int
validate_linux (struct pctx *c, const struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_sysctl; i++)
    if (!sysctl_name_ok (l->sysctl[i].key))
      {
        cleanup_free char *q = quote (l->sysctl[i].key);
        return fail (c, "linux.sysctl", "invalid sysctl name %s", q);
      }
  if (validate_devices (c, l) < 0
      || validate_paths (c, "maskedPaths", l->masked_paths, l->n_masked_paths) < 0
      || validate_paths (c, "readonlyPaths", l->readonly_paths, l->n_readonly_paths) < 0
      || validate_device_cgroup (c, &l->resources) < 0 || validate_seccomp (c, l->seccomp) < 0)
    return -1;
  if (l->rootfs_propagation != NULL && !enum_has (propagations, l->rootfs_propagation))
    {
      cleanup_free char *q = quote (l->rootfs_propagation);
      return fail (c, "linux.rootfsPropagation", "unknown rootfs propagation %s", q);
    }
  return 0;
}

int
rt_spec_validate (const struct rt_spec *spec, rt_error_t *err)
{
  struct pctx c = { "config.json", err };
  struct ns_use ns = { 0 };

  if (!spec->has_process)
    return fail (&c, "", "process is required to create a container");
  if (spec->has_vm)
    return fail (&c, "vm", "rt runs containers in namespaces, not in virtual machines");
  if (spec->root_path == NULL)
    return fail (&c, "", "root is required to create a container");
  if (*spec->root_path == '\0')
    return fail (&c, "root.path", "must not be empty");
  if (validate_process (&c, &spec->process) < 0 || validate_mounts (&c, spec) < 0
      || validate_hooks (&c, &spec->hooks) < 0 || validate_namespaces (&c, &spec->linux_, &ns) < 0
      || validate_user_uts (&c, spec, &ns) < 0 || validate_linux (&c, &spec->linux_) < 0
      || validate_no_mntns (&c, spec, &ns) < 0)
    return -1;
  return 0;
}
