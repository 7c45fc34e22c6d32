/* Pausing and resuming a container: its cgroup frozen or thawed (v1 freezer.state,
   v2 cgroup.freeze), and state.json's "paused" kept in step for `state` and `list`. */
#define _GNU_SOURCE
#include "rt.h"

/* Paused: recorded so, and the cgroup frozen.  (A created container can be paused too,
   as with runc; its exec.fifo is still there.) */
static bool
is_paused (const struct rt_container *c, enum rt_status status, struct rt_cgroup *cg)
{
  cleanup_error rt_error_t err = NULL;
  bool frozen = false;

  if (status == RT_STATUS_PAUSED)
    return true;
  if (status != RT_STATUS_CREATED || !c->paused)
    return false;
  return cg->ops->frozen (cg, &frozen, &err) == 0 && frozen;
}

int
rt_container_pause (struct rt_container *c, bool pause, rt_error_t *err)
{
  enum rt_status status = rt_container_status (c);
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  bool paused;

  if (status == RT_STATUS_STOPPED || status == RT_STATUS_CREATING)
    return rt_error (err, 0, pause ? "container not running" : "container not paused");
  if (rt_container_cgroup (c, &cg, err) < 0)
    return -1;
  paused = is_paused (c, status, cg);
  if (pause && paused)
    return rt_error (err, 0, "container not running");
  if (!pause && !paused)
    return rt_error (err, 0, "container not paused");
  if (cg->ops->freeze (cg, pause, err) < 0)
    return -1;
  c->paused = pause;
  return rt_state_save (c, err);
}
