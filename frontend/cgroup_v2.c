/* cgroup v2: one unified directory under /sys/fs/cgroup.  rt never writes the root's
   cgroup.subtree_control (it belongs to the machine): controllers the root does not
   delegate are simply not available to containers. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define V2_MOUNT "/sys/fs/cgroup"

static char *
v2_dir (const struct rt_cgroup *cg)
{
  return xasprintf ("%s%s", V2_MOUNT, cg->path);
}

/* A directory rt just made between the root and the leaf passes every controller it
   has on to its children ("no internal processes": never the leaf). */
static int
enable_controllers (const char *dir, bool created, bool leaf, rt_error_t *err)
{
  cleanup_free char *avail = NULL;
  cleanup_free char *want = NULL;
  cleanup_error rt_error_t werr = NULL;
  char *save = NULL;
  size_t len = 0;

  if (!created || leaf)
    return 0;
  if (cg_read (dir, "cgroup.controllers", &avail, err) < 0)
    return -1;
  want = xmalloc (strlen (avail) * 2 + 2);
  want[0] = '\0';
  for (char *c = strtok_r (avail, " ", &save); c; c = strtok_r (NULL, " ", &save))
    len += sprintf (want + len, "%s+%s", len ? " " : "", c);
  if (len > 0 && cg_write (dir, "cgroup.subtree_control", want, &werr) < 0)
    rt_log (RT_LOG_DEBUG, "enable controllers in %s: %s", dir, werr->msg);
  return 0;
}

static int
v2_apply (struct rt_cgroup *cg, pid_t pid, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);

  if (cg_mkdir (V2_MOUNT, cg->path, enable_controllers, err) < 0)
    return -1;
  return pid > 0 ? cg_add_pid (dir, pid, err) : 0;
}

static int
write_limit (const char *dir, const char *file, long long v, rt_error_t *err)
{
  char buf[32] = "max";
  if (v >= 0)
    snprintf (buf, sizeof buf, "%lld", v);
  if (cg_write (dir, file, buf, err) < 0)
    return -1;
  return 0;
}

/* OCI memory.swap is memory+swap (v1 semantics); v2's memory.swap.max is swap alone
   (runc's ConvertMemorySwapToCgroupV2Value). */
static int
swap_max (const struct rt_resources *r, long long *out, rt_error_t *err)
{
  long long mem = r->memory.has_limit ? r->memory.limit : 0, swap = r->memory.swap;

  if (mem == -1 && swap == 0)
    *out = -1;
  else if (swap == -1 || swap == 0)
    *out = swap;
  else if (mem == 0 || mem == -1)
    return rt_error (err, 0, "unable to set swap limit without memory limit");
  else if (swap < mem)
    return rt_error (err, 0, "memory+swap limit should be >= memory limit");
  else
    *out = swap - mem;
  return 0;
}

static int
v2_set (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);
  long long swap = 0;

  if (r == NULL)
    return 0;
  if (r->memory.has_limit && write_limit (dir, "memory.max", r->memory.limit, err) < 0)
    return rt_error_wrap (err, "set memory limit");
  if (r->memory.has_swap)
    {
      if (swap_max (r, &swap, err) < 0)
        return -1;
      if (swap != 0 && write_limit (dir, "memory.swap.max", swap, err) < 0)
        return rt_error_wrap (err, "set swap limit");
    }
  if (r->pids.has_limit
      && write_limit (dir, "pids.max", r->pids.limit > 0 ? r->pids.limit : -1, err) < 0)
    return rt_error_wrap (err, "set pids limit");
  return 0;
}

static int
v2_frozen (struct rt_cgroup *cg, bool *frozen, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);
  cleanup_free char *val = NULL;

  *frozen = false;
  if (cg_read (dir, "cgroup.freeze", &val, err) < 0)
    return -1;
  *frozen = strcmp (val, "1") == 0;
  return 0;
}

/* cgroup.freeze is a request; cgroup.events says "frozen 1" once every task stopped. */
static int
v2_freeze (struct rt_cgroup *cg, bool frozen, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);
  const char *want = frozen ? "frozen 1" : "frozen 0";
  struct timespec tick = { 0, 1000 * 1000 };

  if (cg_write (dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return rt_error_wrap (err, "%s cgroup", frozen ? "freeze" : "thaw");
  for (int i = 0; i < 2000; i++)
    {
      cleanup_free char *events = NULL;
      char *line;
      if (cg_read (dir, "cgroup.events", &events, err) < 0)
        return -1;
      line = strstr (events, "frozen ");
      if (line != NULL && strncmp (line, want, strlen (want)) == 0)
        return 0;
      nanosleep (&tick, NULL);
    }
  if (frozen)
    cg_write (dir, "cgroup.freeze", "0", err);
  return rt_error (err, 0, "freeze cgroup %s: still not frozen after 2s", cg->path);
}

static int
v2_pids (struct rt_cgroup *cg, pid_t **pids, size_t *n, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);

  *pids = NULL;
  *n = 0;
  return cg_read_pids (dir, pids, n, err);
}

/* SIGKILL through cgroup.kill (5.14+): atomic, no freezing needed. */
static int
v2_kill (struct rt_cgroup *cg, int sig, rt_error_t *err)
{
  cleanup_free char *dir = v2_dir (cg);
  cleanup_free char *file = xasprintf ("%s/cgroup.kill", dir);

  if (sig == SIGKILL && access (file, F_OK) == 0)
    {
      if (cg_write (dir, "cgroup.kill", "1", err) < 0)
        return rt_error_wrap (err, "kill cgroup %s", cg->path);
      return 0;
    }
  if (access (dir, F_OK) < 0 && errno == ENOENT)
    return 0;
  return cg_signal_all (cg, sig, err);
}

static int
v2_destroy (struct rt_cgroup *cg, rt_error_t *err)
{
  return cg_remove (V2_MOUNT, cg->path, err);
}

const struct rt_cgroup_manager rt_cgroup_v2 = {
  .name = "v2",
  .apply = v2_apply,
  .set = v2_set,
  .freeze = v2_freeze,
  .pids = v2_pids,
  .kill = v2_kill,
  .destroy = v2_destroy,
  .frozen = v2_frozen,
};
