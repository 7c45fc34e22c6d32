/* rt state ID: the OCI state, pretty-printed like runc's. */
#define _GNU_SOURCE
#include "rt.h"

#include <stdio.h>

static const char usage[] = "NAME:\n"
                            "   rt state - output the state of a container\n"
                            "\n"
                            "USAGE:\n"
                            "   rt state <container-id>\n"
                            "\n"
                            "Where \"<container-id>\" is your name for the instance of the "
                            "container.\n"
                            "\n"
                            "DESCRIPTION:\n"
                            "   The state command outputs current state information for the\n"
                            "instance of a container.\n"
                            "\n"
                            "OPTIONS:\n"
                            "   --help, -h  show help\n";

int
rt_cmd_state (int argc, char **argv)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_free char *json = NULL;
  cleanup_error rt_error_t serr = NULL;
  rt_error_t err = NULL;
  const char *id;

  rt_no_flags (argc, argv, usage);
  id = rt_arg_id (argc, argv);
  if (rt_state_load (id, &c, &err) < 0)
    rt_log_error_exit ("state", id, err);
  /* the annotations come from config.json; without it the rest still holds */
  if (rt_container_spec (c, &serr) < 0)
    rt_log (RT_LOG_DEBUG, "state %s: %s", id, serr->msg);
  json = rt_container_state_json (c, true);
  fputs (json, stdout);
  return 0;
}
