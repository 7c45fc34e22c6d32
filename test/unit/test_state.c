/* Front-end state helpers that need no container: the RFC 3339 timestamps of
   state.json's "created" (computed without gmtime, which makes glibc load the time
   zone). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"
#include "tap.h"

static void
test_civil (void)
{
  int bad = 0, checked = 0;

  /* every 13th day from year 1 to 9999, against glibc */
  for (long long days = -719162; days < 2932896; days += 13)
    {
      time_t t = (time_t) (days * 86400);
      struct tm tm;
      unsigned m, d;
      int y;

      gmtime_r (&t, &tm);
      rt_civil_from_days (days, &y, &m, &d);
      checked++;
      if (y != tm.tm_year + 1900 || (int) m != tm.tm_mon + 1 || (int) d != tm.tm_mday)
        {
          if (bad++ < 3)
            printf ("# day %lld: %d-%u-%u, gmtime says %d-%d-%d\n", days, y, m, d,
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
    }
  ok (bad == 0, "%d days from year 1 to 9999 agree with gmtime", checked);
  {
    unsigned m, d;
    int y;
    rt_civil_from_days (0, &y, &m, &d);
    ok (y == 1970 && m == 1 && d == 1, "day 0 is 1970-01-01");
    rt_civil_from_days (-1, &y, &m, &d);
    ok (y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
    rt_civil_from_days (11016, &y, &m, &d);
    ok (y == 2000 && m == 2 && d == 29, "day 11016 is 2000-02-29 (a leap day)");
  }
}

static void
test_timestamp (void)
{
  for (int tries = 0; tries < 3; tries++)
    {
      time_t before = time (NULL);
      cleanup_free char *ts = rt_timestamp_now ();
      time_t after = time (NULL);
      char want[32];
      struct tm tm;

      if (before != after)
        continue; /* a second boundary in between: try again */
      gmtime_r (&before, &tm);
      strftime (want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
      ok (strncmp (ts, want, strlen (want)) == 0, "timestamp %s starts with %s", ts, want);
      ok (ts[strlen (ts) - 1] == 'Z' && (ts[19] == '.' || ts[19] == 'Z'),
          "fraction then Z (RFC3339Nano)");
      ok (ts[strlen (ts) - 2] != '0', "no trailing zero in the fraction");
      return;
    }
  ok (0, "three timestamps straddled a second boundary");
}

static void
write_state (const char *text)
{
  FILE *f = fopen ("c1/state.json", "w");

  fputs (text, f);
  fclose (f);
}

/* state.json keeps the config as the last key; load takes its text as it is, without
   parsing it, and refuses a state whose config is not a last object. */
static void
test_state_config (void)
{
  char root[] = "/tmp/rt-test-state.XXXXXX";
  static const char config[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
                               "\"annotations\":{\"k\":\",\\\"config\\\":\"}}";
  struct rt_container c = { .id = "c1", .pid = 7, .bundle = "/b", .created = "now", .owner = "" };
  struct rt_container *got = NULL;
  rt_error_t err = NULL;

  if (mkdtemp (root) == NULL || chdir (root) < 0)
    {
      ok (0, "a temporary root");
      return;
    }
  rt_global.root = root;
  c.config = (char *) config;
  c.config_len = strlen (config);
  ok (rt_state_create_dir ("c1", &err) == 0 && rt_state_save (&c, &err) == 0, "save a state");
  ok (rt_state_load ("c1", &got, &err) == 0, "load it back");
  if (got)
    {
      ok (got->pid == 7 && strcmp (got->bundle, "/b") == 0, "the state's fields");
      ok (got->config_len == strlen (config) && strcmp (got->config, config) == 0,
          "the config text as saved");
      ok (rt_container_spec (got, &err) == 0, "the config parses as a spec");
      rt_container_free (got);
    }
  write_state ("{\"id\":\"c1\",\"bundle\":\"/b\",\"created\":\"x\",\"config\":{}}x");
  ok (rt_state_load ("c1", &got, &err) < 0 && strstr (err->msg, "config"), "text after the config");
  rt_error_free (&err);
  write_state ("{\"config\":{},\"id\":\"c1\",\"bundle\":\"/b\",\"created\":\"x\"}");
  ok (rt_state_load ("c1", &got, &err) < 0 && strstr (err->msg, "last"), "the config not last");
  rt_error_free (&err);
  write_state ("{\"id\":\"c1\",\"bundle\":\"/b\",\"created\":\"x\",\"config\":[]}");
  ok (rt_state_load ("c1", &got, &err) < 0, "a config that is no object");
  rt_error_free (&err);
  unlink ("c1/state.json");
  rmdir ("c1");
  rmdir (root);
}

int
main (void)
{
  test_civil ();
  test_timestamp ();
  test_state_config ();
  return tap_done ();
}
