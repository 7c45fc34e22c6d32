/* Struct filling from the checked (trusted) tree: value getters, process, mounts, hooks
   and the top-level spec.  See spec_internal.h. */
#include "spec_internal.h"

/* ------------------------------------------------------------------ fill (trusted tree) */

char *
spec_get_str (yajl_val obj, const char *key)
{
  yajl_val v = spec_get (obj, key);
  return v ? xstrdup (YAJL_GET_STRING (v)) : NULL;
}

bool
spec_get_bool (yajl_val obj, const char *key, bool *out)
{
  yajl_val v = spec_get (obj, key);
  if (v == NULL)
    return false;
  *out = YAJL_IS_TRUE (v);
  return true;
}

static uint64_t
num_u64 (yajl_val v)
{
  uint64_t u = 0;
  spec_parse_u64 (YAJL_GET_NUMBER (v), &u);
  return u;
}

static int64_t
num_i64 (yajl_val v)
{
  int64_t s = 0;
  spec_parse_i64 (YAJL_GET_NUMBER (v), &s);
  return s;
}

/* The checker has already held every number to its field's range. */
#define GET_NUM(conv, type)                                                                        \
  bool spec_get_##type (yajl_val obj, const char *key, type##_t *out)                              \
  {                                                                                                \
    yajl_val v = spec_get (obj, key);                                                              \
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

yajl_val *
spec_get_items (yajl_val obj, const char *key, size_t *n)
{
  yajl_val v = spec_get (obj, key);
  *n = v ? v->u.array.len : 0;
  return v ? v->u.array.values : NULL;
}

/* A NULL-terminated copy; NULL when the key is absent. */
char **
spec_get_strv (yajl_val obj, const char *key, size_t *n)
{
  yajl_val *items = spec_get_items (obj, key, n);
  char **r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n + 1, sizeof (char *));
  for (size_t i = 0; i < *n; i++)
    r[i] = xstrdup (YAJL_GET_STRING (items[i]));
  return r;
}

struct rt_keyval *
spec_get_keyvals (yajl_val obj, const char *key, size_t *n)
{
  yajl_val m = spec_get (obj, key);
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

struct rt_id_mapping *
spec_get_idmaps (yajl_val obj, const char *key, size_t *n)
{
  yajl_val *items = spec_get_items (obj, key, n);
  struct rt_id_mapping *r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n, sizeof *r);
  for (size_t i = 0; i < *n; i++)
    {
      spec_get_uint32 (items[i], "containerID", &r[i].container_id);
      spec_get_uint32 (items[i], "hostID", &r[i].host_id);
      spec_get_uint32 (items[i], "size", &r[i].size);
    }
  return r;
}

/* setresuid(-1) means "unchanged": an id of 2^32-1 would leave the process root.  runc
   refuses every id above INT32_MAX, with this message. */
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

static void
fill_user (struct rt_user *u, yajl_val v)
{
  yajl_val *gids;

  spec_get_uint32 (v, "uid", &u->uid);
  spec_get_uint32 (v, "gid", &u->gid);
  u->has_umask = spec_get_uint32 (v, "umask", &u->umask);
  gids = spec_get_items (v, "additionalGids", &u->n_additional_gids);
  if (gids != NULL)
    {
      u->additional_gids = xcalloc (u->n_additional_gids, sizeof (uint32_t));
      for (size_t i = 0; i < u->n_additional_gids; i++)
        u->additional_gids[i] = (uint32_t) num_u64 (gids[i]);
    }
  u->username = spec_get_str (v, "username");
}

static void
fill_caps (struct rt_caps *caps, yajl_val v)
{
  caps->bounding = spec_get_strv (v, "bounding", &caps->n_bounding);
  caps->effective = spec_get_strv (v, "effective", &caps->n_effective);
  caps->inheritable = spec_get_strv (v, "inheritable", &caps->n_inheritable);
  caps->permitted = spec_get_strv (v, "permitted", &caps->n_permitted);
  caps->ambient = spec_get_strv (v, "ambient", &caps->n_ambient);
}

/* config.md: duplicated rlimit types MUST be an error. */
static int
fill_rlimits (struct pctx *c, const char *path, struct rt_process *p, yajl_val v)
{
  yajl_val *items = spec_get_items (v, "rlimits", &p->n_rlimits);

  if (items == NULL)
    return 0;
  p->rlimits = xcalloc (p->n_rlimits, sizeof *p->rlimits);
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      struct rt_rlimit *r = &p->rlimits[i];
      r->type = spec_get_str (items[i], "type");
      r->resource = spec_rlimit_resource (r->type);
      spec_get_uint64 (items[i], "hard", &r->hard);
      spec_get_uint64 (items[i], "soft", &r->soft);
      for (size_t j = 0; j < i; j++)
        if (p->rlimits[j].resource == r->resource)
          {
            cleanup_free char *rpath = spec_path_key (path, "rlimits");
            cleanup_free char *ipath = spec_path_index (rpath, i);
            cleanup_free char *tpath = spec_path_key (ipath, "type");
            return spec_fail (c, tpath, "duplicate rlimit \"%s\"", r->type);
          }
    }
  return 0;
}

static void
fill_scheduler (struct rt_process *p, yajl_val v)
{
  p->has_scheduler = true;
  p->scheduler_policy = spec_get_str (v, "policy");
  spec_get_int32 (v, "nice", &p->scheduler_nice);
  spec_get_int32 (v, "priority", &p->scheduler_priority);
  spec_get_uint64 (v, "runtime", &p->scheduler_runtime);
  spec_get_uint64 (v, "deadline", &p->scheduler_deadline);
  spec_get_uint64 (v, "period", &p->scheduler_period);
  p->scheduler_flags = spec_get_strv (v, "flags", &p->n_scheduler_flags);
}

int
spec_fill_process (struct pctx *c, const char *path, struct rt_process *p, yajl_val v)
{
  yajl_val sub;
  int32_t n;

  spec_get_bool (v, "terminal", &p->terminal);
  if ((sub = spec_get (v, "consoleSize")) != NULL)
    {
      p->has_console_size = true;
      spec_get_uint32 (sub, "height", &p->console_height);
      spec_get_uint32 (sub, "width", &p->console_width);
    }
  if ((sub = spec_get (v, "user")) != NULL)
    fill_user (&p->user, sub);
  p->args = spec_get_strv (v, "args", &p->n_args);
  p->command_line = spec_get_str (v, "commandLine");
  p->env = spec_get_strv (v, "env", &p->n_env);
  p->cwd = spec_get_str (v, "cwd");
  if ((sub = spec_get (v, "capabilities")) != NULL)
    {
      p->has_caps = true;
      fill_caps (&p->caps, sub);
    }
  spec_get_bool (v, "noNewPrivileges", &p->no_new_privileges);
  p->apparmor_profile = spec_get_str (v, "apparmorProfile");
  if ((p->has_oom_score_adj = spec_get_int32 (v, "oomScoreAdj", &n)))
    p->oom_score_adj = n;
  p->selinux_label = spec_get_str (v, "selinuxLabel");
  if ((sub = spec_get (v, "ioPriority")) != NULL)
    {
      p->has_io_priority = true;
      p->io_priority_class = spec_get_str (sub, "class");
      if (spec_get_int32 (sub, "priority", &n))
        p->io_priority = n;
    }
  if ((sub = spec_get (v, "scheduler")) != NULL)
    fill_scheduler (p, sub);
  if ((sub = spec_get (v, "execCPUAffinity")) != NULL)
    {
      p->exec_cpu_affinity_initial = spec_get_str (sub, "initial");
      p->exec_cpu_affinity_final = spec_get_str (sub, "final");
    }
  if (check_ids (c, path, &p->user) < 0)
    return -1;
  return fill_rlimits (c, path, p, v);
}

static void
fill_mounts (struct rt_spec *s, yajl_val v)
{
  yajl_val *items = spec_get_items (v, "mounts", &s->n_mounts);

  if (items == NULL)
    return;
  s->mounts = xcalloc (s->n_mounts, sizeof *s->mounts);
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      struct rt_mount *m = &s->mounts[i];
      m->destination = spec_get_str (items[i], "destination");
      m->source = spec_get_str (items[i], "source");
      m->type = spec_get_str (items[i], "type");
      m->options = spec_get_strv (items[i], "options", &m->n_options);
      m->uid_mappings = spec_get_idmaps (items[i], "uidMappings", &m->n_uid_mappings);
      m->gid_mappings = spec_get_idmaps (items[i], "gidMappings", &m->n_gid_mappings);
    }
}

static void
fill_hooks (struct rt_hooks *h, yajl_val v)
{
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    {
      yajl_val *items = spec_get_items (v, spec_hook_names[k], &h->n_hooks[k]);
      if (items == NULL)
        continue;
      h->hooks[k] = xcalloc (h->n_hooks[k], sizeof (struct rt_hook));
      for (size_t i = 0; i < h->n_hooks[k]; i++)
        {
          struct rt_hook *hook = &h->hooks[k][i];
          int32_t t;
          hook->path = spec_get_str (items[i], "path");
          hook->args = spec_get_strv (items[i], "args", &hook->n_args);
          hook->env = spec_get_strv (items[i], "env", &hook->n_env);
          if ((hook->has_timeout = spec_get_int32 (items[i], "timeout", &t)))
            hook->timeout = t;
        }
    }
}

/* linux.resources.oomScoreAdj (pre-1.0): the process's score when process.oomScoreAdj is
   absent, rather than parsed and ignored. */
static void
legacy_oom_score_adj (struct rt_spec *s, yajl_val v)
{
  yajl_val res = spec_get (spec_get (v, "linux"), "resources");
  int32_t n;

  if (res != NULL && !s->process.has_oom_score_adj && spec_get_int32 (res, "oomScoreAdj", &n))
    {
      s->process.has_oom_score_adj = true;
      s->process.oom_score_adj = n;
    }
}

int
spec_fill_spec (struct pctx *c, struct rt_spec *s, yajl_val v)
{
  yajl_val sub;

  s->oci_version = spec_get_str (v, "ociVersion");
  if ((sub = spec_get (v, "root")) != NULL)
    {
      s->root_path = spec_get_str (sub, "path");
      spec_get_bool (sub, "readonly", &s->root_readonly);
    }
  fill_mounts (s, v);
  s->hostname = spec_get_str (v, "hostname");
  s->domainname = spec_get_str (v, "domainname");
  if ((sub = spec_get (v, "hooks")) != NULL)
    fill_hooks (&s->hooks, sub);
  s->annotations = spec_get_keyvals (v, "annotations", &s->n_annotations);
  if ((sub = spec_get (v, "linux")) != NULL)
    {
      s->has_linux = true;
      spec_fill_linux (&s->linux_, sub);
    }
  /* a virtual-machine container: rt makes namespaces, refused by rt_spec_validate */
  s->has_vm = spec_get (v, "vm") != NULL;
  if ((sub = spec_get (v, "process")) != NULL)
    {
      s->has_process = true;
      if (spec_fill_process (c, "process", &s->process, sub) < 0)
        return -1;
    }
  legacy_oom_score_adj (s, v);
  return 0;
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
