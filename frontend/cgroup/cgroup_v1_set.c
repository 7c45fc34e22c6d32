/* cgroup v1: linux.resources into each controller's files, the way runc 1.1's fs
   manager writes them (order of writes, read-backs, errors).  A field whose controller
   or file this kernel lacks is an error that names both. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The directory of CONTROLLER, or an error naming what needed it. */
static char *
need_dir (struct rt_cgroup *cg, const char *controller, const char *what, rt_error_t *err)
{
  char *dir = cg_v1_dir (cg, controller, err);
  if (dir == NULL)
    rt_error_wrap (err, "cannot set %s", what);
  return dir;
}

/* For checks: 0 if DIR was found (and frees it), -1 if not. */
static int
free_dir (char *dir)
{
  free (dir);
  return dir ? 0 : -1;
}

/* A file the kernel may not have: say which field needed it. */
static int
need_file (const char *dir, const char *file, const char *field, rt_error_t *err)
{
  if (cg_exists (dir, file))
    return 0;
  return rt_error (err, 0, "%s: this kernel has no %s (in %s)", field, file, dir);
}

/* ---- memory ---- */

static int
set_limit (const char *dir, int64_t v, rt_error_t *err)
{
  uint64_t usage = 0, peak = 0;

  if (cg_write_int (dir, "memory.limit_in_bytes", v, err) == 0)
    return 0;
  if ((*err)->status != EBUSY)
    return -1;
  rt_error_free (err); /* EBUSY: below what the cgroup uses and cannot reclaim */
  if (cg_read_u64 (dir, "memory.usage_in_bytes", UINT64_MAX, &usage, err) < 0
      || cg_read_u64 (dir, "memory.max_usage_in_bytes", UINT64_MAX, &peak, err) < 0)
    return -1;
  return rt_error (err, 0,
                   "unable to set memory limit to %lld (current usage: %llu, peak usage: %llu)",
                   (long long) v, (unsigned long long) usage, (unsigned long long) peak);
}

/* runc's setMemoryAndSwap: memsw must stay >= limit at every step, so the order of the
   two writes depends on where the limit is going. */
static int
set_memory_and_swap (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  int64_t mem = r->memory.has_limit ? r->memory.limit : 0;
  int64_t swap = r->memory.has_swap ? r->memory.swap : 0;
  bool memsw = cg_exists (dir, "memory.memsw.limit_in_bytes");
  uint64_t cur = 0;

  if (mem == -1 && swap == 0 && memsw)
    swap = -1; /* unlimited memory means unlimited swap too */
  if (swap != 0 && !memsw)
    return rt_error (err, 0,
                     "memory.swap: this kernel has no swap accounting "
                     "(memory.memsw.limit_in_bytes)");
  if (mem != 0 && swap != 0)
    {
      if (cg_read_u64 (dir, "memory.limit_in_bytes", UINT64_MAX, &cur, err) < 0)
        return -1;
      if (swap == -1 || cur < (uint64_t) swap)
        {
          if (cg_write_int (dir, "memory.memsw.limit_in_bytes", swap, err) < 0)
            return -1;
          return set_limit (dir, mem, err);
        }
    }
  if (mem != 0 && set_limit (dir, mem, err) < 0)
    return -1;
  if (swap != 0 && cg_write_int (dir, "memory.memsw.limit_in_bytes", swap, err) < 0)
    return -1;
  return 0;
}

/* checkBeforeUpdate: refuse a limit below the current usage instead of letting the
   kernel reclaim (or, on v2, OOM-kill) to get there. */
static int
check_usage (const char *dir, const char *usage_file, const struct rt_resources *r, rt_error_t *err)
{
  uint64_t usage = 0;

  if (!r->memory.check_before_update || !r->memory.has_limit || r->memory.limit <= 0)
    return 0;
  if (cg_read_u64 (dir, usage_file, UINT64_MAX, &usage, err) < 0)
    return -1;
  if (usage >= (uint64_t) r->memory.limit)
    return rt_error (err, 0, "rejecting memory limit %lld below usage %llu",
                     (long long) r->memory.limit, (unsigned long long) usage);
  return 0;
}

static bool
memory_wanted (const struct rt_resources *r)
{
  return r->memory.has_limit || r->memory.has_swap || r->memory.has_reservation
         || r->memory.has_swappiness || r->memory.disable_oom_killer || r->memory.has_use_hierarchy
         || (r->memory.has_kernel_tcp && r->memory.kernel_tcp != 0);
}

static int
set_memory (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL;

  if (rt_cgroup_check_resources (r, false, err) < 0)
    return -1;
  if (!memory_wanted (r))
    return 0;
  if ((dir = need_dir (cg, "memory", "memory limit", err)) == NULL)
    return -1;
  if (check_usage (dir, "memory.usage_in_bytes", r, err) < 0
      || set_memory_and_swap (dir, r, err) < 0)
    return -1;
  if (r->memory.has_reservation && r->memory.reservation != 0
      && cg_write_int (dir, "memory.soft_limit_in_bytes", r->memory.reservation, err) < 0)
    return -1;
  if (r->memory.disable_oom_killer && cg_write (dir, "memory.oom_control", "1", err) < 0)
    return -1;
  /* -1 (as an unsigned 64-bit value) means "leave it" */
  if (r->memory.has_swappiness && r->memory.swappiness != UINT64_MAX)
    {
      if (r->memory.swappiness > 100)
        return rt_error (err, 0, "invalid value:%llu. valid memory swappiness range is 0-100",
                         (unsigned long long) r->memory.swappiness);
      if (cg_write_uint (dir, "memory.swappiness", r->memory.swappiness, err) < 0)
        return -1;
    }
  /* since 5.x the kernel is always hierarchical: writing 0 fails (EINVAL) */
  if (r->memory.has_kernel_tcp && r->memory.kernel_tcp != 0
      && cg_write_int (dir, "memory.kmem.tcp.limit_in_bytes", r->memory.kernel_tcp, err) < 0)
    return rt_error_wrap (err, "memory.kernelTCP");
  if (r->memory.has_use_hierarchy
      && cg_write (dir, "memory.use_hierarchy", r->memory.use_hierarchy ? "1" : "0", err) < 0)
    return rt_error_wrap (err, "memory.useHierarchy");
  return 0;
}

/* ---- cpu, cpuset ---- */

static int
set_shares (const char *dir, uint64_t shares, rt_error_t *err)
{
  uint64_t got = 0;

  if (cg_write_uint (dir, "cpu.shares", shares, err) < 0
      || cg_read_u64 (dir, "cpu.shares", UINT64_MAX, &got, err) < 0)
    return -1;
  if (shares > got)
    return rt_error (err, 0, "the maximum allowed cpu-shares is %llu", (unsigned long long) got);
  if (shares < got)
    return rt_error (err, 0, "the minimum allowed cpu-shares is %llu", (unsigned long long) got);
  return 0;
}

/* A period the kernel refuses (EINVAL: old quota / new period would exceed the parent's)
   is tried again once the quota is in (runc's order). */
static int
set_period_quota (const char *dir, bool has_period, uint64_t period, bool has_quota, int64_t quota,
                  const char *pfile, const char *qfile, rt_error_t *err)
{
  bool retry = false;

  if (has_period && period != 0 && cg_write_uint (dir, pfile, period, err) < 0)
    {
      if ((*err)->status != EINVAL || !has_quota || quota == 0)
        return -1;
      rt_error_free (err); /* tried again after the quota */
      retry = true;
    }
  if (has_quota && quota != 0)
    {
      if (cg_write_int (dir, qfile, quota, err) < 0)
        return -1;
      if (retry && cg_write_uint (dir, pfile, period, err) < 0)
        return -1;
    }
  return 0;
}

static bool
cpu_wanted (const struct rt_resources *r)
{
  return (r->cpu.has_shares && r->cpu.shares != 0) || r->cpu.has_period || r->cpu.has_quota
         || r->cpu.has_burst || r->cpu.has_idle || r->cpu.has_realtime_period
         || r->cpu.has_realtime_runtime;
}

static int
set_cpu (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL;

  if (!cpu_wanted (r))
    return 0;
  if ((dir = need_dir (cg, "cpu", "cpu limit", err)) == NULL)
    return -1;
  /* an idle cgroup refuses cpu.shares: idle goes first (as on v2) */
  if (r->cpu.has_idle
      && (need_file (dir, "cpu.idle", "cpu.idle", err) < 0
          || cg_write_int (dir, "cpu.idle", r->cpu.idle, err) < 0))
    return -1;
  if (r->cpu.has_shares && r->cpu.shares != 0 && set_shares (dir, r->cpu.shares, err) < 0)
    return -1;
  if (set_period_quota (dir, r->cpu.has_period, r->cpu.period, r->cpu.has_quota, r->cpu.quota,
                        "cpu.cfs_period_us", "cpu.cfs_quota_us", err)
      < 0)
    return -1;
  if (r->cpu.has_burst
      && (need_file (dir, "cpu.cfs_burst_us", "cpu.burst", err) < 0
          || cg_write_uint (dir, "cpu.cfs_burst_us", r->cpu.burst, err) < 0))
    return -1;
  if ((r->cpu.has_realtime_period || r->cpu.has_realtime_runtime)
      && need_file (dir, "cpu.rt_runtime_us", "cpu.realtimeRuntime", err) < 0)
    return rt_error_wrap (err, "the kernel lacks CONFIG_RT_GROUP_SCHED");
  return set_period_quota (dir, r->cpu.has_realtime_period, r->cpu.realtime_period,
                           r->cpu.has_realtime_runtime, r->cpu.realtime_runtime, "cpu.rt_period_us",
                           "cpu.rt_runtime_us", err);
}

static int
set_cpuset (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL;

  if (!cg_cpuset_wanted (r))
    return 0;
  if ((dir = need_dir (cg, "cpuset", "cpuset", err)) == NULL)
    return -1;
  return cg_write_cpuset (dir, r, err);
}

/* ---- pids, blkio ---- */

static int
set_pids (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL;
  char buf[32] = "max";

  /* 0 is "unset" for runc; below 0 is "no limit" */
  if (!r->pids.has_limit || r->pids.limit == 0)
    return 0;
  if ((dir = need_dir (cg, "pids", "pids limit", err)) == NULL)
    return -1;
  if (r->pids.limit > 0)
    snprintf (buf, sizeof buf, "%lld", (long long) r->pids.limit);
  return cg_write (dir, "pids.max", buf, err);
}

/* "8:0 500" lines of a weight_device file (LEAF: the leaf weights). */
static int
write_weights (const char *dir, const char *file, const struct rt_blkio_device *d, size_t n,
               bool leaf, rt_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    {
      char buf[96];
      if (!(leaf ? d[i].has_leaf_weight : d[i].has_weight))
        continue;
      snprintf (buf, sizeof buf, "%lld:%lld %u", (long long) d[i].major, (long long) d[i].minor,
                leaf ? d[i].leaf_weight : d[i].weight);
      if (cg_write (dir, file, buf, err) < 0)
        return -1;
    }
  return 0;
}

/* "8:0 1048576" lines of a throttle file. */
static int
write_rates (const char *dir, const char *file, const struct rt_blkio_device *d, size_t n,
             rt_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    {
      char buf[96];
      snprintf (buf, sizeof buf, "%lld:%lld %llu", (long long) d[i].major, (long long) d[i].minor,
                (unsigned long long) d[i].rate);
      if (cg_write (dir, file, buf, err) < 0)
        return -1;
    }
  return 0;
}

static bool
blkio_wanted (const struct rt_resources *r)
{
  return r->blkio.has_weight || r->blkio.has_leaf_weight || r->blkio.n_weight_device
         || r->blkio.n_throttle_read_bps || r->blkio.n_throttle_write_bps
         || r->blkio.n_throttle_read_iops || r->blkio.n_throttle_write_iops;
}

static int
set_throttle (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  const struct
  {
    const char *file;
    const struct rt_blkio_device *d;
    size_t n;
  } t[] = {
    { "blkio.throttle.read_bps_device", r->blkio.throttle_read_bps, r->blkio.n_throttle_read_bps },
    { "blkio.throttle.write_bps_device", r->blkio.throttle_write_bps,
      r->blkio.n_throttle_write_bps },
    { "blkio.throttle.read_iops_device", r->blkio.throttle_read_iops,
      r->blkio.n_throttle_read_iops },
    { "blkio.throttle.write_iops_device", r->blkio.throttle_write_iops,
      r->blkio.n_throttle_write_iops },
  };

  for (size_t i = 0; i < ARRAY_SIZE (t); i++)
    if (write_rates (dir, t[i].file, t[i].d, t[i].n, err) < 0)
      return -1;
  return 0;
}

/* CFQ's blkio.weight went with CFQ (5.0); BFQ's blkio.bfq.weight replaced it. */
static int
set_blkio (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL;
  const char *weight = "blkio.weight", *weight_dev = "blkio.weight_device";

  if (!blkio_wanted (r))
    return 0;
  if ((dir = need_dir (cg, "blkio", "blkio limit", err)) == NULL)
    return -1;
  if (!cg_exists (dir, weight))
    {
      weight = "blkio.bfq.weight";
      weight_dev = "blkio.bfq.weight_device";
    }
  if (r->blkio.has_weight && r->blkio.weight != 0
      && (need_file (dir, weight, "blockIO.weight", err) < 0
          || cg_write_uint (dir, weight, r->blkio.weight, err) < 0))
    return -1;
  if (cg_any_leaf_weight (r) && need_file (dir, "blkio.leaf_weight", "blockIO.leafWeight", err) < 0)
    return rt_error_wrap (err, "leaf weights went with the CFQ scheduler (Linux 5.0)");
  if (r->blkio.has_leaf_weight && r->blkio.leaf_weight != 0
      && cg_write_uint (dir, "blkio.leaf_weight", r->blkio.leaf_weight, err) < 0)
    return -1;
  if (r->blkio.n_weight_device > 0
      && (need_file (dir, weight_dev, "blockIO.weightDevice", err) < 0
          || write_weights (dir, weight_dev, r->blkio.weight_device, r->blkio.n_weight_device,
                            false, err)
                 < 0
          || write_weights (dir, "blkio.leaf_weight_device", r->blkio.weight_device,
                            r->blkio.n_weight_device, true, err)
                 < 0))
    return -1;
  return set_throttle (dir, r, err);
}

/* ---- hugetlb, network, rdma ---- */

static int
check_page_size (const char *size, rt_error_t *err)
{
  cleanup_strv char **sizes = NULL;
  cleanup_free char *list = NULL;

  if (cg_hugepage_size_ok (size))
    return 0;
  sizes = cg_hugepage_sizes ();
  list = xstrdup ("");
  for (size_t i = 0; sizes[i]; i++)
    {
      char *l = xasprintf ("%s%s%s", list, i ? ", " : "", sizes[i]);
      free (list);
      list = l;
    }
  return rt_error (err, 0, "hugepageLimits: page size \"%s\" is not one of this machine's (%s)",
                   size, list);
}

/* On a hybrid host hugetlb may live in the cgroup2 mount only: then the container gets a
   cgroup there too (its processes moved in) and the v2 file names. */
static char *
unified_dir (struct rt_cgroup *cg, const char *mnt, rt_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  cleanup_cgroup struct rt_cgroup *v2 = cg_new_v2 (mnt, cg->path);
  cleanup_free char *dir = NULL;
  size_t n = 0;

  if (v2->ops->apply (v2, 0, err) < 0 || cg->ops->pids (cg, &pids, &n, err) < 0)
    return NULL;
  dir = cg_v2_dir (v2);
  for (size_t i = 0; i < n; i++)
    {
      if (cg_add_pid (dir, pids[i], err) == 0)
        continue;
      if ((*err)->status != ESRCH)
        return NULL;
      rt_error_free (err); /* gone meanwhile is fine */
    }
  return take_ptr (&dir);
}

static int
set_hugetlb (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_free char *dir = NULL, *mnt = NULL;
  const char *suffix = "limit_in_bytes";

  if (r->n_hugepage_limits == 0)
    return 0;
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    if (check_page_size (r->hugepage_limits[i].page_size, err) < 0)
      return -1;
  dir = cg_v1_dir (cg, "hugetlb", err);
  if (dir == NULL)
    {
      rt_error_free (err); /* no v1 hugetlb: cgroup2 may have it (this machine) */
      if ((mnt = cg_v1_unified_for ("hugetlb")) == NULL)
        return rt_error (err, 0,
                         "cannot set hugepageLimits: the hugetlb controller is neither mounted "
                         "as cgroup v1 nor delegated by the cgroup2 root");
      if ((dir = unified_dir (cg, mnt, err)) == NULL)
        return -1;
      suffix = "max";
    }
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      cleanup_free char *file
          = xasprintf ("hugetlb.%s.%s", r->hugepage_limits[i].page_size, suffix);
      if (cg_write_uint (dir, file, r->hugepage_limits[i].limit, err) < 0)
        return -1;
    }
  return 0;
}

static int
set_network (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  if (r->network.has_class_id && r->network.class_id != 0)
    {
      cleanup_free char *dir = need_dir (cg, "net_cls", "network.classID", err);
      if (dir == NULL || cg_write_uint (dir, "net_cls.classid", r->network.class_id, err) < 0)
        return -1;
    }
  if (r->network.n_priorities > 0)
    {
      cleanup_free char *dir = need_dir (cg, "net_prio", "network.priorities", err);
      if (dir == NULL)
        return -1;
      for (size_t i = 0; i < r->network.n_priorities; i++)
        {
          cleanup_free char *line = xasprintf ("%s %u", r->network.priorities[i].name,
                                               r->network.priorities[i].priority);
          if (cg_write (dir, "net_prio.ifpriomap", line, err) < 0)
            return -1;
        }
    }
  return 0;
}

/* rdma.max: "mlx4_0 hca_handle=2 hca_object=2000" (v1 and v2 alike). */
int
cg_write_rdma (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      const struct rt_rdma *e = &r->rdma[i];
      char handles[32] = "", objects[32] = "";
      cleanup_free char *line = NULL;

      if (e->has_hca_handles)
        snprintf (handles, sizeof handles, " hca_handle=%u", e->hca_handles);
      if (e->has_hca_objects)
        snprintf (objects, sizeof objects, " hca_object=%u", e->hca_objects);
      line = xasprintf ("%s%s%s", e->device, handles, objects);
      if (cg_write (dir, "rdma.max", line, err) < 0)
        return -1;
    }
  return 0;
}

/* ---- devices ---- */

/* The default first ("a" resets the list), then the exceptions. */
static int
set_devices (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  struct cg_dev_state s = { 0 };
  cleanup_free char *dir = NULL;
  int ret = 0;

  if (cg->update)
    return 0; /* like runc's update: device rules stay as created */
  if (cg_dev_state_for (r, &s, err) < 0)
    return -1;
  dir = need_dir (cg, "devices", "device rules", err);
  if (dir == NULL
      || cg_write (dir, s.default_allow ? "devices.allow" : "devices.deny", "a", err) < 0)
    ret = -1;
  for (size_t i = 0; ret == 0 && i < s.n_rules; i++)
    {
      char rule[64];
      cg_dev_rule_string (&s.rules[i], rule, sizeof rule);
      ret = cg_write (dir, s.rules[i].allow ? "devices.allow" : "devices.deny", rule, err);
    }
  cg_dev_state_clear (&s);
  return ret;
}

int
cg_v1_set (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  static const struct rt_resources none;

  if (r == NULL)
    r = &none;
  if (r->n_unified > 0)
    return rt_error (err, 0, "invalid configuration: cannot use unified on cgroup v1");
  if (set_cpuset (cg, r, err) < 0 || set_devices (cg, r, err) < 0 || set_memory (cg, r, err) < 0
      || set_cpu (cg, r, err) < 0 || set_pids (cg, r, err) < 0 || set_blkio (cg, r, err) < 0
      || set_hugetlb (cg, r, err) < 0 || set_network (cg, r, err) < 0)
    return -1;
  if (r->n_rdma > 0)
    {
      cleanup_free char *dir = need_dir (cg, "rdma", "rdma limit", err);
      if (dir == NULL || cg_write_rdma (dir, r, err) < 0)
        return -1;
    }
  return 0;
}

/* What a v1 host may lack, known before anything is made: a controller that is not
   mounted, a file the kernel no longer has (blkio.leaf_weight went with CFQ), a huge page
   size it does not have.  The root cgroup stands in for the container's. */
int
cg_v1_check (const struct rt_resources *r, rt_error_t *err)
{
  struct rt_cgroup root = { .path = "/" };
  cleanup_free char *blkio = NULL;

  if (r->n_unified > 0) /* runc's words */
    return rt_error (err, 0, "invalid configuration: cannot use unified on cgroup v1");
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    if (check_page_size (r->hugepage_limits[i].page_size, err) < 0)
      return -1;
  if (r->network.has_class_id && r->network.class_id != 0
      && free_dir (need_dir (&root, "net_cls", "network.classID", err)) < 0)
    return -1;
  if (r->network.n_priorities > 0
      && free_dir (need_dir (&root, "net_prio", "network.priorities", err)) < 0)
    return -1;
  if (r->n_rdma > 0 && free_dir (need_dir (&root, "rdma", "rdma limit", err)) < 0)
    return -1;
  if (cg_any_leaf_weight (r)
      && (blkio = need_dir (&root, "blkio", "blockIO.leafWeight", err)) == NULL)
    return -1;
  if (blkio && need_file (blkio, "blkio.leaf_weight", "blockIO.leafWeight", err) < 0)
    return rt_error_wrap (err, "leaf weights went with the CFQ scheduler (Linux 5.0)");
  return 0;
}
