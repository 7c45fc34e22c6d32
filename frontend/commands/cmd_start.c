/* rt start ID */
#define _GNU_SOURCE
#include "rt.h"

#include <stdio.h>

static const char usage[]
    = "NAME:\n"
      "   rt start - executes the user defined process in a created container\n"
      "\n"
      "USAGE:\n"
      "   rt start <container-id>\n"
      "\n" RT_USAGE_NEW_ID "\n"
      "DESCRIPTION:\n"
      "   The start command executes the user defined process in a created container.\n"
      "\n"
      "OPTIONS:\n"
      "   --help, -h  show help\n";

int
rt_cmd_start (int argc, char **argv)
{
  rt_error_t err = NULL;
  const char *id;

  rt_no_flags (argc, argv, usage);
  id = rt_arg_id (argc, argv);
  if (rt_container_start (id, &err) < 0)
    rt_log_error_exit ("start", id, err);
  return 0;
}
