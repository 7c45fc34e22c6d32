#define _GNU_SOURCE
#include "initconfig.h"
#include "jsongen.h"
#include "util.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

int
rt_init_config_encode (const struct rt_init_config *c, const char *doc, size_t doc_len, char **out,
                       size_t *len, rt_error_t *err)
{
  const unsigned char *buf;
  size_t buf_len;
  yajl_gen g = yajl_gen_alloc (NULL);
  char *res;

  if (g == NULL)
    return rt_error (err, 0, "init config: out of memory");
  yajl_gen_map_open (g);
  rt_json_key_str (g, "id", c->id);
  rt_json_key_bool (g, "setns", c->setns);
  rt_json_key_str (g, "rootfs", c->rootfs);
  rt_json_key_str (g, "bundle", c->bundle);
  rt_json_key_bool (g, "noPivot", c->no_pivot);
  rt_json_key_bool (g, "noNewKeyring", c->no_new_keyring);
  rt_json_key_int (g, "consoleFd", c->console_fd);
  rt_json_key_int (g, "preserveFds", c->preserve_fds);
  rt_json_key_int (g, "fifoFd", c->fifo_fd);
  rt_json_key_int (g, "personality", c->personality);
  rt_json_key_int (g, "mempolicyMode", c->mempolicy_mode);
  rt_json_key_str (g, "mempolicyNodes", c->mempolicy_nodes);
  rt_json_key_str (g, "idmapFds", c->idmap_fds);
  rt_json_key_bool (g, "mountSources", c->mount_sources);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &buf_len);
  res = xmalloc (buf_len + 1 + doc_len);
  memcpy (res, buf, buf_len);
  res[buf_len] = '\0';
  memcpy (res + buf_len + 1, doc, doc_len);
  *out = res;
  *len = buf_len + 1 + doc_len;
  yajl_gen_free (g);
  return 0;
}

/* The options object is rt's own wire format: strict, like every parser at a boundary.
   Every key is known, appears once and has its type; fds are in range. */
enum opt_type
{
  OPT_STR, /* string or null */
  OPT_BOOL,
  OPT_FD,    /* -1 .. INT_MAX (also "none or a value") */
  OPT_COUNT, /* 0 .. INT_MAX */
};

struct opt
{
  const char *name;
  enum opt_type type;
  size_t offset;
};

#define OPT(name, type, field)                                                                     \
  {                                                                                                \
    name, type, offsetof (struct rt_init_config, field)                                            \
  }
static const struct opt opts[] = {
  OPT ("id", OPT_STR, id),
  OPT ("setns", OPT_BOOL, setns),
  OPT ("rootfs", OPT_STR, rootfs),
  OPT ("bundle", OPT_STR, bundle),
  OPT ("noPivot", OPT_BOOL, no_pivot),
  OPT ("noNewKeyring", OPT_BOOL, no_new_keyring),
  OPT ("consoleFd", OPT_FD, console_fd),
  OPT ("preserveFds", OPT_COUNT, preserve_fds),
  OPT ("fifoFd", OPT_FD, fifo_fd),
  OPT ("personality", OPT_FD, personality),
  OPT ("mempolicyMode", OPT_FD, mempolicy_mode),
  OPT ("mempolicyNodes", OPT_STR, mempolicy_nodes),
  OPT ("idmapFds", OPT_STR, idmap_fds),
  OPT ("mountSources", OPT_BOOL, mount_sources),
};

static int
decode_opt (struct rt_init_config *c, const struct opt *o, yajl_val v, rt_error_t *err)
{
  void *field = (char *) c + o->offset;
  long long n;

  switch (o->type)
    {
      case OPT_STR:
        if (YAJL_IS_NULL (v))
          return 0;
        if (!YAJL_IS_STRING (v))
          return rt_error (err, 0, "init config: %s: want a string", o->name);
        *(char **) field = xstrdup (YAJL_GET_STRING (v));
        return 0;
      case OPT_BOOL:
        if (!YAJL_IS_TRUE (v) && !YAJL_IS_FALSE (v))
          return rt_error (err, 0, "init config: %s: want a boolean", o->name);
        *(bool *) field = YAJL_IS_TRUE (v);
        return 0;
      default:
        if (!YAJL_IS_INTEGER (v))
          return rt_error (err, 0, "init config: %s: want an integer", o->name);
        n = YAJL_GET_INTEGER (v);
        if (n < (o->type == OPT_FD ? -1 : 0) || n > INT_MAX)
          return rt_error (err, 0, "init config: %s: %lld is out of range", o->name, n);
        *(int *) field = (int) n;
        return 0;
    }
}

static int
decode_opts (struct rt_init_config *c, yajl_val root, rt_error_t *err)
{
  bool seen[ARRAY_SIZE (opts)] = { false };

  for (size_t i = 0; i < root->u.object.len; i++)
    {
      const char *key = root->u.object.keys[i];
      size_t k = 0;

      while (k < ARRAY_SIZE (opts) && strcmp (opts[k].name, key) != 0)
        k++;
      if (k == ARRAY_SIZE (opts))
        return rt_error (err, 0, "init config: unknown key \"%s\"", key);
      if (seen[k])
        return rt_error (err, 0, "init config: duplicate key \"%s\"", key);
      seen[k] = true;
      if (decode_opt (c, &opts[k], root->u.object.values[i], err) < 0)
        return -1;
    }
  if (c->id == NULL)
    return rt_error (err, 0, "init config: no id");
  return 0;
}

static void
init_config_freep (struct rt_init_config **c)
{
  rt_init_config_free (*c);
}
#define cleanup_init_config __attribute__ ((cleanup (init_config_freep)))

int
rt_init_config_decode (const char *buf, size_t len, struct rt_init_config **out, rt_error_t *err)
{
  char errbuf[256];
  const char *nul = memchr (buf, '\0', len);
  cleanup_init_config struct rt_init_config *c = NULL;
  yajl_val root;
  int r;

  if (nul == NULL)
    return rt_error (err, 0, "init config: missing document");
  root = yajl_tree_parse (buf, errbuf, sizeof errbuf);
  if (root == NULL || !YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      return rt_error (err, 0, "init config: %s", root ? "not an object" : errbuf);
    }
  c = xcalloc (1, sizeof *c);
  c->console_fd = c->fifo_fd = c->personality = c->mempolicy_mode = c->null_fd = -1;
  r = decode_opts (c, root, err);
  yajl_tree_free (root);
  if (r < 0)
    return -1;

  nul++;
  if (c->setns)
    {
      if (rt_process_parse (nul, len - (nul - buf), &c->process, err) < 0)
        return -1;
    }
  else
    {
      if (rt_spec_parse (nul, len - (nul - buf), &c->spec, err) < 0)
        return -1;
      c->process = &c->spec->process;
    }
  *out = take_ptr (&c);
  return 0;
}

void
rt_init_config_free (struct rt_init_config *c)
{
  if (c == NULL)
    return;
  free (c->id);
  free (c->rootfs);
  free (c->bundle);
  free (c->mempolicy_nodes);
  free (c->idmap_fds);
  free (c->mount_fds);
  if (c->spec)
    rt_spec_free (c->spec);
  else if (c->process)
    rt_process_free (c->process);
  free (c);
}
