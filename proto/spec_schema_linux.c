/* Schema tables for the linux object: namespaces, devices, resources, seccomp, intelRdt,
   memory policy, personality, time offsets.  See spec_internal.h. */
#include "spec_internal.h"

/* config-linux.json, defs-linux.json */

/* rt_namespace.type: the CLONE_NEW* flag of the name. */
static void
set_namespace_type (const struct field *f, void *base, yajl_val v)
{
  (void) f;
  if (v != NULL)
    ((struct rt_namespace *) base)->type = rt_namespace_flag (YAJL_GET_STRING (v));
}

static const struct field namespace_fields[] = {
  STR ("type", REQ, .match = spec_namespace_known, .noun = "namespace type",
       .set = set_namespace_type),
  STR ("path", AT (struct rt_namespace, path)),
  END,
};
static const struct field namespace_item = OBJ (NULL, namespace_fields);

/* rt_device.type: the letter itself. */
static void
set_device_type (const struct field *f, void *base, yajl_val v)
{
  (void) f;
  if (v != NULL)
    ((struct rt_device *) base)->type = YAJL_GET_STRING (v)[0];
}

static const char *const device_types[] = { "c", "b", "u", "p", NULL };
static const struct field device_fields[] = {
  ENUM ("type", device_types, "device type", REQ, .set = set_device_type),
  STR ("path", REQ, AT (struct rt_device, path)),
  /* the permission bits, possibly with the file type's bits (a whole st_mode, as podman
     sends: 8630 = S_IFCHR|0666); runc takes both */
  UINT ("fileMode", 0177777, AT (struct rt_device, file_mode),
        HAS (struct rt_device, has_file_mode)),
  I64 ("major", AT (struct rt_device, major), HAS (struct rt_device, has_major)),
  I64 ("minor", AT (struct rt_device, minor), HAS (struct rt_device, has_minor)),
  U32 ("uid", AT (struct rt_device, uid), HAS (struct rt_device, has_uid)),
  U32 ("gid", AT (struct rt_device, gid), HAS (struct rt_device, has_gid)),
  END,
};
static const struct field device_item = OBJ (NULL, device_fields);

static const struct field netdev_fields[] = { STR ("name", AT (struct rt_net_device, name)), END };
static const struct field netdev_item = OBJ (NULL, netdev_fields);

/* An absent major or minor of a device rule is the wildcard, -1. */
static void
wildcard_if_absent (const struct field *f, void *base, yajl_val v)
{
  if (v == NULL)
    *(int64_t *) ((char *) base + f->off) = -1;
}

static const struct field dev_cgroup_fields[] = {
  BOOL ("allow", REQ, AT (struct rt_device_cgroup, allow)),
  STR ("type", AT (struct rt_device_cgroup, type)),
  I64 ("major", AT (struct rt_device_cgroup, major), HAS (struct rt_device_cgroup, has_major),
       .set = wildcard_if_absent),
  I64 ("minor", AT (struct rt_device_cgroup, minor), HAS (struct rt_device_cgroup, has_minor),
       .set = wildcard_if_absent),
  STR ("access", AT (struct rt_device_cgroup, access)),
  END,
};
static const struct field dev_cgroup_item = OBJ (NULL, dev_cgroup_fields);

/* pids, blockIO, cpu, memory and network fill the members of the same name of struct
   rt_resources; RES (S, M): its member S.M, with the flag S.has_M. */
#define RES(s, m) AT (struct rt_resources, s.m), HAS (struct rt_resources, s.has_##m)
static const struct field pids_fields[] = { I64 ("limit", REQ, RES (pids, limit)), END };

static const struct field blkio_weight_fields[] = {
  I64 ("major", REQ, AT (struct rt_blkio_device, major)),
  I64 ("minor", REQ, AT (struct rt_blkio_device, minor)),
  U16 ("weight", AT (struct rt_blkio_device, weight), HAS (struct rt_blkio_device, has_weight)),
  U16 ("leafWeight", AT (struct rt_blkio_device, leaf_weight),
       HAS (struct rt_blkio_device, has_leaf_weight)),
  END,
};
static const struct field blkio_weight_item = OBJ (NULL, blkio_weight_fields);

static const struct field blkio_throttle_fields[] = {
  I64 ("major", REQ, AT (struct rt_blkio_device, major)),
  I64 ("minor", REQ, AT (struct rt_blkio_device, minor)),
  U64 ("rate", AT (struct rt_blkio_device, rate)),
  END,
};
static const struct field blkio_throttle_item = OBJ (NULL, blkio_throttle_fields);

#define BLKIO_DEVICES(n, item, m) ARRAY (n, item, ITEMS (struct rt_resources, blkio.m, blkio.n_##m))
static const struct field blkio_fields[] = {
  U16 ("weight", RES (blkio, weight)),
  U16 ("leafWeight", RES (blkio, leaf_weight)),
  BLKIO_DEVICES ("weightDevice", blkio_weight_item, weight_device),
  BLKIO_DEVICES ("throttleReadBpsDevice", blkio_throttle_item, throttle_read_bps),
  BLKIO_DEVICES ("throttleWriteBpsDevice", blkio_throttle_item, throttle_write_bps),
  BLKIO_DEVICES ("throttleReadIOPSDevice", blkio_throttle_item, throttle_read_iops),
  BLKIO_DEVICES ("throttleWriteIOPSDevice", blkio_throttle_item, throttle_write_iops),
  END,
};

static const struct field cpu_fields[] = {
  STR ("cpus", AT (struct rt_resources, cpu.cpus)),
  STR ("mems", AT (struct rt_resources, cpu.mems)),
  U64 ("period", RES (cpu, period)),
  I64 ("quota", RES (cpu, quota)),
  U64 ("burst", RES (cpu, burst)),
  U64 ("realtimePeriod", RES (cpu, realtime_period)),
  I64 ("realtimeRuntime", RES (cpu, realtime_runtime)),
  U64 ("shares", RES (cpu, shares)),
  I64 ("idle", RES (cpu, idle)),
  END,
};

static const struct field hugepage_fields[] = {
  STR ("pageSize", REQ, .match = spec_page_size_ok, .pattern = "^[1-9][0-9]*[KMG]B$",
       AT (struct rt_hugepage_limit, page_size)),
  U64 ("limit", REQ, AT (struct rt_hugepage_limit, limit)),
  END,
};
static const struct field hugepage_item = OBJ (NULL, hugepage_fields);

static const struct field memory_fields[] = {
  I64 ("kernel", RES (memory, kernel)),
  I64 ("kernelTCP", RES (memory, kernel_tcp)),
  I64 ("limit", RES (memory, limit)),
  I64 ("reservation", RES (memory, reservation)),
  I64 ("swap", RES (memory, swap)),
  U64 ("swappiness", RES (memory, swappiness)),
  BOOL ("disableOOMKiller", RES (memory, disable_oom_killer)),
  BOOL ("useHierarchy", RES (memory, use_hierarchy)),
  BOOL ("checkBeforeUpdate", RES (memory, check_before_update)),
  END,
};

static const struct field net_prio_fields[] = {
  STR ("name", REQ, AT (struct rt_net_priority, name)),
  U32 ("priority", REQ, AT (struct rt_net_priority, priority)),
  END,
};
static const struct field net_prio_item = OBJ (NULL, net_prio_fields);

static const struct field network_fields[] = {
  U32 ("classID", RES (network, class_id)),
  ARRAY ("priorities", net_prio_item,
         ITEMS (struct rt_resources, network.priorities, network.n_priorities)),
  END,
};

static const struct field rdma_fields[] = {
  U32 ("hcaHandles", AT (struct rt_rdma, hca_handles), HAS (struct rt_rdma, has_hca_handles)),
  U32 ("hcaObjects", AT (struct rt_rdma, hca_objects), HAS (struct rt_rdma, has_hca_objects)),
  END,
};
static const struct field rdma_item = OBJ (NULL, rdma_fields);

static const struct field resources_fields[] = {
  MAP ("unified", spec_keyval_item, KEYS (struct rt_resources, unified, n_unified, key)),
  ARRAY ("devices", dev_cgroup_item, ITEMS (struct rt_resources, devices, n_devices)),
  OBJ ("pids", pids_fields),
  OBJ ("blockIO", blkio_fields),
  OBJ ("cpu", cpu_fields),
  ARRAY ("hugepageLimits", hugepage_item,
         ITEMS (struct rt_resources, hugepage_limits, n_hugepage_limits)),
  OBJ ("memory", memory_fields),
  OBJ ("network", network_fields),
  MAP ("rdma", rdma_item, KEYS (struct rt_resources, rdma, n_rdma, device)),
  /* Pre-1.0 place of process.oomScoreAdj, still in the spec's own example: applied as the
     process's when that has none (spec_fill_spec), not kept here. */
  I32 ("oomScoreAdj"),
  END,
};

const char *const spec_seccomp_actions[] = {
  "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",      NULL,
};
const char *const spec_seccomp_archs[] = {
  "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
  "SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
  "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};
const char *const spec_seccomp_flags[] = {
  "SECCOMP_FILTER_FLAG_TSYNC",
  "SECCOMP_FILTER_FLAG_LOG",
  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  NULL,
};
const char *const spec_seccomp_ops[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
static const struct field seccomp_arch_item
    = ENUM (NULL, spec_seccomp_archs, "seccomp architecture");
static const struct field seccomp_flag_item = ENUM (NULL, spec_seccomp_flags, "seccomp flag");

static const struct field syscall_arg_fields[] = {
  U32 ("index", REQ, AT (struct rt_seccomp_arg, index)),
  U64 ("value", REQ, AT (struct rt_seccomp_arg, value)),
  U64 ("valueTwo", AT (struct rt_seccomp_arg, value_two)),
  ENUM ("op", spec_seccomp_ops, "seccomp operator", REQ, AT (struct rt_seccomp_arg, op)),
  END,
};
static const struct field syscall_arg_item = OBJ (NULL, syscall_arg_fields);

static const struct field syscall_fields[] = {
  STRV ("names", .flags = F_REQ | F_NONEMPTY, ITEMS (struct rt_seccomp_syscall, names, n_names)),
  ENUM ("action", spec_seccomp_actions, "seccomp action", REQ,
        AT (struct rt_seccomp_syscall, action)),
  U32 ("errnoRet", AT (struct rt_seccomp_syscall, errno_ret),
       HAS (struct rt_seccomp_syscall, has_errno_ret)),
  ARRAY ("args", syscall_arg_item, ITEMS (struct rt_seccomp_syscall, args, n_args)),
  END,
};
static const struct field syscall_item = OBJ (NULL, syscall_fields);

static const struct field seccomp_fields[] = {
  ENUM ("defaultAction", spec_seccomp_actions, "seccomp action", REQ,
        AT (struct rt_seccomp, default_action)),
  U32 ("defaultErrnoRet", AT (struct rt_seccomp, default_errno_ret),
       HAS (struct rt_seccomp, has_default_errno_ret)),
  ARRAY ("flags", seccomp_flag_item, ITEMS (struct rt_seccomp, flags, n_flags)),
  STR ("listenerPath", AT (struct rt_seccomp, listener_path)),
  STR ("listenerMetadata", AT (struct rt_seccomp, listener_metadata)),
  ARRAY ("architectures", seccomp_arch_item,
         ITEMS (struct rt_seccomp, architectures, n_architectures)),
  ARRAY ("syscalls", syscall_item, ITEMS (struct rt_seccomp, syscalls, n_syscalls)),
  END,
};

static const struct field intel_rdt_fields[] = {
  STR ("closID", AT (struct rt_intel_rdt, clos_id)),
  STRV ("schemata", ITEMS (struct rt_intel_rdt, schemata, n_schemata)),
  STR ("l3CacheSchema", AT (struct rt_intel_rdt, l3_cache_schema)),
  STR ("memBwSchema", .match = spec_mem_bw_ok, .pattern = "^MB:[^\\n]*$",
       AT (struct rt_intel_rdt, mem_bw_schema)),
  BOOL ("enableMonitoring", AT (struct rt_intel_rdt, enable_monitoring)),
  END,
};

const char *const spec_mpol_modes[] = {
  "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
  "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
const char *const spec_mpol_flags[]
    = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL };
static const struct field mpol_flag_item = ENUM (NULL, spec_mpol_flags, "memory policy flag");

/* memoryPolicy, personality and timeOffsets fill members of struct rt_linux. */
static const struct field memory_policy_fields[] = {
  ENUM ("mode", spec_mpol_modes, "memory policy mode", REQ,
        AT (struct rt_linux, memory_policy_mode)),
  STR ("nodes", AT (struct rt_linux, memory_policy_nodes)),
  ARRAY ("flags", mpol_flag_item,
         ITEMS (struct rt_linux, memory_policy_flags, n_memory_policy_flags)),
  END,
};

static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };
static const struct field personality_fields[] = {
  ENUM ("domain", personality_domains, "personality domain", REQ,
        AT (struct rt_linux, personality_domain)),
  STRV ("flags", ITEMS (struct rt_linux, personality_flags, n_personality_flags)),
  END,
};

static const struct field time_offset_fields[] = {
  I64 ("secs", AT (struct rt_time_offset, secs)),
  U32 ("nanosecs", AT (struct rt_time_offset, nanosecs)),
  END,
};
static const struct field time_offsets_fields[] = {
  OBJ ("boottime", time_offset_fields, AT (struct rt_linux, boottime),
       HAS (struct rt_linux, boottime.set)),
  OBJ ("monotonic", time_offset_fields, AT (struct rt_linux, monotonic),
       HAS (struct rt_linux, monotonic.set)),
  END,
};

/* The schema's four values, and the recursive forms runc and crun also accept. */
const char *const spec_propagations[] = {
  "private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable", NULL,
};

const struct field spec_linux_fields[] = {
  ARRAY ("devices", device_item, ITEMS (struct rt_linux, devices, n_devices)),
  MAP ("netDevices", netdev_item, KEYS (struct rt_linux, net_devices, n_net_devices, host_name)),
  ARRAY ("uidMappings", spec_idmap_item, ITEMS (struct rt_linux, uid_mappings, n_uid_mappings)),
  ARRAY ("gidMappings", spec_idmap_item, ITEMS (struct rt_linux, gid_mappings, n_gid_mappings)),
  ARRAY ("namespaces", namespace_item, ITEMS (struct rt_linux, namespaces, n_namespaces)),
  OBJ ("resources", resources_fields, AT (struct rt_linux, resources),
       HAS (struct rt_linux, has_resources)),
  STR ("cgroupsPath", AT (struct rt_linux, cgroups_path)),
  ENUM ("rootfsPropagation", spec_propagations, "rootfs propagation",
        AT (struct rt_linux, rootfs_propagation)),
  OBJ ("seccomp", seccomp_fields, ALLOC (struct rt_linux, seccomp)),
  MAP ("sysctl", spec_keyval_item, KEYS (struct rt_linux, sysctl, n_sysctl, key)),
  STRV ("maskedPaths", ITEMS (struct rt_linux, masked_paths, n_masked_paths),
        HAS (struct rt_linux, has_masked_paths)),
  STRV ("readonlyPaths", ITEMS (struct rt_linux, readonly_paths, n_readonly_paths),
        HAS (struct rt_linux, has_readonly_paths)),
  STR ("mountLabel", AT (struct rt_linux, mount_label)),
  OBJ ("intelRdt", intel_rdt_fields, ALLOC (struct rt_linux, intel_rdt)),
  OBJ ("memoryPolicy", memory_policy_fields, HAS (struct rt_linux, has_memory_policy)),
  OBJ ("personality", personality_fields),
  OBJ ("timeOffsets", time_offsets_fields, HAS (struct rt_linux, has_time_offsets)),
  END,
};
