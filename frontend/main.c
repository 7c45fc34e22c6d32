/* rt's entry point: global flags, then one command from the table below. */
#define _GNU_SOURCE
#include "rt.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* rt_global is defined in log.c (part of rtcore) so unit tests can link the core. */

struct command
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *help;
  bool keep_order; /* runc's SkipArgReorder: flags after the first argument are arguments */
};

/* Adding a command: one line here and a cmd_NAME.c. */
static const struct command commands[] = {
  { "checkpoint", rt_cmd_checkpoint, "checkpoint a running container", false },
  { "create", rt_cmd_create, "create a container", false },
  { "delete", rt_cmd_delete, "delete any resources held by the container", false },
  { "events", rt_cmd_events,
    "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
    false },
  { "exec", rt_cmd_exec, "execute new process inside the container", true },
  { "features", rt_cmd_features, "show the enabled features", false },
  { "kill", rt_cmd_kill, "send a signal (default: SIGTERM) to the container's init process",
    false },
  { "list", rt_cmd_list, "list containers started by rt with the given root", false },
  { "pause", rt_cmd_pause, "pause suspends all processes inside the container", false },
  { "ps", rt_cmd_ps, "ps displays the processes running inside a container", true },
  { "restore", rt_cmd_restore, "restore a container from a previous checkpoint", false },
  { "resume", rt_cmd_resume, "resumes all processes that have been previously paused", false },
  { "run", rt_cmd_run, "create and run a container", false },
  { "spec", rt_cmd_spec, "create a new specification file", false },
  { "start", rt_cmd_start, "execute the user defined process in a created container", false },
  { "state", rt_cmd_state, "output the state of a container", false },
  { "update", rt_cmd_update, "update container resource constraints", false },
};

static void
usage (void)
{
  printf ("NAME:\n"
          "   rt - Open Container Initiative runtime\n"
          "\n"
          "USAGE:\n"
          "   rt [global options] command [command options] [arguments...]\n"
          "\n"
          "VERSION:\n"
          "   %s\n"
          "commit: %s\n"
          "spec: %s\n"
          "\n"
          "COMMANDS:\n",
          RT_VERSION, RT_COMMIT, RT_SPEC_VERSION);
  for (size_t i = 0; i < ARRAY_SIZE (commands); i++)
    printf ("   %-11s %s\n", commands[i].name, commands[i].help);
  printf ("   %-11s %s\n", "help, h", "show a list of commands or help for one command");
  printf ("\n"
          "GLOBAL OPTIONS:\n"
          "   --debug             enable debug logging\n"
          "   --log value         set the log file to write rt logs to (default is "
          "'/dev/stderr')\n"
          "   --log-format value  set the log format ('text' (default), or 'json') (default: "
          "\"text\")\n"
          "   --root value        root directory for storage of container state (this should "
          "be located in tmpfs) (default: \"%s\")\n"
          "   --criu value        path to the criu binary used for checkpoint and restore "
          "(default: \"criu\")\n"
          "   --systemd-cgroup    enable systemd cgroup support (not supported yet)\n"
          "   --help, -h          show help\n"
          "   --version, -v       print the version\n",
          rt_global.root);
}

void
rt_usage_error (const char *cmd, const char *fmt, ...)
{
  cleanup_free char *msg = NULL, *clean = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  /* the arguments quoted in MSG are the user's: no control character reaches stderr */
  clean = rt_escape_controls (msg ? msg : fmt);
  if (cmd != NULL)
    fprintf (stderr, "rt: %s: %s\nRun 'rt %s --help' for usage.\n", cmd, clean ? clean : fmt, cmd);
  else
    fprintf (stderr, "rt: %s\nRun 'rt --help' for usage.\n", clean ? clean : fmt);
  exit (EXIT_FAILURE);
}

/* Go's flag package names a flag without its dashes or value, after one dash. */
static const char *
flag_name (const char *arg, char *buf, size_t len)
{
  arg += arg[0] == '-' ? (arg[1] == '-' ? 2 : 1) : 0;
  snprintf (buf, len, "%.*s", (int) strcspn (arg, "="), arg);
  return buf;
}

/* getopt's '?' (an unknown flag) or ':' (a flag without its value), in Go's flag package's
   words, for the global flags (CMD NULL) or a command's.  PREV is optind before the flag:
   getopt has moved past it (and past its value). */
static void __attribute__ ((noreturn))
flag_error (const char *cmd, int c, int argc, char **argv, int prev)
{
  char name[128];

  flag_name (argv[prev < argc ? prev : argc - 1], name, sizeof name);
  if (c == ':')
    rt_usage_error (cmd, "flag needs an argument: -%s", name);
  rt_usage_error (cmd, "flag provided but not defined: -%s", name);
}

/* urfave/cli's argIsFlag: one of the command's flags, by a long or a short name. */
static bool
arg_is_flag (const char *arg, const char *shortopts, const struct option *longopts)
{
  char name[128];

  if (arg[0] != '-' || strcmp (arg, "-") == 0 || strcmp (arg, "--") == 0)
    return false;
  flag_name (arg, name, sizeof name);
  if (strlen (name) == 1 && name[0] != ':' && strchr (shortopts, name[0]) != NULL)
    return true;
  for (const struct option *o = longopts; o->name != NULL; o++)
    if (strcmp (o->name, name) == 0)
      return true;
  return false;
}

/* urfave/cli 1.22's reorderArgs, which runc relies on: the command's flags (each with the
   word after it, unless it has "=" or is a flag itself) move before the other arguments; a
   "--" ends this and goes first among them.  So `rt update ID --pids-limit 5` works as in
   runc (and `kill ID --all KILL` reads as runc reads it: --all, then KILL as the id). */
static void
reorder_args (int argc, char **argv, const char *shortopts, const struct option *longopts)
{
  cleanup_free char **flags = xmalloc (sizeof (char *) * (size_t) argc);
  cleanup_free char **rest = xmalloc (sizeof (char *) * (size_t) argc);
  int nf = 0, nr = 0, i;
  bool value_next = false;

  for (i = 1; i < argc; i++)
    {
      bool is_flag = arg_is_flag (argv[i], shortopts, longopts);

      if (value_next && !is_flag)
        {
          value_next = false;
          flags[nf++] = argv[i];
        }
      else if (strcmp (argv[i], "--") == 0)
        break;
      else if (is_flag)
        {
          flags[nf++] = argv[i];
          value_next = strchr (argv[i], '=') == NULL;
        }
      else
        rest[nr++] = argv[i];
    }
  if (i < argc) /* "--", then what was before it, then what follows it */
    {
      memmove (rest + 1, rest, sizeof (char *) * (size_t) nr);
      rest[0] = argv[i++];
      nr++;
      for (; i < argc; i++)
        rest[nr++] = argv[i];
    }
  memcpy (argv + 1, flags, sizeof (char *) * (size_t) nf);
  memcpy (argv + 1 + nf, rest, sizeof (char *) * (size_t) nr);
}

int
rt_getopt (int argc, char **argv, const char *usage, const char *shortopts,
           const struct option *longopts)
{
  cleanup_free char *opts = xasprintf ("+:%s", shortopts);
  int prev = optind == 0 ? 1 : optind;
  int c;

  if (optind == 0 && rt_global.reorder_args)
    reorder_args (argc, argv, shortopts, longopts);
  opterr = 0;
  c = getopt_long_only (argc, argv, opts, longopts, NULL);
  if (c == '?' || c == ':')
    flag_error (argv[0], c, argc, argv, prev);
  if (c == 'h') /* urfave/cli: the command's help, status 0, nothing else done */
    {
      fputs (usage, stdout);
      exit (EXIT_SUCCESS);
    }
  return c;
}

void
rt_no_flags (int argc, char **argv, const char *usage)
{
  static const struct option help_only[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };

  while (rt_getopt (argc, argv, usage, "h", help_only) != -1)
    ;
}

void
rt_check_args (const char *cmd, int n, int min, int max)
{
  if (n >= min && (max < 0 || n <= max))
    return;
  if (min == max)
    rt_usage_error (cmd, "\"%s\" requires exactly %d argument(s)", cmd, min);
  if (n < min)
    rt_usage_error (cmd, "\"%s\" requires a minimum of %d argument(s)", cmd, min);
  rt_usage_error (cmd, "\"%s\" requires a maximum of %d argument(s)", cmd, max);
}

const char *
rt_arg_id (int argc, char **argv)
{
  rt_check_args (argv[0], argc - optind, 1, 1);
  return argv[optind];
}

int
rt_flag_preserve_fds (const char *cmd, const char *value)
{
  unsigned long n;

  /* stdio + N descriptors must still be counted in an int */
  if (parse_ulong (value, &n) < 0 || n > INT_MAX - 3)
    rt_usage_error (cmd, "invalid --preserve-fds \"%s\"", value);
  return (int) n;
}

static const struct command *
find_command (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* urfave/cli's answer to an unknown command or help topic, with its exit status 3. */
static void __attribute__ ((noreturn)) no_help_topic (const char *name)
{
  fprintf (stderr, "rt: No help topic for '%s'\n", name);
  exit (3);
}

/* rt help [COMMAND] */
static int
help (int argc, char **argv)
{
  const struct command *cmd;
  char *sub[] = { NULL, (char *) "--help", NULL };

  if (argc < 2)
    {
      usage ();
      return 0;
    }
  cmd = find_command (argv[1]);
  if (cmd == NULL)
    no_help_topic (argv[1]);
  sub[0] = argv[1];
  optind = 0;
  return cmd->run (2, sub);
}

char *
rt_abspath (const char *path)
{
  cleanup_free char *cwd = NULL;

  if (path[0] == '/' || (cwd = getcwd (NULL, 0)) == NULL)
    return xstrdup (path);
  return xasprintf ("%s/%s", cwd, path);
}

enum
{
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD_CGROUP,
  OPT_CRIU,
};

static void
parse_global (int argc, char **argv)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, OPT_ROOT },
    { "log", required_argument, NULL, OPT_LOG },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
    { "criu", required_argument, NULL, OPT_CRIU },
    { "version", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c, prev = 1;

  opterr = 0;
  while ((c = getopt_long_only (argc, argv, "+:vh", opts, NULL)) != -1)
    {
      switch (c)
        {
          case OPT_ROOT:
            rt_global.root = rt_abspath (optarg);
            break;
          case OPT_LOG:
            rt_global.log_path = rt_abspath (optarg);
            break;
          case OPT_LOG_FORMAT:
            if (strcmp (optarg, "json") != 0 && strcmp (optarg, "text") != 0)
              rt_usage_error (NULL, "unknown log format \"%s\" (text or json)", optarg);
            rt_global.log_json = strcmp (optarg, "json") == 0;
            break;
          case OPT_DEBUG:
            rt_global.debug = true;
            rt_trace_mark ("rt started, --debug parsed");
            break;
          case OPT_CRIU:
            rt_global.criu = optarg;
            break;
          case OPT_SYSTEMD_CGROUP:
            rt_global.systemd_cgroup = true;
            break;
          case 'v':
            printf ("rt version %s\ncommit: %s\nspec: %s\n", RT_VERSION, RT_COMMIT,
                    RT_SPEC_VERSION);
            exit (EXIT_SUCCESS);
          case 'h':
            usage ();
            exit (EXIT_SUCCESS);
          default: /* '?' or ':' */
            flag_error (NULL, c, argc, argv, prev);
        }
      prev = optind;
    }
}

int
main (int argc, char **argv)
{
  const struct command *cmd;
  const char *xdg = getenv ("XDG_RUNTIME_DIR");

  rt_global.argv0 = argv[0];
  /* runc: a non-root user keeps its state in $XDG_RUNTIME_DIR/runc; --root still wins */
  if (geteuid () != 0 && xdg && *xdg)
    {
      cleanup_free char *dir = rt_abspath (xdg);
      rt_global.root = xasprintf ("%s/rt", dir);
    }
  parse_global (argc, argv);
  if (optind >= argc)
    {
      usage ();
      return EXIT_SUCCESS;
    }
  argc -= optind;
  argv += optind;
  optind = 0; /* full re-initialisation of getopt for the command's flags */
  if (strcmp (argv[0], "help") == 0 || strcmp (argv[0], "h") == 0)
    return help (argc, argv);
  cmd = find_command (argv[0]);
  if (cmd == NULL)
    no_help_topic (argv[0]);
  rt_global.reorder_args = !cmd->keep_order;
  rt_log (RT_LOG_DEBUG, "rt %s: root %s", cmd->name, rt_global.root);
  return cmd->run (argc, argv);
}
