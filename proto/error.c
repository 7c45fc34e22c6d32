#define _GNU_SOURCE
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
rt_strerror (int errnum)
{
  static __thread char buf[128];
  const char *text = strerror (errnum);

  /* Go's syscall.Errno texts are glibc's with the first letter lowered when the second is
     lowercase ("no such file or directory"); clients such as docker match on them. */
  snprintf (buf, sizeof buf, "%s", text);
  if (isupper ((unsigned char) buf[0]) && islower ((unsigned char) buf[1]))
    buf[0] = (char) tolower ((unsigned char) buf[0]);
  return buf;
}

int
rt_verror (rt_error_t *err, int errnum, const char *fmt, va_list ap)
{
  char *msg = NULL;

  if (err == NULL)
    return -1;
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  if (errnum != 0 && msg != NULL)
    {
      char *full = NULL;
      if (asprintf (&full, "%s: %s", msg, rt_strerror (errnum)) >= 0)
        {
          free (msg);
          msg = full;
        }
    }
  rt_error_free (err);
  *err = calloc (1, sizeof (rt_error_s));
  if (*err == NULL)
    {
      free (msg);
      return -1;
    }
  (*err)->status = errnum;
  (*err)->msg = msg != NULL ? msg : strdup ("out of memory");
  return -1;
}

int
rt_error (rt_error_t *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  int ret;

  va_start (ap, fmt);
  ret = rt_verror (err, errnum, fmt, ap);
  va_end (ap);
  return ret;
}

int
rt_error_wrap (rt_error_t *err, const char *fmt, ...)
{
  char *prefix = NULL, *full = NULL;
  va_list ap;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  if (vasprintf (&prefix, fmt, ap) < 0)
    prefix = NULL;
  va_end (ap);
  if (prefix != NULL && asprintf (&full, "%s: %s", prefix, (*err)->msg) >= 0)
    {
      free ((*err)->msg);
      (*err)->msg = full;
    }
  free (prefix);
  return -1;
}

void
rt_error_free (rt_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}

char *
rt_escape_controls (const char *s)
{
  size_t n = strlen (s);
  char *out = malloc (n * 4 + 1), *p = out;

  if (out == NULL)
    return NULL;
  for (const unsigned char *c = (const unsigned char *) s; *c; c++)
    p = rt_escape_control_char (p, *c);
  *p = '\0';
  return out;
}

char *
rt_escape_control_char (char *p, unsigned char c)
{
  if (c == '\n')
    return stpcpy (p, "\\n");
  if (c == '\t')
    return stpcpy (p, "\\t");
  if (c == '\r')
    return stpcpy (p, "\\r");
  if (c < 0x20 || c == 0x7f)
    return p + sprintf (p, "\\x%02x", c);
  *p++ = (char) c;
  return p;
}
