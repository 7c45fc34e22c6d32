/* rt ps [--format table|json] ID [ps options]: the container's processes, found through
   its cgroup; the table is ps(1)'s (default "ps -ef") reduced to those pids, as runc. */
#define _GNU_SOURCE
#include "rt.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "NAME:\n"
                            "   rt ps - ps displays the processes running inside a container\n"
                            "\n"
                            "USAGE:\n"
                            "   rt ps [command options] <container-id> [ps options]\n"
                            "\n"
                            "OPTIONS:\n"
                            "   --format value, -f value  select one of: table or json "
                            "(default: \"table\")\n"
                            "   --help, -h                show help\n";

static const struct option opts[] = {
  { "format", required_argument, NULL, 'f' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* ps ARGS... with stdout and stderr together, like Go's CombinedOutput. */
static int
run_ps (char **args, size_t n, char **out, rt_error_t *err)
{
  cleanup_free char **argv = xcalloc (n + 2, sizeof *argv);

  argv[0] = (char *) "ps";
  memcpy (argv + 1, args, n * sizeof *args);
  return rt_combined_output (argv, out, err);
}

static int
pid_index (const char *header, rt_error_t *err)
{
  cleanup_free char *copy = xstrdup (header);
  char *save = NULL;
  int i = 0;

  for (char *f = strtok_r (copy, " \t", &save); f; f = strtok_r (NULL, " \t", &save), i++)
    if (strcmp (f, "PID") == 0)
      return i;
  return rt_error (err, 0, "couldn't find PID field in ps output");
}

static bool
line_has_pid (const char *line, int index, const pid_t *pids, size_t n)
{
  cleanup_free char *copy = xstrdup (line);
  char *save = NULL, *f = strtok_r (copy, " \t", &save);
  long v;

  for (int i = 0; f != NULL && i < index; i++)
    f = strtok_r (NULL, " \t", &save);
  if (f == NULL || parse_long (f, &v) < 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (pids[i] == v)
      return true;
  return false;
}

static int
print_table (char **args, size_t n_args, const pid_t *pids, size_t n, rt_error_t *err)
{
  char *default_args[] = { (char *) "-ef" };
  cleanup_free char *out = NULL;
  char *save = NULL, *line;
  int index;

  if (n_args == 0)
    {
      args = default_args;
      n_args = 1;
    }
  if (run_ps (args, n_args, &out, err) < 0)
    return -1;
  line = strtok_r (out, "\n", &save);
  if (line == NULL || (index = pid_index (line, err)) < 0)
    return line == NULL ? rt_error (err, 0, "couldn't find PID field in ps output") : -1;
  printf ("%s\n", line);
  while ((line = strtok_r (NULL, "\n", &save)) != NULL)
    if (line_has_pid (line, index, pids, n))
      printf ("%s\n", line);
  return 0;
}

static void
print_json (const pid_t *pids, size_t n)
{
  if (n == 0)
    {
      puts ("null"); /* Go encodes an empty (nil) slice as null */
      return;
    }
  putchar ('[');
  for (size_t i = 0; i < n; i++)
    printf ("%s%d", i ? "," : "", pids[i]);
  puts ("]");
}

int
rt_cmd_ps (int argc, char **argv)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  cleanup_free pid_t *pids = NULL;
  const char *format = "table", *id;
  rt_error_t err = NULL;
  size_t n = 0;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "f:h", opts)) != -1)
    format = optarg; /* 'f', the only other flag */
  rt_check_args (argv[0], argc - optind, 1, -1);
  id = argv[optind];
  if (rt_state_load (id, &c, &err) < 0)
    rt_log_error_exit ("ps", id, err);
  /* a stopped container has no processes: an empty list, not an error (runc) */
  if (c->cgroup_path != NULL
      && (rt_container_cgroup (c, &cg, &err) < 0 || cg->ops->pids (cg, &pids, &n, &err) < 0))
    rt_log_error_exit ("ps", id, err);
  if (strcmp (format, "json") == 0)
    print_json (pids, n);
  else if (strcmp (format, "table") != 0)
    {
      rt_error (&err, 0, "invalid format option");
      rt_log_error_exit ("ps", id, err);
    }
  else if (print_table (argv + optind + 1, (size_t) (argc - optind - 1), pids, n, &err) < 0)
    rt_log_error_exit ("ps", id, err);
  return 0;
}
