/* Serialize a process object back to OCI JSON: exec builds its process from the
   container's config plus command-line flags and sends it to nsinit, whose parser
   (rt_process_parse) reads it with the same rules as config.json's "process".  The writer
   walks the tables the parser fills from (spec_process_fields, see struct field), so a
   key is named once: what the parser stores, it writes, and parsing the text gives the
   same struct back. */
#include "spec_internal.h"
#include "jsongen.h"

#include <yajl/yajl_gen.h>

static void gen_object (yajl_gen g, const struct field *fields, const char *base);

/* A K_UINT or K_INT member of WIDTH bytes at SRC (a K_INT is an int32_t or an int64_t:
   test_spec checks the tables). */
static void
gen_number (yajl_gen g, const struct field *f, const char *src, size_t width)
{
  uint64_t u = width == 1   ? *(const uint8_t *) src
               : width == 2 ? *(const uint16_t *) src
               : width == 4 ? *(const uint32_t *) src
                            : *(const uint64_t *) src;

  if (f->kind == K_INT)
    yajl_gen_integer (g, width == 4 ? (int32_t) u : (long long) u);
  else
    rt_json_u64 (g, u);
}

/* The value of F at SRC: a scalar WIDTH bytes wide, or an object's fields relative to SRC
   (no item of the schema is an array or a map). */
static void
gen_value (yajl_gen g, const struct field *f, const char *src, size_t width)
{
  if (f->kind == K_STR)
    rt_json_str (g, *(char *const *) src);
  else if (f->kind == K_BOOL)
    yajl_gen_bool (g, *(const bool *) src);
  else if (f->kind == K_OBJ)
    gen_object (g, f->sub, src);
  else
    gen_number (g, f, src, width);
}

static void
gen_elements (yajl_gen g, const struct field *f, const char *base)
{
  const struct field *it = f->item;
  const char *elems = *(char *const *) (base + f->off);
  size_t n = *(const size_t *) (base + f->count);

  if (f->kind == K_MAP)
    yajl_gen_map_open (g);
  else
    yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      const char *elem = elems + i * f->elem;
      if (f->kind == K_MAP)
        rt_json_str (g, *(char *const *) (elem + f->key));
      gen_value (g, it, elem + it->off, it->width ? it->width : f->elem);
    }
  if (f->kind == K_MAP)
    yajl_gen_map_close (g);
  else
    yajl_gen_array_close (g);
}

/* Whether the parser found F's key: its has_ flag, a pointer that it set, or always for
   the other stored values and the objects without a flag. */
static bool
present (const struct field *f, const char *base)
{
  if (f->has != 0)
    return *(const bool *) (base + f->has - 1);
  if (f->kind == K_OBJ)
    return f->elem == 0 || *(void *const *) (base + f->off) != NULL;
  if (f->width == 0)
    return false;
  if (f->kind == K_STR || f->kind == K_ARRAY || f->kind == K_MAP)
    return *(void *const *) (base + f->off) != NULL;
  return true;
}

static void
gen_object (yajl_gen g, const struct field *fields, const char *base)
{
  yajl_gen_map_open (g);
  for (const struct field *f = fields; f->name != NULL; f++)
    {
      const char *src = base + f->off;

      if (!present (f, base))
        continue;
      rt_json_str (g, f->name);
      if (f->kind == K_ARRAY || f->kind == K_MAP)
        gen_elements (g, f, base);
      else if (f->kind == K_OBJ && f->elem != 0)
        gen_object (g, f->sub, *(char *const *) src);
      else
        gen_value (g, f, src, f->width);
    }
  yajl_gen_map_close (g);
}

int
rt_process_to_json (const struct rt_process *p, char **out, size_t *len)
{
  yajl_gen g = yajl_gen_alloc (NULL);

  if (g == NULL)
    return -1;
  gen_object (g, spec_process_fields, (const char *) p);
  *out = rt_json_take (g, len);
  return 0;
}
