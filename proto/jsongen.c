/* See jsongen.h. */
#include "jsongen.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

void
rt_json_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

void
rt_json_u64 (yajl_gen g, uint64_t v)
{
  char buf[24];
  int n = snprintf (buf, sizeof buf, "%llu", (unsigned long long) v);

  yajl_gen_number (g, buf, (size_t) n);
}

void
rt_json_key_str (yajl_gen g, const char *key, const char *val)
{
  rt_json_str (g, key);
  if (val != NULL)
    rt_json_str (g, val);
  else
    yajl_gen_null (g);
}

void
rt_json_key_int (yajl_gen g, const char *key, long long val)
{
  rt_json_str (g, key);
  yajl_gen_integer (g, val);
}

void
rt_json_key_u64 (yajl_gen g, const char *key, uint64_t val)
{
  rt_json_str (g, key);
  rt_json_u64 (g, val);
}

void
rt_json_key_bool (yajl_gen g, const char *key, bool val)
{
  rt_json_str (g, key);
  yajl_gen_bool (g, val);
}

char *
rt_json_take (yajl_gen g, size_t *len)
{
  const unsigned char *buf;
  size_t n;
  char *out;

  yajl_gen_get_buf (g, &buf, &n);
  out = xmalloc (n + 1);
  memcpy (out, buf, n);
  out[n] = '\0';
  yajl_gen_free (g);
  if (len)
    *len = n;
  return out;
}
