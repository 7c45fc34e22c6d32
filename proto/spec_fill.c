/* The filler: walks the checked (trusted) tree against the same schema tables as the
   checker and copies each value to where its field says (see struct field), then the
   checks of the process that need its filled values.  See spec_internal.h. */
#include "spec_internal.h"

/* The checker has already held every number to its field's range. */
static void
store_number (const struct field *f, yajl_val v, void *dst, size_t width)
{
  uint64_t u = 0;
  int64_t s = 0;

  if (f->kind == K_UINT)
    spec_parse_u64 (YAJL_GET_NUMBER (v), &u);
  else
    {
      spec_parse_i64 (YAJL_GET_NUMBER (v), &s);
      u = (uint64_t) s;
    }
  switch (width)
    {
      case 1:
        *(uint8_t *) dst = (uint8_t) u;
        break;
      case 2:
        *(uint16_t *) dst = (uint16_t) u;
        break;
      case 4:
        *(uint32_t *) dst = (uint32_t) u;
        break;
      case 8:
        *(uint64_t *) dst = u;
        break;
    }
}

/* V stored at DST: a scalar WIDTH bytes wide, or an object's fields relative to DST. */
static void
store (const struct field *f, yajl_val v, char *dst, size_t width)
{
  switch (f->kind)
    {
      case K_STR:
        *(char **) dst = xstrdup (YAJL_GET_STRING (v));
        break;
      case K_BOOL:
        *(bool *) dst = YAJL_IS_TRUE (v);
        break;
      case K_UINT:
      case K_INT:
        store_number (f, v, dst, width);
        break;
      case K_OBJ:
        spec_fill_object (f->sub, dst, v);
        break;
      case K_ANYOBJ: /* not kept; and no item of the schema is an array or a map */
      case K_ARRAY:
      case K_MAP:
        break;
    }
}

/* An array's or a map's N elements: a calloc'ed array with a zeroed element more (string
   arrays are NULL-terminated); the item of element I is VALUES[I], a map's key KEYS[I]. */
static void
fill_elements (const struct field *f, char *base, size_t n, yajl_val *values, const char **keys)
{
  const struct field *it = f->item;
  char *elems = xcalloc (n + 1, f->elem);

  *(char **) (base + f->off) = elems;
  *(size_t *) (base + f->count) = n;
  for (size_t i = 0; i < n; i++)
    {
      char *elem = elems + i * f->elem;
      if (keys != NULL)
        *(char **) (elem + f->key) = xstrdup (keys[i]);
      store (it, values[i], elem + it->off, it->width ? it->width : f->elem);
    }
}

static void
fill_field (const struct field *f, yajl_val v, char *base)
{
  char *dst = base + f->off;

  switch (f->kind)
    {
      case K_ARRAY:
        if (f->width != 0)
          fill_elements (f, base, v->u.array.len, v->u.array.values, NULL);
        break;
      case K_MAP:
        if (f->width != 0)
          fill_elements (f, base, v->u.object.len, v->u.object.values, v->u.object.keys);
        break;
      case K_OBJ:
        if (f->elem != 0)
          dst = *(char **) dst = xcalloc (1, f->elem);
        spec_fill_object (f->sub, dst, v);
        break;
      default:
        if (f->width != 0)
          store (f, v, dst, f->width);
        break;
    }
}

void
spec_fill_object (const struct field *fields, void *base, yajl_val obj)
{
  for (const struct field *f = fields; f->name != NULL; f++)
    {
      yajl_val v = spec_get (obj, f->name);

      if (v != NULL && f->has != 0)
        *(bool *) ((char *) base + f->has - 1) = true;
      if (v != NULL)
        fill_field (f, v, (char *) base);
      if (f->set != NULL)
        f->set (f, base, v);
    }
}

/* setresuid(-1) means "unchanged": an id of 2^32-1 would leave the process root.  runc
   refuses every id above INT32_MAX, with this message.  By hand, after the schema pass:
   the schema's type is uint32 (its message for 2^32 stays the checker's), and this
   message must come only once the whole document is known to be well-formed. */
static int
check_ids (struct pctx *c, const char *path, const struct rt_user *u)
{
  cleanup_free char *upath = spec_path_key (path, "user");
  cleanup_free char *gpath = spec_path_key (upath, "additionalGids");

  if (u->uid > RT_ID_MAX || u->gid > RT_ID_MAX)
    {
      cleanup_free char *ipath = spec_path_key (upath, u->uid > RT_ID_MAX ? "uid" : "gid");
      return spec_fail (c, ipath, "%s", RT_ID_RANGE_MSG);
    }
  for (size_t i = 0; i < u->n_additional_gids; i++)
    if (u->additional_gids[i] > RT_ID_MAX)
      {
        cleanup_free char *ipath = spec_path_index (gpath, i);
        return spec_fail (c, ipath, "%s", RT_ID_RANGE_MSG);
      }
  return 0;
}

/* config.md: duplicated rlimit types MUST be an error.  Not a schema rule: it compares
   the elements with each other. */
static int
check_rlimits_unique (struct pctx *c, const char *path, const struct rt_process *p)
{
  for (size_t i = 0; i < p->n_rlimits; i++)
    for (size_t j = 0; j < i; j++)
      if (p->rlimits[j].resource == p->rlimits[i].resource)
        {
          cleanup_free char *rpath = spec_path_key (path, "rlimits");
          cleanup_free char *ipath = spec_path_index (rpath, i);
          cleanup_free char *tpath = spec_path_key (ipath, "type");
          return spec_fail (c, tpath, "duplicate rlimit \"%s\"", p->rlimits[i].type);
        }
  return 0;
}

/* The checks of the process at PATH ("process", or "" in process.json) that need its
   filled values. */
static int
check_process (struct pctx *c, const char *path, const struct rt_process *p)
{
  if (check_ids (c, path, &p->user) < 0)
    return -1;
  return check_rlimits_unique (c, path, p);
}

/* process.json's process, or NULL after an error. */
struct rt_process *
spec_fill_process (struct pctx *c, yajl_val v)
{
  cleanup_process struct rt_process *p = xcalloc (1, sizeof *p);

  spec_fill_object (spec_process_fields, p, v);
  if (check_process (c, "", p) < 0)
    return NULL;
  return take_ptr (&p);
}

/* linux.resources.oomScoreAdj (pre-1.0): the process's score when process.oomScoreAdj is
   absent, rather than parsed and ignored.  Written by hand: the value lives in another
   object than the one it goes to. */
static void
legacy_oom_score_adj (struct rt_spec *s, yajl_val v)
{
  yajl_val n = spec_get (spec_get (spec_get (v, "linux"), "resources"), "oomScoreAdj");
  int64_t score;

  if (n != NULL && !s->process.has_oom_score_adj && spec_parse_i64 (YAJL_GET_NUMBER (n), &score))
    {
      s->process.has_oom_score_adj = true;
      s->process.oom_score_adj = (int) score;
    }
}

/* config.json's spec, or NULL after an error. */
struct rt_spec *
spec_fill_spec (struct pctx *c, yajl_val v)
{
  cleanup_spec struct rt_spec *s = xcalloc (1, sizeof *s);

  spec_fill_object (spec_config_fields, s, v);
  legacy_oom_score_adj (s, v);
  if (s->has_process && check_process (c, "process", &s->process) < 0)
    return NULL;
  return take_ptr (&s);
}

const struct rt_namespace *
rt_linux_namespace (const struct rt_linux *l, int type)
{
  for (size_t i = 0; i < l->n_namespaces; i++)
    if (l->namespaces[i].type == type)
      return &l->namespaces[i];
  return NULL;
}

bool
rt_mount_has_option (const struct rt_mount *m, const char *opt)
{
  for (size_t i = 0; i < m->n_options; i++)
    if (strcmp (m->options[i], opt) == 0)
      return true;
  return false;
}
