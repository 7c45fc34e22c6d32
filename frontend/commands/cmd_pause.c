/* rt pause ID, rt resume ID: the two sides of the freezer, one flow */
#define _GNU_SOURCE
#include "rt.h"

#include <stdio.h>
#include <unistd.h>

static const char pause_usage[]
    = "NAME:\n"
      "   rt pause - pause suspends all processes inside the container\n"
      "\n"
      "USAGE:\n"
      "   rt pause <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container to be\n"
      "paused. \n"
      "\n"
      "DESCRIPTION:\n"
      "   The pause command suspends all processes in the instance of the container.\n"
      "\n"
      "Use rt list to identify instances of containers and their current status.\n"
      "\n"
      "OPTIONS:\n"
      "   --help, -h  show help\n";

static const char resume_usage[]
    = "NAME:\n"
      "   rt resume - resumes all processes that have been previously paused\n"
      "\n"
      "USAGE:\n"
      "   rt resume <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container to be\n"
      "resumed.\n"
      "\n"
      "DESCRIPTION:\n"
      "   The resume command resumes all processes in the instance of the container.\n"
      "\n"
      "Use rt list to identify instances of containers and their current status.\n"
      "\n"
      "OPTIONS:\n"
      "   --help, -h  show help\n";

static int
pause_cmd (int argc, char **argv, const char *usage, bool pause)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_close int lock = -1;
  rt_error_t err = NULL;
  const char *id;

  rt_no_flags (argc, argv, usage);
  id = rt_arg_id (argc, argv);
  if (rt_state_lock (id, &lock, &err) < 0 || rt_state_load (id, &c, &err) < 0
      || rt_container_pause (c, pause, &err) < 0)
    rt_log_error_exit (argv[0], id, err);
  return 0;
}

int
rt_cmd_pause (int argc, char **argv)
{
  return pause_cmd (argc, argv, pause_usage, true);
}

int
rt_cmd_resume (int argc, char **argv)
{
  return pause_cmd (argc, argv, resume_usage, false);
}
