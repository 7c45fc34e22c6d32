/* rt kill [--all] ID [SIGNAL] */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[]
    = "NAME:\n"
      "   rt kill - kill sends the specified signal (default: SIGTERM) to the container's init "
      "process\n"
      "\n"
      "USAGE:\n"
      "   rt kill [command options] <container-id> [signal]\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container and\n"
      "\"[signal]\" is the signal to be sent to the init process.\n"
      "\n"
      "EXAMPLE:\n"
      "For example, if the container id is \"ubuntu01\" the following will send a \"KILL\"\n"
      "signal to the init process of the \"ubuntu01\" container:\n"
      "\n"
      "       # rt kill ubuntu01 KILL\n"
      "\n"
      "OPTIONS:\n"
      "   --all, -a   send the specified signal to all processes inside the container\n"
      "   --help, -h  show help\n";

static const struct option opts[] = {
  { "all", no_argument, NULL, 'a' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* Every process in the container's cgroup. */
static int
kill_all (struct rt_container *c, int sig, rt_error_t *err)
{
  cleanup_cgroup struct rt_cgroup *cg = NULL;

  if (c->cgroup_path == NULL)
    return rt_error (err, 0, "container has no cgroup: cannot signal all its processes");
  if (rt_cgroup_new (c->cgroup_path, c->id, &cg, err) < 0)
    return -1;
  return cg->ops->kill (cg, sig, err);
}

/* Only a live init: the start time check in the status guards against pid reuse. */
static int
kill_init (struct rt_container *c, int sig, rt_error_t *err)
{
  enum rt_status status = rt_container_status (c);
  cleanup_close int pidfd = -1;

  if (status != RT_STATUS_CREATED && status != RT_STATUS_RUNNING && status != RT_STATUS_PAUSED)
    return rt_error (err, 0, "container not running");
  if (rt_container_pidfd (c, &pidfd, err) < 0)
    return -1;
  if (rt_pidfd_signal (pidfd, sig, err) < 0)
    return rt_error_wrap (err, "unable to signal init");
  /* a v1-frozen task only dies once thawed; other signals wait for resume */
  if (status == RT_STATUS_PAUSED && sig == SIGKILL && c->cgroup_path != NULL)
    {
      cleanup_cgroup struct rt_cgroup *cg = NULL;
      cleanup_error rt_error_t ignored = NULL; /* the signal is sent: thawing is a bonus */
      if (rt_cgroup_new (c->cgroup_path, c->id, &cg, &ignored) == 0)
        cg->ops->freeze (cg, false, &ignored);
    }
  return 0;
}

int
rt_cmd_kill (int argc, char **argv)
{
  cleanup_container struct rt_container *c = NULL;
  rt_error_t err = NULL;
  const char *id, *name;
  bool all = false;
  int opt, sig;

  while ((opt = rt_getopt (argc, argv, usage, "ah", opts)) != -1)
    if (opt == 'a')
      all = true;
  rt_check_args (argv[0], argc - optind, 1, 2);
  id = argv[optind];
  name = optind + 1 < argc ? argv[optind + 1] : "SIGTERM";
  if (rt_state_load (id, &c, &err) < 0)
    rt_log_error_exit ("kill", id, err);
  sig = strcmp (name, "0") == 0 ? 0 : signal_parse (name); /* 0: is init alive? */
  if (sig < 0)
    {
      rt_error (&err, 0, "unknown signal \"%s\"", name);
      rt_log_error_exit ("kill", id, err);
    }
  if ((all ? kill_all (c, sig, &err) : kill_init (c, sig, &err)) < 0)
    rt_log_error_exit ("kill", id, err);
  return 0;
}
