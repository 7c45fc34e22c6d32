#define _GNU_SOURCE
#include "initconfig.h"
#include "util.h"

#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

static void
gen_str (yajl_gen g, const char *key, const char *val)
{
  yajl_gen_string (g, (const unsigned char *) key, strlen (key));
  if (val)
    yajl_gen_string (g, (const unsigned char *) val, strlen (val));
  else
    yajl_gen_null (g);
}

static void
gen_int (yajl_gen g, const char *key, long long val)
{
  yajl_gen_string (g, (const unsigned char *) key, strlen (key));
  yajl_gen_integer (g, val);
}

static void
gen_bool (yajl_gen g, const char *key, bool val)
{
  yajl_gen_string (g, (const unsigned char *) key, strlen (key));
  yajl_gen_bool (g, val);
}

int
rt_init_config_encode (const struct rt_init_config *c, const char *doc, size_t doc_len, char **out,
                       size_t *len, rt_error_t *err)
{
  const unsigned char *buf;
  size_t buf_len, extra;
  yajl_gen g = yajl_gen_alloc (NULL);
  char *res;

  if (g == NULL)
    return rt_error (err, 0, "init config: out of memory");
  yajl_gen_map_open (g);
  gen_str (g, "id", c->id);
  gen_bool (g, "setns", c->setns);
  gen_str (g, "rootfs", c->rootfs);
  gen_str (g, "bundle", c->bundle);
  gen_str (g, "cwd", c->cwd);
  gen_bool (g, "noPivot", c->no_pivot);
  gen_bool (g, "noNewKeyring", c->no_new_keyring);
  gen_int (g, "consoleFd", c->console_fd);
  gen_int (g, "preserveFds", c->preserve_fds);
  gen_int (g, "fifoFd", c->fifo_fd);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &buf_len);
  extra = c->setns && c->container_doc ? 1 + c->container_doc_len : 0;
  res = xmalloc (buf_len + 1 + doc_len + extra);
  memcpy (res, buf, buf_len);
  res[buf_len] = '\0';
  memcpy (res + buf_len + 1, doc, doc_len);
  if (extra)
    {
      res[buf_len + 1 + doc_len] = '\0';
      memcpy (res + buf_len + 2 + doc_len, c->container_doc, c->container_doc_len);
    }
  *out = res;
  *len = buf_len + 1 + doc_len + extra;
  yajl_gen_free (g);
  return 0;
}

static const char *
get_str (yajl_val root, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_string);
  return v ? YAJL_GET_STRING (v) : NULL;
}

static long long
get_int (yajl_val root, const char *key, long long def)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_number);
  return v && YAJL_IS_INTEGER (v) ? YAJL_GET_INTEGER (v) : def;
}

static bool
get_bool (yajl_val root, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_any);
  return v && YAJL_IS_TRUE (v);
}

int
rt_init_config_decode (const char *buf, size_t len, struct rt_init_config **out, rt_error_t *err)
{
  char errbuf[256];
  const char *nul = memchr (buf, '\0', len);
  struct rt_init_config *c;
  yajl_val root;

  if (nul == NULL)
    return rt_error (err, 0, "init config: missing document");
  root = yajl_tree_parse (buf, errbuf, sizeof errbuf);
  if (root == NULL || !YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      return rt_error (err, 0, "init config: %s", errbuf);
    }
  c = xcalloc (1, sizeof *c);
  c->id = xstrdup (get_str (root, "id"));
  c->setns = get_bool (root, "setns");
  c->rootfs = xstrdup (get_str (root, "rootfs"));
  c->bundle = xstrdup (get_str (root, "bundle"));
  c->cwd = xstrdup (get_str (root, "cwd"));
  c->no_pivot = get_bool (root, "noPivot");
  c->no_new_keyring = get_bool (root, "noNewKeyring");
  c->console_fd = (int) get_int (root, "consoleFd", -1);
  c->preserve_fds = (int) get_int (root, "preserveFds", 0);
  c->fifo_fd = (int) get_int (root, "fifoFd", -1);
  yajl_tree_free (root);

  nul++;
  if (c->setns)
    {
      const char *end = buf + len, *second = memchr (nul, '\0', end - nul);

      if (rt_process_parse (nul, (second ? second : end) - nul, &c->process, err) < 0)
        goto fail;
      if (second && rt_spec_parse (second + 1, end - second - 1, &c->container, err) < 0)
        {
          rt_error_wrap (err, "the container's config");
          goto fail;
        }
    }
  else
    {
      if (rt_spec_parse (nul, len - (nul - buf), &c->spec, err) < 0)
        goto fail;
      c->process = &c->spec->process;
    }
  *out = c;
  return 0;
fail:
  rt_init_config_free (c);
  return -1;
}

void
rt_init_config_free (struct rt_init_config *c)
{
  if (c == NULL)
    return;
  free (c->id);
  free (c->rootfs);
  free (c->bundle);
  free (c->cwd);
  if (c->spec)
    rt_spec_free (c->spec);
  else if (c->process)
    rt_process_free (c->process);
  if (c->container)
    rt_spec_free (c->container);
  free (c);
}
