/* The one mountinfo reader (see mountinfo.h). */
#define _GNU_SOURCE
#include "mountinfo.h"

#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool
is_octal (char c)
{
  return c >= '0' && c <= '7';
}

void
rt_mountinfo_unescape (char *s)
{
  char *w = s;

  for (; *s; s++)
    {
      if (s[0] == '\\' && is_octal (s[1]) && is_octal (s[2]) && is_octal (s[3]))
        {
          *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
          s += 3;
        }
      else
        *w++ = *s;
    }
  *w = '\0';
}

/* The next space-separated field of *P (NUL-terminated in place), or NULL. */
static char *
field (char **p)
{
  char *s = *p, *e;

  if (s == NULL || *s == '\0')
    return NULL;
  e = strchr (s, ' ');
  if (e != NULL)
    *e++ = '\0';
  *p = e;
  return s;
}

int
rt_mountinfo_parse (char *line, struct rt_mountinfo *m)
{
  char *p = line, *sep, *id, *parent, *end;

  line[strcspn (line, "\n")] = '\0';
  /* the optional fields end at " - "; no path can contain it unescaped */
  sep = strstr (line, " - ");
  if (sep == NULL)
    return -1;
  *sep = '\0';
  id = field (&p);
  parent = field (&p);
  m->dev = field (&p);
  m->root = field (&p);
  m->mountpoint = field (&p);
  m->options = field (&p);
  m->optional = p ? p : "";
  if (m->options == NULL)
    return -1;
  m->id = (int) strtol (id, &end, 10);
  if (*end != '\0')
    return -1;
  m->parent = (int) strtol (parent, &end, 10);
  if (*end != '\0')
    return -1;
  p = sep + 3;
  m->fstype = field (&p);
  m->source = field (&p);
  m->superopts = p ? p : "";
  if (m->fstype == NULL || m->source == NULL)
    return -1;
  rt_mountinfo_unescape ((char *) m->root);
  rt_mountinfo_unescape ((char *) m->mountpoint);
  rt_mountinfo_unescape ((char *) m->source);
  return 0;
}

int
rt_mountinfo_open (struct rt_mountinfo_reader *r, rt_error_t *err)
{
  *r = (struct rt_mountinfo_reader){ .f = fopen ("/proc/self/mountinfo", "re") };
  if (r->f == NULL)
    return rt_error (err, errno, "open /proc/self/mountinfo");
  return 0;
}

int
rt_mountinfo_next (struct rt_mountinfo_reader *r, struct rt_mountinfo *m)
{
  while (getline (&r->line, &r->cap, r->f) > 0)
    if (rt_mountinfo_parse (r->line, m) == 0)
      return 1;
  return 0;
}

void
rt_mountinfo_close (struct rt_mountinfo_reader *r)
{
  if (r->f != NULL)
    fclose (r->f);
  free (r->line);
  *r = (struct rt_mountinfo_reader){ 0 };
}

char *
rt_mountinfo_fstype_mount (const char *fstype)
{
  cleanup_error rt_error_t ignored = NULL; /* no mountinfo: no such mount */
  cleanup_mountinfo struct rt_mountinfo_reader r = { 0 };
  struct rt_mountinfo m;

  if (rt_mountinfo_open (&r, &ignored) < 0)
    return NULL;
  while (rt_mountinfo_next (&r, &m))
    if (strcmp (m.fstype, fstype) == 0)
      return xstrdup (m.mountpoint);
  return NULL;
}
