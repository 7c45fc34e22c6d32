/* rt delete [--force] ID */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

static const char usage[]
    = "NAME:\n"
      "   rt delete - delete any resources held by the container often used with detached "
      "container\n"
      "\n"
      "USAGE:\n"
      "   rt delete [command options] <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container.\n"
      "\n"
      "EXAMPLE:\n"
      "For example, if the container id is \"ubuntu01\" and rt list currently shows the\n"
      "status of \"ubuntu01\" as \"stopped\" the following will delete resources held for\n"
      "\"ubuntu01\" removing \"ubuntu01\" from the rt list of containers:\n"
      "\n"
      "       # rt delete ubuntu01\n"
      "\n"
      "OPTIONS:\n"
      "   --force, -f  Forcibly deletes the container if it is still running (uses SIGKILL)\n"
      "   --help, -h   show help\n";

static const struct option opts[] = {
  { "force", no_argument, NULL, 'f' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* No state.json (say, a create that died half way): the directory goes anyway, and
   with --force a missing container is not an error (runc). */
static int
delete_missing (const char *id, bool force, rt_error_t *err)
{
  cleanup_error rt_error_t rerr = NULL;

  if (rt_state_remove (id, &rerr) < 0)
    rt_log (RT_LOG_WARN, "%s", rerr->msg);
  if (force)
    {
      rt_error_free (err); /* --force: a missing container is not an error */
      return 0;
    }
  return -1;
}

int
rt_cmd_delete (int argc, char **argv)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_close int lock = -1;
  rt_error_t err = NULL;
  bool force = false;
  const char *id;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "fh", opts)) != -1)
    if (opt == 'f')
      force = true;
  id = rt_arg_id (argc, argv);
  if (rt_state_lock (id, &lock, &err) < 0 || rt_state_load (id, &c, &err) < 0)
    {
      if (err->status != ENOENT || delete_missing (id, force, &err) < 0)
        rt_log_error_exit ("delete", id, err);
      return 0;
    }
  if (rt_container_delete (c, force, &err) < 0)
    rt_log_error_exit ("delete", id, err);
  return 0;
}
