/* rt start ID */
#define _GNU_SOURCE
#include "rt.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[]
    = "NAME:\n"
      "   rt start - executes the user defined process in a created container\n"
      "\n"
      "USAGE:\n"
      "   rt start <container-id>\n"
      "\n"
      "Where \"<container-id>\" is your name for the instance of the container that you\n"
      "are starting. The name you provide for the container instance must be unique on\n"
      "your host.\n"
      "\n"
      "DESCRIPTION:\n"
      "   The start command executes the user defined process in a created container.\n"
      "\n"
      "OPTIONS:\n"
      "   --help, -h  show help\n";

static const struct option opts[] = {
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

int
rt_cmd_start (int argc, char **argv)
{
  rt_error_t err = NULL;
  int c;

  while ((c = rt_getopt (argc, argv, "h", opts)) != -1)
    if (c == 'h')
      {
        fputs (usage, stdout);
        return 0;
      }
  rt_check_args (argv[0], argc - optind, 1, 1);
  if (rt_container_start (argv[optind], &err) < 0)
    rt_log_error_exit ("start", argv[optind], err);
  return 0;
}
