/* The loader: the document's text (size, NUL bytes, nesting, syntax) into a yajl tree,
   error messages that say where, and the two entry points rt_spec_parse / rt_process_parse.  See
   spec_internal.h. */
#include "spec_internal.h"

/* "FILE: PATH: MSG", or "FILE: MSG" at the top of the document.  Returns -1. */
int __attribute__ ((format (printf, 3, 4)))
spec_fail (struct pctx *c, const char *path, const char *fmt, ...)
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
char *
spec_quote (const char *s)
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

char *
spec_path_key (const char *path, const char *key)
{
  return *path ? xasprintf ("%s.%s", path, key) : xstrdup (key);
}

char *
spec_path_index (const char *path, size_t i)
{
  return xasprintf ("%s[%zu]", path, i);
}

/* Free-form map entries: keys may contain dots ("com.example.key"). */
char *
spec_path_map (const char *path, const char *key)
{
  cleanup_free char *q = spec_quote (key);
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
    return spec_fail (c, "", "out of memory");
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
    spec_fail (c, "", "line %u: %s", line_of (json, len, off), l.problem);
  else
    {
      msg = (char *) yajl_get_error (h, 0, (const unsigned char *) json, len);
      one_line (msg);
      spec_fail (c, "", "line %u: %s", line_of (json, len, off), msg);
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
load_tree (struct pctx *c, const char *json, size_t len, yajl_val *out)
{
  const char *nul = json ? memchr (json, '\0', len) : NULL;
  cleanup_free char *buf = NULL;
  char errbuf[256];

  if (json == NULL)
    return spec_fail (c, "", "no document");
  if (nul != NULL)
    return spec_fail (c, "", "line %u: NUL byte in the document", line_of (json, len, nul - json));
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
      return spec_fail (c, "", "%s", errbuf[0] ? errbuf : "parse error");
    }
  return 0;
}

/* The document, its syntax and its schema (FIELDS) checked, as a tree. */
static int
json_load (struct pctx *c, const char *json, size_t len, const struct field *fields, yajl_val *out)
{
  if (load_tree (c, json, len, out) < 0)
    return -1;
  return spec_check_object (c, "", *out, fields);
}

/* ------------------------------------------------------------------ parse */

int
rt_spec_load_tree (const char *json, size_t len, yajl_val *tree, rt_error_t *err)
{
  struct pctx c = { "config.json", err };

  *tree = NULL;
  return load_tree (&c, json, len, tree);
}

int
rt_spec_parse (const char *json, size_t len, struct rt_spec **out, rt_error_t *err)
{
  cleanup_tree yajl_val tree = NULL;

  if (rt_spec_load_tree (json, len, &tree, err) < 0)
    return -1;
  return rt_spec_from_tree (tree, out, err);
}

int
rt_spec_from_tree (yajl_val tree, struct rt_spec **out, rt_error_t *err)
{
  struct pctx c = { "config.json", err };
  struct rt_spec *s;

  if (spec_check_object (&c, "", tree, spec_config_fields) < 0
      || spec_check_version (&c, YAJL_GET_STRING (spec_get (tree, "ociVersion"))) < 0)
    return -1;
  /* The schema leaves root optional for Hyper-V; config.md requires it elsewhere. */
  if (spec_get (tree, "root") == NULL && spec_get (tree, "windows") == NULL)
    return spec_fail (&c, "", "missing required key \"root\"");
  if ((s = spec_fill_spec (&c, tree)) == NULL)
    return -1;
  *out = s;
  return 0;
}

int
rt_process_parse (const char *json, size_t len, struct rt_process **out, rt_error_t *err)
{
  struct pctx c = { "process.json", err };
  cleanup_tree yajl_val tree = NULL;
  struct rt_process *p;

  if (json_load (&c, json, len, spec_process_fields, &tree) < 0
      || (p = spec_fill_process (&c, tree)) == NULL)
    return -1;
  *out = p;
  return 0;
}
