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

void
rt_json_value (yajl_gen g, yajl_val v)
{
  if (YAJL_IS_STRING (v))
    rt_json_str (g, YAJL_GET_STRING (v));
  else if (YAJL_IS_NUMBER (v))
    yajl_gen_number (g, YAJL_GET_NUMBER (v), strlen (YAJL_GET_NUMBER (v)));
  else if (YAJL_IS_TRUE (v) || YAJL_IS_FALSE (v))
    yajl_gen_bool (g, YAJL_IS_TRUE (v));
  else if (YAJL_IS_ARRAY (v))
    {
      yajl_gen_array_open (g);
      for (size_t i = 0; i < v->u.array.len; i++)
        rt_json_value (g, v->u.array.values[i]);
      yajl_gen_array_close (g);
    }
  else if (YAJL_IS_OBJECT (v))
    {
      yajl_gen_map_open (g);
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          rt_json_str (g, v->u.object.keys[i]);
          rt_json_value (g, v->u.object.values[i]);
        }
      yajl_gen_map_close (g);
    }
  else
    yajl_gen_null (g);
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
