/* rt_container_delete, after runc 1.1's delete: a stopped container is destroyed, a
   created one is killed first (its init only waits on exec.fifo), a running or paused
   one only with force. */
#define _GNU_SOURCE
#include "rt.h"
#include "linux_fields.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

/* runc waits up to 10s for init to die after SIGKILL.  The pidfd, taken once the init's
   identity is checked, signals that process only, and becomes readable when it exits. */
static int
kill_init (struct rt_container *c, struct rt_cgroup *cg, rt_error_t *err)
{
  cleanup_close int pidfd = -1;
  struct pollfd p;
  int r;

  if (rt_container_pidfd (c, &pidfd, err) < 0)
    {
      if ((*err)->status != ESRCH)
        return -1;
      rt_error_free (err); /* gone already */
      return 0;
    }
  if (rt_pidfd_signal (pidfd, SIGKILL, err) < 0 && (*err)->status != ESRCH)
    return rt_error_wrap (err, "kill init %d", c->pid);
  rt_error_free (err); /* ESRCH: gone already */
  /* SIGKILL does not reach a v1-frozen task until it is thawed */
  if (cg != NULL && c->paused)
    {
      cleanup_error rt_error_t terr = NULL;
      if (cg->ops->freeze (cg, false, &terr) < 0)
        rt_log (RT_LOG_WARN, "thaw: %s", terr->msg);
    }
  p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
  while ((r = poll (&p, 1, 10 * 1000)) < 0 && errno == EINTR)
    ;
  if (r > 0)
    return 0;
  return rt_error (err, 0, "container init %d still running 10s after SIGKILL", c->pid);
}

/* With a private pid namespace init's death takes every process along; otherwise (host
   pid namespace, or a joined one) the rest are found through the cgroup, like runc.
   A create that died before it knew the init ("creating", pid 0) left its stages and
   init in the cgroup: they are found there too. */
static bool
owns_pid_namespace (const struct rt_spec *spec)
{
  const struct rt_namespace *ns;

  if (spec == NULL || !spec->has_linux)
    return false;
  ns = rt_linux_namespace (&spec->linux_, CLONE_NEWPID);
  return ns != NULL && ns->path == NULL;
}

static void
kill_rest (struct rt_container *c, struct rt_cgroup *cg)
{
  cleanup_error rt_error_t kerr = NULL;

  if (cg == NULL || (c->pid > 0 && owns_pid_namespace (c->spec)))
    return;
  if (cg->ops->kill (cg, SIGKILL, &kerr) < 0)
    rt_log (RT_LOG_WARN, "kill the container's processes: %s", kerr->msg);
}

/* Like runc, a cgroup that cannot be removed (still busy, say, because another
   container shares it) does not keep the container around: the state goes, poststop
   runs, and the error is reported. */
static int
destroy (struct rt_container *c, struct rt_cgroup *cg, rt_error_t *err)
{
  cleanup_free char *state = NULL;
  cleanup_error rt_error_t later = NULL; /* after the first, which is reported */
  int ret = 0;

  kill_rest (c, cg);
  /* the hooks see the container as it was: stopped, with its bundle and annotations */
  state = rt_container_state_json (c, false);
  if (cg != NULL && cg->ops->destroy (cg, err) < 0)
    {
      /* processes that were there before the container (runc warned at create): runc
         logs the cgroup it cannot remove and goes on */
      if ((*err)->status == EBUSY)
        {
          rt_log (RT_LOG_WARN, "remove cgroup: %s", (*err)->msg);
          rt_error_free (err); /* logged, as runc */
        }
      else
        ret = rt_error_wrap (err, "remove cgroup");
    }
  rt_intel_rdt_remove (c->spec, c->id);
  if (rt_state_remove (c->id, ret < 0 ? &later : err) < 0)
    ret = -1;
  rt_hooks_run_all (c->spec, RT_HOOK_POSTSTOP, state);
  return ret;
}

/* A poststart hook failed (runtime.md lifecycle step 9): kill every process and wait for
   the init, leaving a stopped container whose delete runs the poststop hooks. */
int
rt_container_stop (struct rt_container *c, rt_error_t *err)
{
  cleanup_cgroup struct rt_cgroup *cg = NULL;

  if (c->cgroup_path != NULL && rt_cgroup_new (c->cgroup_path, c->id, &cg, err) < 0)
    return -1;
  if (kill_init (c, cg, err) < 0)
    return -1;
  kill_rest (c, cg);
  return 0;
}

int
rt_container_delete (struct rt_container *c, bool force, rt_error_t *err)
{
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  cleanup_error rt_error_t serr = NULL;
  enum rt_status status = rt_container_status (c);

  if (rt_container_spec (c, &serr) < 0)
    rt_log (RT_LOG_WARN, "delete %s: no hooks: %s", c->id, serr->msg);
  if (c->cgroup_path != NULL && rt_cgroup_new (c->cgroup_path, c->id, &cg, err) < 0)
    return -1;
  switch (status)
    {
      case RT_STATUS_STOPPED:
      case RT_STATUS_CREATING:
        break;
      case RT_STATUS_CREATED:
        if (kill_init (c, cg, err) < 0)
          return -1;
        break;
      default:
        if (!force)
          return rt_error (err, 0, "cannot delete container %s that is not stopped: %s", c->id,
                           rt_status_name (status));
        if (kill_init (c, cg, err) < 0)
          return -1;
    }
  return destroy (c, cg, err);
}
