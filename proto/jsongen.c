/* See jsongen.h. */
#include "jsongen.h"
#include "util.h"

#include <string.h>

void
rt_json_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
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
