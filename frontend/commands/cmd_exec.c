/* rt exec [flags] ID COMMAND [ARGS...]: run a process in a running container */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[]
    = "NAME:\n"
      "   rt exec - execute new process inside the container\n"
      "\n"
      "USAGE:\n"
      "   rt exec [command options] <container-id> <command> [command options]  || -p "
      "process.json <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container and\n"
      "\"<command>\" is the command to be executed in the container.\n"
      "\"<command>\" can't be empty unless a \"-p\" flag provided.\n"
      "\n"
      "EXAMPLE:\n"
      "For example, if the container is configured to run the linux ps command the\n"
      "following will output a list of processes running in the container:\n"
      "\n"
      "       # rt exec <container-id> ps\n"
      "\n"
      "OPTIONS:\n"
      "   --console-socket value        path to an AF_UNIX socket which will receive a file "
      "descriptor referencing the master end of the console's pseudoterminal\n"
      "   --cwd value                   current working directory in the container\n"
      "   --env value, -e value         set environment variables\n"
      "   --tty, -t                     allocate a pseudo-TTY\n"
      "   --user value, -u value        UID (format: <uid>[:<gid>])\n"
      "   --additional-gids value, -g value  additional gids\n"
      "   --process value, -p value     path to the process.json\n"
      "   --detach, -d                  detach from the container's process\n"
      "   --pid-file value              specify the file to write the process id to\n"
      "   --process-label value         set the asm process label for the process commonly "
      "used with selinux\n"
      "   --apparmor value              set the apparmor profile for the process\n"
      "   --no-new-privs                set the no new privileges value for the process\n"
      "   --cap value, -c value         add a capability to the bounding set for the process\n"
      "   --preserve-fds value          Pass N additional file descriptors to the container "
      "(stdio + N in total) (default: 0)\n"
      "   --cgroup value                run the process in an (existing) sub-cgroup(s). "
      "Format is [<controller>:]<cgroup>.\n"
      "   --ignore-paused               allow exec in a paused container\n"
      "   --help, -h                    show help\n";

enum
{
  OPT_CONSOLE_SOCKET = 256,
  OPT_CWD,
  OPT_PID_FILE,
  OPT_PROCESS_LABEL,
  OPT_APPARMOR,
  OPT_NO_NEW_PRIVS,
  OPT_PRESERVE_FDS,
  OPT_IGNORE_PAUSED,
  OPT_CGROUP,
};

static const struct option opts[] = {
  { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
  { "cwd", required_argument, NULL, OPT_CWD },
  { "env", required_argument, NULL, 'e' },
  { "tty", no_argument, NULL, 't' },
  { "user", required_argument, NULL, 'u' },
  { "additional-gids", required_argument, NULL, 'g' },
  { "process", required_argument, NULL, 'p' },
  { "detach", no_argument, NULL, 'd' },
  { "pid-file", required_argument, NULL, OPT_PID_FILE },
  { "process-label", required_argument, NULL, OPT_PROCESS_LABEL },
  { "apparmor", required_argument, NULL, OPT_APPARMOR },
  { "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
  { "cap", required_argument, NULL, 'c' },
  { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
  { "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
  { "cgroup", required_argument, NULL, OPT_CGROUP },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

static void
push (char ***v, size_t *n, char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (char *));
  (*v)[(*n)++] = s;
  (*v)[*n] = NULL;
}

/* -g 10 -g 11 or -g 10,11.  A number out of range is kept as UINT32_MAX, which exec
   refuses with runc's message (and status) once it knows the container. */
static void
push_gids (const char *cmd, struct rt_exec_opts *o, const char *arg)
{
  cleanup_free char *copy = xstrdup (arg);
  char *tok, *rest = copy;
  uint32_t g;

  while ((tok = strsep (&rest, ",")) != NULL)
    {
      int r = parse_user_id (tok, &g);
      if (r == -EINVAL)
        rt_usage_error (cmd, "invalid --additional-gids \"%s\"", arg);
      o->additional_gids
          = xrealloc (o->additional_gids, (o->n_additional_gids + 1) * sizeof (uint32_t));
      o->additional_gids[o->n_additional_gids++] = r < 0 ? UINT32_MAX : g;
    }
}

int
rt_cmd_exec (int argc, char **argv)
{
  struct rt_exec_opts o = { 0 };
  cleanup_free char *pid_file = NULL, *console = NULL, *process = NULL;
  rt_error_t err = NULL;
  int c, status = 0;

  while ((c = rt_getopt (argc, argv, usage, "e:tu:g:p:dc:h", opts)) != -1)
    switch (c)
      {
        case OPT_CONSOLE_SOCKET:
          o.console_socket = console = rt_abspath (optarg);
          break;
        case OPT_CWD:
          o.cwd = optarg;
          break;
        case 'e':
          push (&o.env, &o.n_env, optarg);
          break;
        case 't':
          o.tty = true;
          break;
        case 'u':
          o.user = optarg;
          break;
        case 'g':
          push_gids (argv[0], &o, optarg);
          break;
        case 'p':
          o.process_file = process = rt_abspath (optarg);
          break;
        case 'd':
          o.detach = true;
          break;
        case OPT_PID_FILE:
          o.pid_file = pid_file = rt_abspath (optarg);
          break;
        case OPT_PROCESS_LABEL:
          o.process_label = optarg;
          break;
        case OPT_APPARMOR:
          o.apparmor = optarg;
          break;
        case OPT_NO_NEW_PRIVS:
          o.no_new_privs = true;
          break;
        case 'c':
          push (&o.caps, &o.n_caps, optarg);
          break;
        case OPT_PRESERVE_FDS:
          o.preserve_fds = rt_flag_preserve_fds (argv[0], optarg);
          break;
        case OPT_IGNORE_PAUSED:
          o.ignore_paused = true;
          break;
        case OPT_CGROUP:
          push (&o.cgroups, &o.n_cgroups, optarg);
          break;
      }
  rt_check_args (argv[0], argc - optind, o.process_file ? 1 : 2, o.process_file ? 1 : INT_MAX);
  o.id = argv[optind];
  o.args = argv + optind + 1;
  o.n_args = argc - optind - 1;
  /* runc exits 255 when exec itself fails (fatalWithCode), so that a caller can tell
     that from the process's own status */
  if (rt_container_exec (&o, &status, &err) < 0)
    rt_log_error_exit_status ("exec", o.id, err, 255);
  free (o.env);
  free (o.caps);
  free (o.cgroups);
  free (o.additional_gids);
  return o.detach ? 0 : status;
}
