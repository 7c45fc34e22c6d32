#define _GNU_SOURCE
#include "nslog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int nslog_fd = -1;
int nslog_debug = 0;

/* Escape for a JSON string; the stub must not allocate here (it runs in the constructor
   and between clones), so everything goes through a stack buffer. */
static size_t
json_escape (char *out, size_t cap, const char *in)
{
  size_t o = 0;
  for (; *in && o + 7 < cap; in++)
    {
      unsigned char c = (unsigned char) *in;
      if (c == '"' || c == '\\')
        {
          out[o++] = '\\';
          out[o++] = c;
        }
      else if (c < 0x20)
        o += snprintf (out + o, cap - o, "\\u%04x", c);
      else
        out[o++] = c;
    }
  out[o] = '\0';
  return o;
}

void
nslog (const char *level, const char *fmt, ...)
{
  char msg[2048], esc[4096], line[4200];
  int saved = errno, n;
  va_list ap;

  if (nslog_fd < 0)
    return;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  json_escape (esc, sizeof esc, msg);
  if (nslog_debug)
    {
      /* the time on rt's clock, for the timing breakdown (trace.c) */
      struct timespec t;
      clock_gettime (CLOCK_MONOTONIC, &t);
      n = snprintf (line, sizeof line, "{\"level\":\"%s\",\"msg\":\"%s\",\"t\":%lld}\n", level, esc,
                    t.tv_sec * 1000000000LL + t.tv_nsec);
    }
  else
    n = snprintf (line, sizeof line, "{\"level\":\"%s\",\"msg\":\"%s\"}\n", level, esc);
  if (n > 0 && write (nslog_fd, line, (size_t) n) < 0)
    nslog_fd = -1;
  errno = saved;
}
