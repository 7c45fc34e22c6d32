/* Schema tables for the linux object: namespaces, devices, resources, seccomp, intelRdt,
   memory policy, personality, time offsets.  See spec_internal.h. */
#include "spec_internal.h"

/* config-linux.json, defs-linux.json */

static const struct field namespace_fields[] = {
  STR ("type", REQ, .match = spec_namespace_known, .noun = "namespace type"),
  STR ("path"),
  END,
};
static const struct field namespace_item = OBJ (NULL, namespace_fields);

static const char *const device_types[] = { "c", "b", "u", "p", NULL };
static const struct field device_fields[] = {
  ENUM ("type", device_types, "device type", REQ),
  STR ("path", REQ),
  /* the permission bits, possibly with the file type's bits (a whole st_mode, as podman
     sends: 8630 = S_IFCHR|0666); runc takes both */
  UINT ("fileMode", 0177777),
  I64 ("major"),
  I64 ("minor"),
  U32 ("uid"),
  U32 ("gid"),
  END,
};
static const struct field device_item = OBJ (NULL, device_fields);

static const struct field netdev_fields[] = { STR ("name"), END };
static const struct field netdev_item = OBJ (NULL, netdev_fields);

static const struct field dev_cgroup_fields[] = {
  BOOL ("allow", REQ), STR ("type"), I64 ("major"), I64 ("minor"), STR ("access"), END,
};
static const struct field dev_cgroup_item = OBJ (NULL, dev_cgroup_fields);

static const struct field pids_fields[] = { I64 ("limit", REQ), END };

static const struct field blkio_weight_fields[] = {
  I64 ("major", REQ), I64 ("minor", REQ), U16 ("weight"), U16 ("leafWeight"), END,
};
static const struct field blkio_weight_item = OBJ (NULL, blkio_weight_fields);

static const struct field blkio_throttle_fields[] = {
  I64 ("major", REQ),
  I64 ("minor", REQ),
  U64 ("rate"),
  END,
};
static const struct field blkio_throttle_item = OBJ (NULL, blkio_throttle_fields);

static const struct field blkio_fields[] = {
  U16 ("weight"),
  U16 ("leafWeight"),
  ARRAY ("weightDevice", blkio_weight_item),
  ARRAY ("throttleReadBpsDevice", blkio_throttle_item),
  ARRAY ("throttleWriteBpsDevice", blkio_throttle_item),
  ARRAY ("throttleReadIOPSDevice", blkio_throttle_item),
  ARRAY ("throttleWriteIOPSDevice", blkio_throttle_item),
  END,
};

static const struct field cpu_fields[] = {
  STR ("cpus"),
  STR ("mems"),
  U64 ("period"),
  I64 ("quota"),
  U64 ("burst"),
  U64 ("realtimePeriod"),
  I64 ("realtimeRuntime"),
  U64 ("shares"),
  I64 ("idle"),
  END,
};

static const struct field hugepage_fields[] = {
  STR ("pageSize", REQ, .match = spec_page_size_ok, .pattern = "^[1-9][0-9]*[KMG]B$"),
  U64 ("limit", REQ),
  END,
};
static const struct field hugepage_item = OBJ (NULL, hugepage_fields);

static const struct field memory_fields[] = {
  I64 ("kernel"),
  I64 ("kernelTCP"),
  I64 ("limit"),
  I64 ("reservation"),
  I64 ("swap"),
  U64 ("swappiness"),
  BOOL ("disableOOMKiller"),
  BOOL ("useHierarchy"),
  BOOL ("checkBeforeUpdate"),
  END,
};

static const struct field net_prio_fields[] = { STR ("name", REQ), U32 ("priority", REQ), END };
static const struct field net_prio_item = OBJ (NULL, net_prio_fields);

static const struct field network_fields[] = {
  U32 ("classID"),
  ARRAY ("priorities", net_prio_item),
  END,
};

static const struct field rdma_fields[] = { U32 ("hcaHandles"), U32 ("hcaObjects"), END };
static const struct field rdma_item = OBJ (NULL, rdma_fields);

static const struct field resources_fields[] = {
  MAP ("unified", spec_string_item),
  ARRAY ("devices", dev_cgroup_item),
  OBJ ("pids", pids_fields),
  OBJ ("blockIO", blkio_fields),
  OBJ ("cpu", cpu_fields),
  ARRAY ("hugepageLimits", hugepage_item),
  OBJ ("memory", memory_fields),
  OBJ ("network", network_fields),
  MAP ("rdma", rdma_item),
  /* Pre-1.0 place of process.oomScoreAdj, still in the spec's own example: applied as the
     process's when that has none (fill_spec). */
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
  U32 ("index", REQ),
  U64 ("value", REQ),
  U64 ("valueTwo"),
  ENUM ("op", spec_seccomp_ops, "seccomp operator", REQ),
  END,
};
static const struct field syscall_arg_item = OBJ (NULL, syscall_arg_fields);

static const struct field syscall_fields[] = {
  STRV ("names", .flags = F_REQ | F_NONEMPTY),
  ENUM ("action", spec_seccomp_actions, "seccomp action", REQ),
  U32 ("errnoRet"),
  ARRAY ("args", syscall_arg_item),
  END,
};
static const struct field syscall_item = OBJ (NULL, syscall_fields);

static const struct field seccomp_fields[] = {
  ENUM ("defaultAction", spec_seccomp_actions, "seccomp action", REQ),
  U32 ("defaultErrnoRet"),
  ARRAY ("flags", seccomp_flag_item),
  STR ("listenerPath"),
  STR ("listenerMetadata"),
  ARRAY ("architectures", seccomp_arch_item),
  ARRAY ("syscalls", syscall_item),
  END,
};

static const struct field intel_rdt_fields[] = {
  STR ("closID"),
  STRV ("schemata"),
  STR ("l3CacheSchema"),
  STR ("memBwSchema", .match = spec_mem_bw_ok, .pattern = "^MB:[^\\n]*$"),
  BOOL ("enableMonitoring"),
  END,
};

const char *const spec_mpol_modes[] = {
  "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
  "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
const char *const spec_mpol_flags[]
    = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL };
static const struct field mpol_flag_item = ENUM (NULL, spec_mpol_flags, "memory policy flag");

static const struct field memory_policy_fields[] = {
  ENUM ("mode", spec_mpol_modes, "memory policy mode", REQ),
  STR ("nodes"),
  ARRAY ("flags", mpol_flag_item),
  END,
};

static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };
static const struct field personality_fields[] = {
  ENUM ("domain", personality_domains, "personality domain", REQ),
  STRV ("flags"),
  END,
};

static const struct field time_offset_fields[] = { I64 ("secs"), U32 ("nanosecs"), END };
static const struct field time_offsets_fields[] = {
  OBJ ("boottime", time_offset_fields),
  OBJ ("monotonic", time_offset_fields),
  END,
};

/* The schema's four values, and the recursive forms runc and crun also accept. */
const char *const spec_propagations[] = {
  "private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable", NULL,
};

const struct field spec_linux_fields[] = {
  ARRAY ("devices", device_item),
  MAP ("netDevices", netdev_item),
  ARRAY ("uidMappings", spec_idmap_item),
  ARRAY ("gidMappings", spec_idmap_item),
  ARRAY ("namespaces", namespace_item),
  OBJ ("resources", resources_fields),
  STR ("cgroupsPath"),
  ENUM ("rootfsPropagation", spec_propagations, "rootfs propagation"),
  OBJ ("seccomp", seccomp_fields),
  MAP ("sysctl", spec_string_item),
  STRV ("maskedPaths"),
  STRV ("readonlyPaths"),
  STR ("mountLabel"),
  OBJ ("intelRdt", intel_rdt_fields),
  OBJ ("memoryPolicy", memory_policy_fields),
  OBJ ("personality", personality_fields),
  OBJ ("timeOffsets", time_offsets_fields),
  END,
};
