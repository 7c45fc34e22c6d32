/* Struct filling for the linux object: namespaces, devices, resources, seccomp, intelRdt.  See
 * spec_internal.h. */
#include "spec_internal.h"

static void
fill_namespaces (struct rt_linux *l, yajl_val v)
{
  yajl_val *items = spec_get_items (v, "namespaces", &l->n_namespaces);

  if (items == NULL)
    return;
  l->namespaces = xcalloc (l->n_namespaces, sizeof *l->namespaces);
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      l->namespaces[i].type = rt_namespace_flag (YAJL_GET_STRING (spec_get (items[i], "type")));
      l->namespaces[i].path = spec_get_str (items[i], "path");
    }
}

static void
fill_devices (struct rt_linux *l, yajl_val v)
{
  yajl_val *items = spec_get_items (v, "devices", &l->n_devices);

  if (items == NULL)
    return;
  l->devices = xcalloc (l->n_devices, sizeof *l->devices);
  for (size_t i = 0; i < l->n_devices; i++)
    {
      struct rt_device *d = &l->devices[i];
      d->path = spec_get_str (items[i], "path");
      d->type = YAJL_GET_STRING (spec_get (items[i], "type"))[0];
      d->has_major = spec_get_int64 (items[i], "major", &d->major);
      d->has_minor = spec_get_int64 (items[i], "minor", &d->minor);
      d->has_file_mode = spec_get_uint32 (items[i], "fileMode", &d->file_mode);
      d->has_uid = spec_get_uint32 (items[i], "uid", &d->uid);
      d->has_gid = spec_get_uint32 (items[i], "gid", &d->gid);
    }
}

static void
fill_device_cgroup (struct rt_resources *r, yajl_val v)
{
  yajl_val *items = spec_get_items (v, "devices", &r->n_devices);

  if (items == NULL)
    return;
  r->devices = xcalloc (r->n_devices, sizeof *r->devices);
  for (size_t i = 0; i < r->n_devices; i++)
    {
      struct rt_device_cgroup *d = &r->devices[i];
      spec_get_bool (items[i], "allow", &d->allow);
      d->type = spec_get_str (items[i], "type");
      d->major = d->minor = -1;
      d->has_major = spec_get_int64 (items[i], "major", &d->major);
      d->has_minor = spec_get_int64 (items[i], "minor", &d->minor);
      d->access = spec_get_str (items[i], "access");
    }
}

static void
fill_memory (struct rt_resources *r, yajl_val v)
{
  r->memory.has_limit = spec_get_int64 (v, "limit", &r->memory.limit);
  r->memory.has_reservation = spec_get_int64 (v, "reservation", &r->memory.reservation);
  r->memory.has_swap = spec_get_int64 (v, "swap", &r->memory.swap);
  r->memory.has_kernel = spec_get_int64 (v, "kernel", &r->memory.kernel);
  r->memory.has_kernel_tcp = spec_get_int64 (v, "kernelTCP", &r->memory.kernel_tcp);
  r->memory.has_swappiness = spec_get_uint64 (v, "swappiness", &r->memory.swappiness);
  r->memory.has_disable_oom_killer
      = spec_get_bool (v, "disableOOMKiller", &r->memory.disable_oom_killer);
  r->memory.has_use_hierarchy = spec_get_bool (v, "useHierarchy", &r->memory.use_hierarchy);
  r->memory.has_check_before_update
      = spec_get_bool (v, "checkBeforeUpdate", &r->memory.check_before_update);
}

static void
fill_cpu (struct rt_resources *r, yajl_val v)
{
  r->cpu.has_shares = spec_get_uint64 (v, "shares", &r->cpu.shares);
  r->cpu.has_quota = spec_get_int64 (v, "quota", &r->cpu.quota);
  r->cpu.has_burst = spec_get_uint64 (v, "burst", &r->cpu.burst);
  r->cpu.has_period = spec_get_uint64 (v, "period", &r->cpu.period);
  r->cpu.has_realtime_runtime = spec_get_int64 (v, "realtimeRuntime", &r->cpu.realtime_runtime);
  r->cpu.has_realtime_period = spec_get_uint64 (v, "realtimePeriod", &r->cpu.realtime_period);
  r->cpu.has_idle = spec_get_int64 (v, "idle", &r->cpu.idle);
  r->cpu.cpus = spec_get_str (v, "cpus");
  r->cpu.mems = spec_get_str (v, "mems");
}

static struct rt_blkio_device *
get_blkio_devices (yajl_val v, const char *key, size_t *n)
{
  yajl_val *items = spec_get_items (v, key, n);
  struct rt_blkio_device *r;

  if (items == NULL)
    return NULL;
  r = xcalloc (*n, sizeof *r);
  for (size_t i = 0; i < *n; i++)
    {
      spec_get_int64 (items[i], "major", &r[i].major);
      spec_get_int64 (items[i], "minor", &r[i].minor);
      r[i].has_weight = spec_get_uint16 (items[i], "weight", &r[i].weight);
      r[i].has_leaf_weight = spec_get_uint16 (items[i], "leafWeight", &r[i].leaf_weight);
      spec_get_uint64 (items[i], "rate", &r[i].rate);
    }
  return r;
}

static void
fill_blkio (struct rt_resources *r, yajl_val v)
{
  r->blkio.has_weight = spec_get_uint16 (v, "weight", &r->blkio.weight);
  r->blkio.has_leaf_weight = spec_get_uint16 (v, "leafWeight", &r->blkio.leaf_weight);
  r->blkio.weight_device = get_blkio_devices (v, "weightDevice", &r->blkio.n_weight_device);
  r->blkio.throttle_read_bps
      = get_blkio_devices (v, "throttleReadBpsDevice", &r->blkio.n_throttle_read_bps);
  r->blkio.throttle_write_bps
      = get_blkio_devices (v, "throttleWriteBpsDevice", &r->blkio.n_throttle_write_bps);
  r->blkio.throttle_read_iops
      = get_blkio_devices (v, "throttleReadIOPSDevice", &r->blkio.n_throttle_read_iops);
  r->blkio.throttle_write_iops
      = get_blkio_devices (v, "throttleWriteIOPSDevice", &r->blkio.n_throttle_write_iops);
}

static void
fill_network_rdma_hugepages (struct rt_resources *r, yajl_val v)
{
  yajl_val net = spec_get (v, "network"), rdma = spec_get (v, "rdma"), *items;

  items = spec_get_items (v, "hugepageLimits", &r->n_hugepage_limits);
  if (items != NULL)
    r->hugepage_limits = xcalloc (r->n_hugepage_limits, sizeof *r->hugepage_limits);
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      r->hugepage_limits[i].page_size = spec_get_str (items[i], "pageSize");
      spec_get_uint64 (items[i], "limit", &r->hugepage_limits[i].limit);
    }
  r->network.has_class_id = spec_get_uint32 (net, "classID", &r->network.class_id);
  items = spec_get_items (net, "priorities", &r->network.n_priorities);
  if (items != NULL)
    r->network.priorities = xcalloc (r->network.n_priorities, sizeof *r->network.priorities);
  for (size_t i = 0; i < r->network.n_priorities; i++)
    {
      r->network.priorities[i].name = spec_get_str (items[i], "name");
      spec_get_uint32 (items[i], "priority", &r->network.priorities[i].priority);
    }
  r->n_rdma = rdma ? rdma->u.object.len : 0;
  if (rdma != NULL)
    r->rdma = xcalloc (r->n_rdma, sizeof *r->rdma);
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      yajl_val e = rdma->u.object.values[i];
      r->rdma[i].device = xstrdup (rdma->u.object.keys[i]);
      r->rdma[i].has_hca_handles = spec_get_uint32 (e, "hcaHandles", &r->rdma[i].hca_handles);
      r->rdma[i].has_hca_objects = spec_get_uint32 (e, "hcaObjects", &r->rdma[i].hca_objects);
    }
}

static void
fill_resources (struct rt_resources *r, yajl_val v)
{
  yajl_val sub;

  fill_device_cgroup (r, v);
  if ((sub = spec_get (v, "memory")) != NULL)
    fill_memory (r, sub);
  if ((sub = spec_get (v, "cpu")) != NULL)
    fill_cpu (r, sub);
  if ((sub = spec_get (v, "pids")) != NULL)
    r->pids.has_limit = spec_get_int64 (sub, "limit", &r->pids.limit);
  if ((sub = spec_get (v, "blockIO")) != NULL)
    fill_blkio (r, sub);
  fill_network_rdma_hugepages (r, v);
  r->unified = spec_get_keyvals (v, "unified", &r->n_unified);
}

static struct rt_seccomp *
get_seccomp (yajl_val v)
{
  struct rt_seccomp *s = xcalloc (1, sizeof *s);
  yajl_val *items;

  s->default_action = spec_get_str (v, "defaultAction");
  s->has_default_errno_ret = spec_get_uint32 (v, "defaultErrnoRet", &s->default_errno_ret);
  s->architectures = spec_get_strv (v, "architectures", &s->n_architectures);
  s->flags = spec_get_strv (v, "flags", &s->n_flags);
  s->listener_path = spec_get_str (v, "listenerPath");
  s->listener_metadata = spec_get_str (v, "listenerMetadata");
  items = spec_get_items (v, "syscalls", &s->n_syscalls);
  if (items != NULL)
    s->syscalls = xcalloc (s->n_syscalls, sizeof *s->syscalls);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      struct rt_seccomp_syscall *sc = &s->syscalls[i];
      yajl_val *args = spec_get_items (items[i], "args", &sc->n_args);
      sc->names = spec_get_strv (items[i], "names", &sc->n_names);
      sc->action = spec_get_str (items[i], "action");
      sc->has_errno_ret = spec_get_uint32 (items[i], "errnoRet", &sc->errno_ret);
      if (args != NULL)
        sc->args = xcalloc (sc->n_args, sizeof *sc->args);
      for (size_t j = 0; j < sc->n_args; j++)
        {
          spec_get_uint32 (args[j], "index", &sc->args[j].index);
          spec_get_uint64 (args[j], "value", &sc->args[j].value);
          spec_get_uint64 (args[j], "valueTwo", &sc->args[j].value_two);
          sc->args[j].op = spec_get_str (args[j], "op");
        }
    }
  return s;
}

static void
get_time_offset (struct rt_time_offset *t, yajl_val v)
{
  if (v == NULL)
    return;
  t->set = true;
  spec_get_int64 (v, "secs", &t->secs);
  spec_get_uint32 (v, "nanosecs", &t->nanosecs);
}

static struct rt_intel_rdt *
get_intel_rdt (yajl_val v)
{
  struct rt_intel_rdt *r = xcalloc (1, sizeof *r);

  r->clos_id = spec_get_str (v, "closID");
  r->l3_cache_schema = spec_get_str (v, "l3CacheSchema");
  r->mem_bw_schema = spec_get_str (v, "memBwSchema");
  r->schemata = spec_get_strv (v, "schemata", &r->n_schemata);
  spec_get_bool (v, "enableMonitoring", &r->enable_monitoring);
  return r;
}

static void
fill_net_devices (struct rt_linux *l, yajl_val m)
{
  if (m == NULL)
    return;
  l->n_net_devices = m->u.object.len;
  l->net_devices = xcalloc (l->n_net_devices, sizeof *l->net_devices);
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      l->net_devices[i].host_name = xstrdup (m->u.object.keys[i]);
      l->net_devices[i].name = spec_get_str (m->u.object.values[i], "name");
    }
}

void
spec_fill_linux (struct rt_linux *l, yajl_val v)
{
  yajl_val sub;

  fill_namespaces (l, v);
  l->uid_mappings = spec_get_idmaps (v, "uidMappings", &l->n_uid_mappings);
  l->gid_mappings = spec_get_idmaps (v, "gidMappings", &l->n_gid_mappings);
  fill_devices (l, v);
  l->cgroups_path = spec_get_str (v, "cgroupsPath");
  if ((sub = spec_get (v, "resources")) != NULL)
    {
      l->has_resources = true;
      fill_resources (&l->resources, sub);
    }
  l->rootfs_propagation = spec_get_str (v, "rootfsPropagation");
  l->masked_paths = spec_get_strv (v, "maskedPaths", &l->n_masked_paths);
  l->has_masked_paths = l->masked_paths != NULL;
  l->readonly_paths = spec_get_strv (v, "readonlyPaths", &l->n_readonly_paths);
  l->has_readonly_paths = l->readonly_paths != NULL;
  l->mount_label = spec_get_str (v, "mountLabel");
  l->sysctl = spec_get_keyvals (v, "sysctl", &l->n_sysctl);
  if ((sub = spec_get (v, "seccomp")) != NULL)
    l->seccomp = get_seccomp (sub);
  if ((sub = spec_get (v, "personality")) != NULL)
    {
      l->personality_domain = spec_get_str (sub, "domain");
      l->personality_flags = spec_get_strv (sub, "flags", &l->n_personality_flags);
    }
  if ((sub = spec_get (v, "timeOffsets")) != NULL)
    {
      l->has_time_offsets = true;
      get_time_offset (&l->boottime, spec_get (sub, "boottime"));
      get_time_offset (&l->monotonic, spec_get (sub, "monotonic"));
    }
  if ((sub = spec_get (v, "memoryPolicy")) != NULL)
    {
      l->has_memory_policy = true;
      l->memory_policy_mode = spec_get_str (sub, "mode");
      l->memory_policy_nodes = spec_get_str (sub, "nodes");
      l->memory_policy_flags = spec_get_strv (sub, "flags", &l->n_memory_policy_flags);
    }
  if ((sub = spec_get (v, "intelRdt")) != NULL)
    l->intel_rdt = get_intel_rdt (sub);
  fill_net_devices (l, spec_get (v, "netDevices"));
}
