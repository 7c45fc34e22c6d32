/* --debug: a per-stage timing breakdown of create (run) and exec.  Marks cost nothing
   without --debug (one test of a flag); with it, one clock_gettime each.  nsinit's marks
   come over the log pipe as "timing: STAGE" lines carrying its CLOCK_MONOTONIC time
   ("t", nslog.c), so both sides are on one clock. */
#define _GNU_SOURCE
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RT_TRACE_MAX 64

struct mark
{
  long long ns;
  bool stub;
  char stage[56];
};

static struct mark marks[RT_TRACE_MAX];
static size_t n_marks;

long long
rt_trace_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void
add (bool stub, const char *stage, long long ns)
{
  struct mark *m;

  if (n_marks == RT_TRACE_MAX)
    return;
  m = &marks[n_marks++];
  m->ns = ns;
  m->stub = stub;
  snprintf (m->stage, sizeof m->stage, "%s", stage);
}

void
rt_trace_mark_slow (const char *stage)
{
  add (false, stage, rt_trace_now ());
}

void
rt_trace_stub (const char *stage, long long ns)
{
  if (rt_global.debug)
    add (true, stage, ns);
}

static int
by_time (const void *a, const void *b)
{
  const struct mark *x = a, *y = b;

  return (x->ns > y->ns) - (x->ns < y->ns);
}

/* Print the marks so far in time order, each with its time since rt started and since
   the one before, and forget them (the next report goes on from the last). */
void
rt_trace_report (const char *what)
{
  static long long first = -1, prev;

  if (!rt_global.debug || n_marks == 0)
    return;
  qsort (marks, n_marks, sizeof marks[0], by_time);
  if (first < 0)
    first = prev = marks[0].ns;
  rt_log (RT_LOG_DEBUG, "timing of %s (ms since rt started, +ms since the previous step):", what);
  for (size_t i = 0; i < n_marks; i++)
    {
      rt_log (RT_LOG_DEBUG, "timing: %8.3f %+8.3f  %-6s %s", (marks[i].ns - first) / 1e6,
              (marks[i].ns - prev) / 1e6, marks[i].stub ? "nsinit" : "rt", marks[i].stage);
      prev = marks[i].ns;
    }
  n_marks = 0;
}
