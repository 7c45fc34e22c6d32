/* rt events [--stats] [--interval D] ID: JSON lines, as runc: "stats" every interval
   (or once with --stats) and "oom" whenever the container hits its memory limit, until
   the container's cgroup goes away. */
#define _GNU_SOURCE
#include "rt.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[]
    = "NAME:\n"
      "   rt events - display container events such as OOM notifications, cpu, memory, and IO "
      "usage statistics\n"
      "\n"
      "USAGE:\n"
      "   rt events [command options] <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container.\n"
      "\n"
      "DESCRIPTION:\n"
      "   The events command displays information about the container. By default the\n"
      "information is displayed once every 5 seconds.\n"
      "\n"
      "OPTIONS:\n"
      "   --interval value  set the stats collection interval (default: 5s)\n"
      "   --stats           display the container's stats then exit\n"
      "   --help, -h        show help\n";

enum
{
  OPT_INTERVAL = 256,
  OPT_STATS
};

static const struct option opts[] = {
  { "interval", required_argument, NULL, OPT_INTERVAL },
  { "stats", no_argument, NULL, OPT_STATS },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* Go's time.ParseDuration ("300ms", "1.5s", "1m30s"), in nanoseconds. */
static int
parse_duration (const char *s, int64_t *out)
{
  /* longer units first where one is a prefix of another */
  static const struct
  {
    const char *unit;
    double ns;
  } units[] = { { "ns", 1 },  { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 },
                { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 } };
  double total = 0;
  int sign = 1;

  if (*s == '-' || *s == '+')
    sign = *s++ == '-' ? -1 : 1;
  if (strcmp (s, "0") == 0)
    {
      *out = 0;
      return 0;
    }
  if (*s == '\0')
    return -1;
  while (*s)
    {
      char *end;
      double v = strtod (s, &end);
      size_t i = 0;

      if (end == s || !(isdigit ((unsigned char) *s) || *s == '.'))
        return -1;
      while (i < ARRAY_SIZE (units) && strncmp (end, units[i].unit, strlen (units[i].unit)) != 0)
        i++;
      if (i == ARRAY_SIZE (units))
        return -1;
      total += v * units[i].ns;
      s = end + strlen (units[i].unit);
    }
  if (total > 9.2e18)
    return -1;
  *out = sign * (int64_t) total;
  return 0;
}

static int64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
emit (const char *line)
{
  puts (line);
  fflush (stdout);
}

/* One "stats" line; *gone when the cgroup is no more. */
static int
print_stats (struct rt_container *c, struct rt_cgroup *cg, bool *gone, rt_error_t *err)
{
  struct rt_stats st = { 0 };
  cleanup_free char *json = NULL;

  if (cg->ops->stats (cg, &st, err) < 0)
    {
      *gone = (*err)->status == ENOENT;
      rt_stats_clear (&st);
      return -1;
    }
  json = rt_stats_event_json (c->id, &st);
  rt_stats_clear (&st);
  emit (json);
  return 0;
}

static void
print_ooms (struct rt_container *c, unsigned n)
{
  cleanup_free char *line = xasprintf ("{\"type\":\"oom\",\"id\":\"%s\"}", c->id);
  for (unsigned i = 0; i < n; i++)
    emit (line);
}

/* Wake for OOM events and for the next tick; stats errors are logged and the loop goes
   on (runc), until the cgroup is gone. */
static int
watch (struct rt_container *c, struct rt_cgroup *cg, int64_t interval, rt_error_t *err)
{
  cleanup_close int fd = -1;
  int64_t next = now_ns () + interval;
  bool gone = false;

  if (cg->ops->oom_open (cg, &fd, err) < 0)
    return -1;
  while (!gone)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      int64_t left = next - now_ns ();
      int r = poll (&p, fd >= 0 ? 1 : 0, left > 0 ? (int) ((left + 999999) / 1000000) : 0);
      if (r < 0 && errno != EINTR)
        return rt_error (err, errno, "poll");
      if (r > 0)
        {
          unsigned n = 0;
          if (cg->ops->oom_read (cg, fd, &n, &gone, err) < 0)
            return -1;
          print_ooms (c, n);
        }
      if (!gone && now_ns () >= next)
        {
          next += interval;
          if (print_stats (c, cg, &gone, err) < 0)
            {
              if (!gone)
                rt_log (RT_LOG_ERROR, "%s", (*err)->msg);
              rt_error_free (err); /* logged (or gone): events go on */
            }
        }
    }
  return 0;
}

int
rt_cmd_events (int argc, char **argv)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  rt_error_t err = NULL;
  int64_t interval = 5000000000LL;
  bool stats = false, gone = false;
  const char *id;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "h", opts)) != -1)
    if (opt == OPT_STATS)
      stats = true;
    else if (parse_duration (optarg, &interval) < 0) /* OPT_INTERVAL */
      rt_usage_error (argv[0], "invalid value \"%s\" for flag -interval: parse error", optarg);
  id = rt_arg_id (argc, argv);
  if (interval <= 0)
    {
      rt_error (&err, 0, "duration interval must be greater than 0");
      rt_log_error_exit ("events", id, err);
    }
  if (rt_state_load (id, &c, &err) < 0)
    rt_log_error_exit ("events", id, err);
  if (rt_container_status (c) == RT_STATUS_STOPPED)
    {
      rt_error (&err, 0, "container with id %s is not running", id);
      rt_log_error_exit ("events", id, err);
    }
  if (rt_container_cgroup (c, &cg, &err) < 0)
    rt_log_error_exit ("events", id, err);
  if ((stats ? print_stats (c, cg, &gone, &err) : watch (c, cg, interval, &err)) < 0)
    rt_log_error_exit ("events", id, err);
  return 0;
}
