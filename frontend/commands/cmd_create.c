/* rt create [flags] ID, and rt run [flags] ID: create + start (+ wait); one parser */
#define _GNU_SOURCE
#include "rt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

/* The help texts (runc's) differ only in the command's name and run's three flags. */
#define USAGE_HEAD(cmd)                                                                            \
  "USAGE:\n"                                                                                       \
  "   rt " cmd " [command options] <container-id>\n"                                               \
  "\n" RT_USAGE_NEW_ID "\n"                                                                        \
  "DESCRIPTION:\n"                                                                                 \
  "   The " cmd " command creates an instance of a container for a bundle. The bundle\n"           \
  "is a directory with a specification file named \"config.json\" and a root\n"                    \
  "filesystem.\n"                                                                                  \
  "\n"                                                                                             \
  "OPTIONS:\n"                                                                                     \
  "   --bundle value, -b value  path to the root of the bundle directory, defaults to the "        \
  "current directory\n"

#define USAGE_FLAGS                                                                                \
  "   --console-socket value    path to an AF_UNIX socket which will receive a file "              \
  "descriptor referencing the master end of the console's pseudoterminal\n"                        \
  "   --pid-file value          specify the file to write the process id to\n"                     \
  "   --no-pivot                do not use pivot root to jail process inside rootfs.  This "       \
  "should be used whenever the rootfs is on top of a ramdisk\n"                                    \
  "   --no-new-keyring          do not create a new session keyring for the container.  "          \
  "This will cause the container to inherit the calling processes session key\n"                   \
  "   --preserve-fds value      Pass N additional file descriptors to the container "              \
  "(stdio + N in total) (default: 0)\n"                                                            \
  "   --help, -h                show help\n"

static const char create_usage[] = "NAME:\n"
                                   "   rt create - create a container\n"
                                   "\n" USAGE_HEAD ("create") USAGE_FLAGS;

#define RUN_FLAGS                                                                                  \
  "   --detach, -d              detach from the container's process\n"                             \
  "   --keep                    do not delete the container after it exits\n"                      \
  "   --no-subreaper            accepted for compatibility with runc; does nothing\n"

static const char run_usage[] = "NAME:\n"
                                "   rt run - create and run a container\n"
                                "\n" USAGE_HEAD ("run") RUN_FLAGS USAGE_FLAGS;

enum
{
  OPT_PID_FILE = 256,
  OPT_CONSOLE_SOCKET,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_PRESERVE_FDS,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
};

#define CREATE_OPTIONS                                                                             \
  { "bundle", required_argument, NULL, 'b' },                                                      \
      { "pid-file", required_argument, NULL, OPT_PID_FILE },                                       \
      { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },                           \
      { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },                                             \
      { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },                                 \
      { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },                               \
  {                                                                                                \
    "help", no_argument, NULL, 'h'                                                                 \
  }

static const struct option create_opts[] = {
  CREATE_OPTIONS,
  { NULL, 0, NULL, 0 },
};

static const struct option run_opts[] = {
  CREATE_OPTIONS,
  { "detach", no_argument, NULL, 'd' },
  { "keep", no_argument, NULL, OPT_KEEP },
  { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
  { NULL, 0, NULL, 0 },
};

static int
create_cmd (int argc, char **argv, bool run)
{
  struct rt_create_opts o = { .bundle = ".", .run = run };
  cleanup_free char *bundle = NULL, *pid_file = NULL, *console = NULL;
  rt_error_t err = NULL;
  int c, status = 0;

  while ((c = rt_getopt (argc, argv, run ? run_usage : create_usage, run ? "b:dh" : "b:h",
                         run ? run_opts : create_opts))
         != -1)
    switch (c)
      {
        case 'b':
          o.bundle = optarg;
          break;
        case OPT_PID_FILE:
          o.pid_file = pid_file = rt_abspath (optarg);
          break;
        case OPT_CONSOLE_SOCKET:
          o.console_socket = console = rt_abspath (optarg);
          break;
        case OPT_NO_PIVOT:
          o.no_pivot = true;
          break;
        case OPT_NO_NEW_KEYRING:
          o.no_new_keyring = true;
          break;
        case OPT_PRESERVE_FDS:
          o.preserve_fds = rt_flag_preserve_fds (argv[0], optarg);
          break;
        case 'd':
          o.detach = true;
          break;
        case OPT_KEEP:
          o.keep = true;
          break;
        case OPT_NO_SUBREAPER: /* accepted for runc compatibility */
          break;
      }
  o.id = rt_arg_id (argc, argv);
  if (rt_global.systemd_cgroup) /* refused before anything is made */
    {
      rt_error (&err, 0, "systemd cgroup driver is not supported");
      rt_log_error_exit (argv[0], o.id, err);
    }
  /* the state records the bundle as an absolute path; a missing one is create's error */
  bundle = realpath (o.bundle, NULL);
  o.bundle = bundle != NULL ? bundle : o.bundle;
  if (rt_container_create (&o, &status, &err) < 0)
    rt_log_error_exit (argv[0], o.id, err);
  return run && !o.detach ? status : 0;
}

int
rt_cmd_create (int argc, char **argv)
{
  return create_cmd (argc, argv, false);
}

int
rt_cmd_run (int argc, char **argv)
{
  return create_cmd (argc, argv, true);
}
