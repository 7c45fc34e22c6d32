/* cgroup v2: linux.resources into the unified directory, the way runc 1.1's fs2 manager
   converts and writes them.  Fields that only v1 has are ignored with a warning (runc
   ignores them silently); a field whose controller the cgroup lacks is an error. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Is CONTROLLER in DIR/cgroup.controllers (enabled by the parent for this cgroup)? */
static int
need_controller (const char *dir, const char *controller, const char *field, rt_error_t *err)
{
  cleanup_free char *have = NULL;
  char *save = NULL;

  if (cg_read (dir, "cgroup.controllers", &have, err) < 0)
    return -1;
  for (char *c = strtok_r (have, " ", &save); c; c = strtok_r (NULL, " ", &save))
    if (strcmp (c, controller) == 0)
      return 0;
  return rt_error (err, 0, "%s: the %s controller is not available in cgroup %s", field, controller,
                   dir);
}

/* -1 (or below) is "max". */
static int
write_max (const char *dir, const char *file, int64_t v, rt_error_t *err)
{
  return v < 0 ? cg_write (dir, file, "max", err) : cg_write_int (dir, file, v, err);
}

/* The fields cgroup v2 has no file for are refused when they ask for something (runc 1.1
   warns and ignores them).  The values that ask for nothing pass: the spec's own example
   has disableOOMKiller false and kernelTCP -1; v2 is always hierarchical. */
int
cg_v2_check_v1_only (const struct rt_resources *r, rt_error_t *err)
{
  const char *f = NULL;

  if (r->memory.has_swappiness && r->memory.swappiness != UINT64_MAX)
    f = "memory.swappiness";
  else if (r->memory.disable_oom_killer)
    f = "memory.disableOOMKiller";
  else if (r->memory.has_use_hierarchy && !r->memory.use_hierarchy)
    f = "memory.useHierarchy";
  else if (r->memory.has_kernel_tcp && r->memory.kernel_tcp > 0)
    f = "memory.kernelTCP";
  else if (r->cpu.has_realtime_period || r->cpu.has_realtime_runtime)
    f = "cpu.realtimePeriod/realtimeRuntime";
  else if (cg_any_leaf_weight (r))
    f = "blockIO.leafWeight";
  else if ((r->network.has_class_id && r->network.class_id != 0) || r->network.n_priorities > 0)
    f = "network (net_cls, net_prio)";
  if (f != NULL)
    return rt_error (err, 0, "linux.resources.%s: cgroup v2 has no such setting", f);
  return 0;
}

static int
set_memory (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  bool swap_set;
  int64_t swap;
  uint64_t usage = 0;

  if (!r->memory.has_limit && !r->memory.has_swap && !r->memory.has_reservation)
    return 0;
  if (need_controller (dir, "memory", "memory", err) < 0)
    return -1;
  if (r->memory.check_before_update && r->memory.has_limit && r->memory.limit > 0)
    {
      if (cg_read_u64 (dir, "memory.current", UINT64_MAX, &usage, err) < 0)
        return -1;
      if (usage >= (uint64_t) r->memory.limit)
        return rt_error (err, 0, "rejecting memory limit %lld below usage %llu",
                         (long long) r->memory.limit, (unsigned long long) usage);
    }
  if (cg_swap_to_v2 (r, &swap, &swap_set, err) < 0)
    return -1;
  /* without swap accounting, "no swap" and "unlimited swap" are already true */
  if (swap_set && (swap > 0 || cg_exists (dir, "memory.swap.max"))
      && write_max (dir, "memory.swap.max", swap, err) < 0)
    return -1;
  if (r->memory.has_limit && r->memory.limit != 0
      && write_max (dir, "memory.max", r->memory.limit, err) < 0)
    return -1;
  if (r->memory.has_reservation && r->memory.reservation != 0
      && write_max (dir, "memory.low", r->memory.reservation, err) < 0)
    return -1;
  return 0;
}

static int
set_cpu (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  bool weight = r->cpu.has_shares && r->cpu.shares != 0;
  bool max = (r->cpu.has_quota && r->cpu.quota != 0) || (r->cpu.has_period && r->cpu.period != 0);

  if (!weight && !max && !r->cpu.has_burst && !r->cpu.has_idle)
    return 0;
  if (need_controller (dir, "cpu", "cpu", err) < 0)
    return -1;
  if (r->cpu.has_idle && cg_write_int (dir, "cpu.idle", r->cpu.idle, err) < 0)
    return -1;
  if (weight && cg_write_uint (dir, "cpu.weight", cg_shares_to_weight (r->cpu.shares), err) < 0)
    return -1;
  if (r->cpu.has_burst && cg_write_uint (dir, "cpu.max.burst", r->cpu.burst, err) < 0)
    return -1;
  if (max)
    {
      char buf[64] = "max";
      size_t n = 3;
      if (r->cpu.has_quota && r->cpu.quota > 0)
        n = (size_t) snprintf (buf, sizeof buf, "%lld", (long long) r->cpu.quota);
      if (r->cpu.has_period && r->cpu.period != 0)
        snprintf (buf + n, sizeof buf - n, " %llu", (unsigned long long) r->cpu.period);
      if (cg_write (dir, "cpu.max", buf, err) < 0)
        return -1;
    }
  return 0;
}

static int
set_cpuset (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  if (!cg_cpuset_wanted (r))
    return 0;
  if (need_controller (dir, "cpuset", "cpu.cpus/mems", err) < 0)
    return -1;
  return cg_write_cpuset (dir, r, err);
}

static int
set_pids (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  if (!r->pids.has_limit || r->pids.limit == 0)
    return 0;
  if (need_controller (dir, "pids", "pids.limit", err) < 0)
    return -1;
  return write_max (dir, "pids.max", r->pids.limit, err);
}

/* io.max "8:0 rbps=1048576" and friends. */
static int
write_io_max (const char *dir, const char *key, const struct rt_blkio_device *d, size_t n,
              rt_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    {
      char buf[96];
      snprintf (buf, sizeof buf, "%lld:%lld %s=%llu", (long long) d[i].major,
                (long long) d[i].minor, key, (unsigned long long) d[i].rate);
      if (cg_write (dir, "io.max", buf, err) < 0)
        return -1;
    }
  return 0;
}

/* BFQ takes v1's weights as they are; io.weight needs them converted. */
static int
set_io (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  bool bfq;

  if (!r->blkio.has_weight && r->blkio.n_weight_device == 0 && r->blkio.n_throttle_read_bps == 0
      && r->blkio.n_throttle_write_bps == 0 && r->blkio.n_throttle_read_iops == 0
      && r->blkio.n_throttle_write_iops == 0)
    return 0;
  if (need_controller (dir, "io", "blockIO", err) < 0)
    return -1;
  bfq = cg_exists (dir, "io.bfq.weight");
  if (r->blkio.has_weight && r->blkio.weight != 0
      && cg_write_uint (dir, bfq ? "io.bfq.weight" : "io.weight",
                        bfq ? r->blkio.weight : cg_blkio_to_io_weight (r->blkio.weight), err)
             < 0)
    return -1;
  for (size_t i = 0; i < r->blkio.n_weight_device; i++)
    {
      const struct rt_blkio_device *d = &r->blkio.weight_device[i];
      char buf[96];
      if (!d->has_weight)
        continue;
      snprintf (buf, sizeof buf, "%lld:%lld %llu", (long long) d->major, (long long) d->minor,
                (unsigned long long) (bfq ? d->weight : cg_blkio_to_io_weight (d->weight)));
      if (cg_write (dir, bfq ? "io.bfq.weight" : "io.weight", buf, err) < 0)
        return -1;
    }
  if (write_io_max (dir, "rbps", r->blkio.throttle_read_bps, r->blkio.n_throttle_read_bps, err) < 0
      || write_io_max (dir, "wbps", r->blkio.throttle_write_bps, r->blkio.n_throttle_write_bps, err)
             < 0
      || write_io_max (dir, "riops", r->blkio.throttle_read_iops, r->blkio.n_throttle_read_iops,
                       err)
             < 0
      || write_io_max (dir, "wiops", r->blkio.throttle_write_iops, r->blkio.n_throttle_write_iops,
                       err)
             < 0)
    return -1;
  return 0;
}

static int
set_hugetlb (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  if (r->n_hugepage_limits == 0)
    return 0;
  if (need_controller (dir, "hugetlb", "hugepageLimits", err) < 0)
    return -1;
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      cleanup_free char *file = xasprintf ("hugetlb.%s.max", r->hugepage_limits[i].page_size);
      if (!cg_hugepage_size_ok (r->hugepage_limits[i].page_size))
        return rt_error (err, 0, "hugepageLimits: no hugepage size \"%s\" on this machine",
                         r->hugepage_limits[i].page_size);
      if (cg_write_uint (dir, file, r->hugepage_limits[i].limit, err) < 0)
        return -1;
    }
  return 0;
}

/* The verifier takes about half a millisecond: at create, prepare loads the program
   while the init sets the container up, and set only attaches it. */
int
cg_v2_prepare (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  struct cg_dev_state s = { 0 };
  int prog;

  if (cg->update || cg->has_dev_prog)
    return 0;
  if (cg_dev_state_for (r, &s, err) < 0)
    return rt_error_wrap (err, "device rules");
  prog = cg_bpf_devices_load (&s, err);
  cg_dev_state_clear (&s);
  if (prog < 0)
    return rt_error_wrap (err, "device rules");
  cg->dev_prog = prog;
  cg->has_dev_prog = true;
  return 0;
}

static int
set_devices (struct rt_cgroup *cg, const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  cleanup_close int fd = -1;
  int ret;

  if (cg->update)
    return 0;
  if (cg_v2_prepare (cg, r, err) < 0)
    return -1;
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    ret = rt_error (err, errno, "open \"%s\"", dir);
  else
    ret = cg_bpf_devices_attach (fd, cg->dev_prog, err);
  close (cg->dev_prog);
  cg->has_dev_prog = false;
  return ret < 0 ? rt_error_wrap (err, "device rules") : 0;
}

/* runc's setUnified: file names only, and a clearer error when the controller is not
   there. */
static int
set_unified (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  for (size_t i = 0; i < r->n_unified; i++)
    {
      const char *key = r->unified[i].key, *dot = strchr (key, '.');
      cleanup_free char *ctrl = NULL;
      int e;

      if (strchr (key, '/') != NULL || strcmp (key, "..") == 0 || strcmp (key, ".") == 0)
        return rt_error (err, 0, "unified resource \"%s\" must be a file name (no slashes)", key);
      if (cg_write (dir, key, r->unified[i].value, err) == 0)
        continue;
      e = (*err)->status;
      if (e != ENOENT && e != EPERM && e != EACCES)
        return rt_error_wrap (err, "unable to set unified resource \"%s\"", key);
      if (dot == NULL)
        return rt_error (err, 0, "unified resource \"%s\" must be in the form CONTROLLER.PARAMETER",
                         key);
      ctrl = strndup (key, (size_t) (dot - key));
      rt_error_free (err); /* a missing controller is the error to report, if it is one */
      if (strcmp (ctrl, "cgroup") != 0 && need_controller (dir, ctrl, "unified", err) < 0)
        return rt_error (err, 0,
                         "unified resource \"%s\" can't be set: controller \"%s\" not available",
                         key, ctrl);
      return rt_error (err, e, "unable to set unified resource \"%s\"", key);
    }
  return 0;
}

int
cg_v2_set (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err)
{
  static const struct rt_resources none;
  cleanup_free char *dir = cg_v2_dir (cg);

  if (r == NULL)
    r = &none;
  if (rt_cgroup_check_resources (r, true, err) < 0)
    return -1;
  if (set_pids (dir, r, err) < 0 || set_memory (dir, r, err) < 0 || set_io (dir, r, err) < 0
      || set_cpu (dir, r, err) < 0 || set_devices (cg, dir, r, err) < 0
      || set_cpuset (dir, r, err) < 0 || set_hugetlb (dir, r, err) < 0)
    return -1;
  if (r->n_rdma > 0
      && (need_controller (dir, "rdma", "rdma", err) < 0 || cg_write_rdma (dir, r, err) < 0))
    return -1;
  return set_unified (dir, r, err);
}
