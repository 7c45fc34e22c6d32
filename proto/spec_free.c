/* Releasing what the filler allocated, by walking the same schema tables (see struct
   field): the walk needs only the struct, not the tree.  See spec_internal.h. */
#include "spec_internal.h"

/* What F's value holds at DST (an item: the element), not DST itself. */
static void
free_value (const struct field *f, char *dst)
{
  if (f->kind == K_STR)
    free (*(char **) dst);
  else if (f->kind == K_OBJ)
    spec_free_object (f->sub, dst);
}

static void
free_elements (const struct field *f, char *base)
{
  char *elems = *(char **) (base + f->off);
  size_t n = *(size_t *) (base + f->count);

  for (size_t i = 0; elems != NULL && i < n; i++)
    {
      char *elem = elems + i * f->elem;
      if (f->kind == K_MAP)
        free (*(char **) (elem + f->key));
      free_value (f->item, elem + f->item->off);
    }
  free (elems);
}

void
spec_free_object (const struct field *fields, void *base)
{
  for (const struct field *f = fields; f->name != NULL; f++)
    {
      char *dst = (char *) base + f->off;

      if ((f->kind == K_ARRAY || f->kind == K_MAP) && f->width != 0)
        free_elements (f, base);
      else if (f->kind == K_OBJ && f->elem != 0)
        {
          if (*(void **) dst != NULL)
            spec_free_object (f->sub, *(void **) dst);
          free (*(void **) dst);
        }
      else if (f->kind == K_OBJ || (f->kind == K_STR && f->width != 0))
        free_value (f, dst);
    }
}

/* A parsed struct (rt_process_parse, rt_spec_parse) and what it holds. */
static void
free_parsed (const struct field *fields, void *base)
{
  if (base == NULL)
    return;
  spec_free_object (fields, base);
  free (base);
}

void
rt_process_free (struct rt_process *p)
{
  free_parsed (spec_process_fields, p);
}

void
rt_spec_free (struct rt_spec *s)
{
  free_parsed (spec_config_fields, s);
}
