/* The generic checker: walks a yajl tree against the schema tables (every key known, no
   duplicates, types, ranges, enums, patterns) and the ociVersion.  See spec_internal.h. */
#include "spec_internal.h"

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
  return spec_fail (c, path, "want %s, got %s", what, type_desc (v));
}

/* An integer literal in full ([-]digits): 1.0 and 1e3 are not integers here. */
bool
spec_parse_u64 (const char *raw, uint64_t *out)
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

bool
spec_parse_i64 (const char *raw, int64_t *out)
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
    ok = spec_parse_u64 (YAJL_GET_NUMBER (v), &u) && u <= f->umax;
  else
    ok = spec_parse_i64 (YAJL_GET_NUMBER (v), &s) && s >= f->smin && s <= f->smax;
  if (!ok)
    return spec_fail (c, path, "want %s, got %.64s", desc, YAJL_GET_NUMBER (v));
  return 0;
}

bool
spec_enum_has (const char *const *values, const char *s)
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
  if (f->values != NULL && !spec_enum_has (f->values, s))
    {
      size_t n = 0, count = 0;
      for (const char *const *p = f->values; *p; p++, count++)
        n += strlen (*p) + 2;
      q = spec_quote (s);
      /* Short lists are worth showing; the 23 seccomp architectures are not. */
      if (count > 10)
        return spec_fail (c, path, "unknown %s %s", f->noun, q);
      choices = xcalloc (1, n + 1);
      for (const char *const *p = f->values; *p; p++)
        strcat (strcat (choices, p == f->values ? "" : ", "), *p);
      return spec_fail (c, path, "unknown %s %s (want one of: %s)", f->noun, q, choices);
    }
  if (f->match != NULL && !f->match (s))
    {
      q = spec_quote (s);
      if (f->noun != NULL)
        return spec_fail (c, path, "unknown %s %s", f->noun, q);
      return spec_fail (c, path, "%s does not match %s", q, f->pattern);
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
        cleanup_free char *q = spec_quote (key);
        return spec_fail (c, path, "duplicate key %s", q);
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

yajl_val
spec_get (yajl_val obj, const char *key)
{
  if (obj == NULL || !YAJL_IS_OBJECT (obj))
    return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i];
  return NULL;
}

int
spec_check_object (struct pctx *c, const char *path, yajl_val v, const struct field *fields)
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
      sub = spec_path_key (path, key);
      if (check_value (c, sub, v->u.object.values[i], f) < 0)
        return -1;
    }
  for (const struct field *f = fields; f->name != NULL; f++)
    if ((f->flags & F_REQ) && spec_get (v, f->name) == NULL)
      return spec_fail (c, path, "missing required key \"%s\"", f->name);
  return 0;
}

static int
check_array (struct pctx *c, const char *path, yajl_val v, const struct field *f)
{
  if (!YAJL_IS_ARRAY (v))
    return want (c, path, "an array", v);
  if ((f->flags & F_NONEMPTY) && v->u.array.len == 0)
    return spec_fail (c, path, "must not be empty");
  for (size_t i = 0; i < v->u.array.len; i++)
    {
      cleanup_free char *sub = spec_path_index (path, i);
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
      sub = spec_path_map (path, v->u.object.keys[i]);
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
        return spec_check_object (c, path, v, f->sub);
      case K_ANYOBJ:
        return YAJL_IS_OBJECT (v) ? 0 : want (c, path, "an object", v);
      case K_ARRAY:
        return check_array (c, path, v, f);
      case K_MAP:
        return check_map (c, path, v, f);
    }
  return spec_fail (c, path, "internal error: unknown schema kind");
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
int
spec_check_version (struct pctx *c, const char *v)
{
  cleanup_free char *q = spec_quote (v);
  unsigned long major;

  if (!semver_parse (v, &major))
    return spec_fail (c, "", "ociVersion %s: not a SemVer version", q);
  if (major > 1)
    return spec_fail (c, "", "ociVersion %s: unsupported major version (rt supports 1.x)", q);
  return 0;
}
