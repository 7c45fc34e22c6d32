/* Private to the spec_*.c files and process_gen.c: what the loader, the schema tables,
   the checker, the filler, the free, the process writer and the validator share.  Not
   part of the API (that is spec.h).

   config.json and process.json.  Parsing is two passes over a yajl_tree driven by the
   same tables (spec_schema*.c, transcribed from the OCI v1.3.0 schema), where each key
   is declared once with its type, its limits and where its value goes in the structs of
   spec.h.  The checker (spec_check.c) walks the tree against them (every key known, no
   duplicates, types, ranges, enums, patterns); only then the filler (spec_fill.c) walks
   the same tables to copy the now trusted values into the structs, and rt_spec_free /
   rt_process_free (spec_free.c) walk them again to free what the filler allocated, and
   rt_process_to_json (process_gen.c) to write a process back.  rt_spec_validate adds the
   checks a Linux runtime needs beyond the schema. */
#ifndef RT_SPEC_INTERNAL_H
#define RT_SPEC_INTERNAL_H

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

/* ------------------------------------------------------------------ errors and paths */

struct pctx
{
  const char *file; /* "config.json", "process.json" */
  rt_error_t *err;
};

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

/* A field's value goes into the struct the enclosing table fills ("the base": struct
   rt_spec for spec_config_fields, struct rt_process for spec_process_fields, the element
   for an array item, ...):
   - scalars at .off, .width bytes wide (the member's size: K_UINT and K_INT store into
     any integer member, K_STR a malloc'ed copy);
   - K_ARRAY, K_MAP: a calloc'ed array of .elem-byte elements at .off (one zeroed element
     more, so that string arrays are NULL-terminated), its length at .count; an item is
     filled in its element (an object item's fields relative to the element, a scalar item
     at its .off with its .width, or the element's size when it has none); K_MAP also
     copies each key into the element's char * at .key;
   - K_OBJ: its fields relative to base + .off (an embedded struct, or the base itself
     when the object only groups members of it); with .elem, into a calloc'ed struct of
     .elem bytes whose pointer is stored at .off.
   .has, when set, is the offset + 1 of a bool set when the key is present.  .width 0 on
   a scalar or array: not stored (the other platforms' objects are checked, not kept).
   .set, for the few values that need more than a copy, is called with the base and the
   value (NULL when the key is absent) after the generic store; it must not allocate. */
struct field
{
  const char *name;
  enum kind kind;
  unsigned flags;
  const struct field *sub;                  /* K_OBJ: ended by an entry without a name */
  const struct field *item;                 /* K_ARRAY, K_MAP */
  uint64_t umax;                            /* K_UINT: [0, umax] */
  int64_t smin, smax;                       /* K_INT: [smin, smax] */
  const char *const *values;                /* K_STR enum, NULL-terminated */
  bool (*match) (const char *s);            /* K_STR pattern or lookup */
  const char *pattern;                      /* shown when MATCH fails and there is no noun */
  const char *noun;                         /* `unknown NOUN "value"` */
  size_t off, width, has, count, elem, key; /* where the value goes, see above */
  void (*set) (const struct field *f, void *base, yajl_val v);
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
#define MAP(n, it, ...) { .name = (n), .kind = K_MAP, .item = &(it), __VA_ARGS__ }
#define STRV(n, ...) ARRAY (n, spec_string_item, __VA_ARGS__)
#define ENUM(n, vals, what, ...) STR (n, .values = (vals), .noun = (what), __VA_ARGS__)

/* Where the value goes (see struct field): member M of struct type T. */
#define AT(T, m) .off = offsetof (T, m), .width = sizeof (((T *) 0)->m)
#define HAS(T, m) .has = offsetof (T, m) + 1
#define ITEMS(T, ptr, n) AT (T, ptr), .count = offsetof (T, n), .elem = sizeof (*((T *) 0)->ptr)
#define KEYS(T, ptr, n, k) ITEMS (T, ptr, n), .key = offsetof (__typeof__ (*((T *) 0)->ptr), k)
#define ALLOC(T, ptr) AT (T, ptr), .elem = sizeof (*((T *) 0)->ptr)
/* clang-format on */

/* spec_load.c */
int __attribute__ ((format (printf, 3, 4)))
spec_fail (struct pctx *c, const char *path, const char *fmt, ...);
char *spec_quote (const char *s);
char *spec_path_key (const char *path, const char *key);
char *spec_path_index (const char *path, size_t i);
char *spec_path_map (const char *path, const char *key);

/* spec_schema.c */
int spec_rlimit_resource (const char *name);
bool spec_page_size_ok (const char *s);
bool spec_mem_bw_ok (const char *s);
bool spec_namespace_known (const char *s);
extern const struct field spec_string_item;
extern const struct field spec_u32_item;
extern const struct field spec_keyval_item;
extern const struct field spec_idmap_item;
extern const struct field spec_hooks_fields[]; /* indexed by enum rt_hook_kind */
extern const struct field spec_process_fields[];
extern const struct field spec_config_fields[];

/* spec_schema_linux.c */
extern const char *const spec_seccomp_actions[];
extern const char *const spec_seccomp_archs[];
extern const char *const spec_seccomp_flags[];
extern const char *const spec_seccomp_ops[];
extern const char *const spec_mpol_modes[];
extern const char *const spec_mpol_flags[];
extern const char *const spec_propagations[];
extern const struct field spec_linux_fields[];

/* spec_schema_platform.c */
extern const struct field spec_solaris_fields[];
extern const struct field spec_windows_fields[];
extern const struct field spec_vm_fields[];
extern const struct field spec_zos_fields[];
extern const struct field spec_freebsd_fields[];

/* spec_check.c */
bool spec_parse_u64 (const char *raw, uint64_t *out);
bool spec_parse_i64 (const char *raw, int64_t *out);
bool spec_enum_has (const char *const *values, const char *s);
yajl_val spec_get (yajl_val obj, const char *key);
int spec_check_object (struct pctx *c, const char *path, yajl_val v, const struct field *fields);
int spec_check_version (struct pctx *c, const char *v);

/* spec_fill.c */
void spec_fill_object (const struct field *fields, void *base, yajl_val v);
struct rt_process *spec_fill_process (struct pctx *c, yajl_val v);
struct rt_spec *spec_fill_spec (struct pctx *c, yajl_val v);

/* spec_free.c */
void spec_free_object (const struct field *fields, void *base);

#endif
