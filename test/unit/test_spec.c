/* config.json / process.json parsing and validation (proto/spec_*.c).  JSON in this file
   is written with single quotes, turned into double quotes before parsing. */
#include "spec_internal.h" /* the schema tables, for test_tables */
#include "tap.h"

#include <dirent.h>

static char *
dq (const char *sq)
{
  char *s = xstrdup (sq);
  for (char *p = s; *p; p++)
    if (*p == '\'')
      *p = '"';
  return s;
}

static struct rt_spec *
parse (const char *sq, rt_error_t *err)
{
  cleanup_free char *json = dq (sq);
  struct rt_spec *spec = NULL;
  if (rt_spec_parse (json, strlen (json), &spec, err) < 0)
    return NULL;
  return spec;
}

/* SQ must be rejected with exactly WANT. */
static void
rejects (const char *sq, const char *want, const char *name)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = parse (sq, &err);
  ok (spec == NULL, "rejects %s", name);
  is_str (err ? err->msg : NULL, want, "message for %s", name);
  rt_spec_free (spec);
}

/* SQ parses but rt_spec_validate refuses it with exactly WANT. */
static void
invalid (const char *sq, const char *want, const char *name)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = parse (sq, &err);
  if (spec == NULL)
    {
      ok (0, "parses: %s (%s)", name, err ? err->msg : "?");
      return;
    }
  ok (rt_spec_validate (spec, &err) < 0, "validate rejects %s", name);
  is_str (err ? err->msg : NULL, want, "validate message for %s", name);
  rt_spec_free (spec);
}

static void
valid (const char *sq, const char *name)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = parse (sq, &err);
  int r = spec ? rt_spec_validate (spec, &err) : -1;
  ok (r == 0, "validates: %s%s%s", name, err ? ": " : "", err ? err->msg : "");
  rt_spec_free (spec);
}

/* SQ parses (validation aside). */
static void
parses (const char *sq, const char *name)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = parse (sq, &err);
  ok (spec != NULL, "parses: %s%s%s", name, err ? ": " : "", err ? err->msg : "");
  rt_spec_free (spec);
}

static int
filter_json (const struct dirent *d)
{
  size_t n = strlen (d->d_name);
  return n > 5 && strcmp (d->d_name + n - 5, ".json") == 0;
}

static void
test_examples (const char *kind, bool want_ok)
{
  cleanup_free char *dir = xasprintf ("%s/oci-config/%s", RT_TESTDATA, kind);
  struct dirent **names = NULL;
  int n = scandir (dir, &names, filter_json, alphasort);

  ok (n > 0, "%s examples found in %s", kind, dir);
  for (int i = 0; i < n; i++)
    {
      cleanup_free char *path = xasprintf ("%s/%s", dir, names[i]->d_name);
      cleanup_free char *buf = NULL;
      cleanup_error rt_error_t err = NULL;
      struct rt_spec *spec = NULL;
      size_t len = 0;
      int r = -1;

      if (read_file (path, &buf, &len, &err) == 0)
        r = rt_spec_parse (buf, len, &spec, &err);
      if (want_ok)
        ok (r == 0 && spec != NULL, "good/%s parses%s%s", names[i]->d_name, err ? ": " : "",
            err ? err->msg : "");
      else
        {
          ok (r < 0 && spec == NULL, "bad/%s is rejected", names[i]->d_name);
          if (err)
            printf ("#   %s\n", err->msg);
        }
      rt_spec_free (spec);
      free (names[i]);
    }
  free (names);
}

/* Close to `runc spec`, with hooks, seccomp, resources and a user namespace added. */
static const char full_config[]
    = "{"
      " 'ociVersion': '1.0.2-dev',"
      " 'process': {"
      "  'terminal': true,"
      "  'consoleSize': { 'height': 24, 'width': 80 },"
      "  'user': { 'uid': 1000, 'gid': 1001, 'umask': 18, 'additionalGids': [ 5, 2147483647 ] },"
      "  'args': [ 'sh', '-c', 'echo hi' ],"
      "  'env': [ 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',"
      "           'TERM=xterm' ],"
      "  'cwd': '/home',"
      "  'capabilities': {"
      "   'bounding': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ],"
      "   'effective': [ 'CAP_AUDIT_WRITE', 'CAP_KILL' ],"
      "   'permitted': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ],"
      "   'ambient': [ 'CAP_NET_BIND_SERVICE' ]"
      "  },"
      "  'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'hard': 1024, 'soft': 512 },"
      "               { 'type': 'RLIMIT_CORE', 'hard': 18446744073709551615,"
      "                 'soft': 18446744073709551615 } ],"
      "  'noNewPrivileges': true,"
      "  'apparmorProfile': 'rt-default',"
      "  'oomScoreAdj': -500,"
      "  'selinuxLabel': 'system_u:system_r:container_t:s0',"
      "  'ioPriority': { 'class': 'IOPRIO_CLASS_BE', 'priority': 4 },"
      "  'scheduler': { 'policy': 'SCHED_BATCH', 'nice': -5, 'flags': [ 'SCHED_FLAG_RECLAIM' ] },"
      "  'execCPUAffinity': { 'initial': '0-1', 'final': '0, 2-3' }"
      " },"
      " 'root': { 'path': 'rootfs', 'readonly': true },"
      " 'hostname': 'rt',"
      " 'domainname': 'example.org',"
      " 'mounts': ["
      "  { 'destination': '/proc', 'type': 'proc', 'source': 'proc' },"
      "  { 'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs',"
      "    'options': [ 'nosuid', 'strictatime', 'mode=755', 'size=65536k' ] },"
      "  { 'destination': '/dev/pts', 'type': 'devpts', 'source': 'devpts',"
      "    'options': [ 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620' ] },"
      "  { 'destination': '/data', 'source': '/srv/data', 'options': [ 'rbind', 'idmap' ],"
      "    'uidMappings': [ { 'containerID': 0, 'hostID': 100000, 'size': 65536 } ],"
      "    'gidMappings': [ { 'containerID': 0, 'hostID': 200000, 'size': 65536 } ] }"
      " ],"
      " 'hooks': {"
      "  'prestart': [ { 'path': '/usr/bin/netns-setup', 'args': [ 'netns-setup', 'up' ],"
      "                  'env': [ 'A=1' ], 'timeout': 10 } ],"
      "  'poststop': [ { 'path': '/usr/bin/cleanup' } ]"
      " },"
      " 'annotations': { 'com.example.key': 'value', 'org.opencontainers.x': '' },"
      " 'linux': {"
      "  'uidMappings': [ { 'containerID': 0, 'hostID': 100000, 'size': 65536 } ],"
      "  'gidMappings': [ { 'containerID': 0, 'hostID': 100000, 'size': 65536 } ],"
      "  'sysctl': { 'net.ipv4.ip_forward': '1' },"
      "  'cgroupsPath': '/rt/test',"
      "  'resources': {"
      "   'devices': [ { 'allow': false, 'access': 'rwm' },"
      "                { 'allow': true, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rw' } ],"
      "   'memory': { 'limit': 536870912, 'swap': -1, 'swappiness': 60,"
      "               'disableOOMKiller': true },"
      "   'cpu': { 'shares': 1024, 'quota': -1, 'period': 100000, 'cpus': '0-3', 'mems': '0' },"
      "   'pids': { 'limit': -1 },"
      "   'blockIO': { 'weight': 500, 'weightDevice': [ { 'major': 8, 'minor': 0,"
      "                'weight': 300, 'leafWeight': 200 } ],"
      "                'throttleReadBpsDevice': [ { 'major': 8, 'minor': 16,"
      "                'rate': 18446744073709551615 } ] },"
      "   'hugepageLimits': [ { 'pageSize': '2MB', 'limit': 18446744073709551615 } ],"
      "   'network': { 'classID': 1048577, 'priorities': [ { 'name': 'eth0', 'priority': 5 } ] },"
      "   'rdma': { 'mlx5_1': { 'hcaHandles': 3 } },"
      "   'unified': { 'memory.high': '1G' }"
      "  },"
      "  'namespaces': [ { 'type': 'pid' }, { 'type': 'network', 'path': '/run/netns/a' },"
      "                  { 'type': 'ipc' }, { 'type': 'uts' }, { 'type': 'mount' },"
      "                  { 'type': 'user' }, { 'type': 'cgroup' }, { 'type': 'time' } ],"
      "  'devices': [ { 'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229,"
      "                 'fileMode': 438, 'uid': 0, 'gid': 0 } ],"
      "  'rootfsPropagation': 'rslave',"
      "  'seccomp': {"
      "   'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1,"
      "   'architectures': [ 'SCMP_ARCH_X86_64', 'SCMP_ARCH_X86' ],"
      "   'flags': [ 'SECCOMP_FILTER_FLAG_LOG' ],"
      "   'syscalls': ["
      "    { 'names': [ 'read', 'write' ], 'action': 'SCMP_ACT_ALLOW' },"
      "    { 'names': [ 'personality' ], 'action': 'SCMP_ACT_ALLOW',"
      "      'args': [ { 'index': 0, 'value': 4294967295, 'op': 'SCMP_CMP_EQ' },"
      "                { 'index': 1, 'value': 18446744073709551615, 'valueTwo': 8,"
      "                  'op': 'SCMP_CMP_MASKED_EQ' } ] },"
      "    { 'names': [ 'mkdir' ], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13 }"
      "   ]"
      "  },"
      "  'maskedPaths': [ '/proc/kcore', '/proc/keys' ],"
      "  'readonlyPaths': [ '/proc/sys', '/proc/sysrq-trigger' ],"
      "  'mountLabel': 'system_u:object_r:container_file_t:s0',"
      "  'personality': { 'domain': 'LINUX32' },"
      "  'timeOffsets': { 'monotonic': { 'secs': -10, 'nanosecs': 5 } }"
      " }"
      "}";

static void
test_full_process (const struct rt_process *p)
{
  ok (p->terminal && p->has_console_size && p->console_height == 24 && p->console_width == 80,
      "process.terminal, consoleSize");
  ok (p->user.uid == 1000 && p->user.gid == 1001 && p->user.has_umask && p->user.umask == 18,
      "process.user uid, gid, umask");
  ok (p->user.n_additional_gids == 2 && p->user.additional_gids[0] == 5
          && p->user.additional_gids[1] == 2147483647,
      "process.user.additionalGids");
  ok (p->n_args == 3 && p->args[3] == NULL, "process.args: 3, NULL-terminated");
  is_str (p->args[2], "echo hi", "process.args[2]");
  ok (p->n_env == 2 && p->env[2] == NULL, "process.env: 2, NULL-terminated");
  is_str (p->env[1], "TERM=xterm", "process.env[1]");
  is_str (p->cwd, "/home", "process.cwd");
  ok (p->has_caps && p->caps.n_bounding == 3 && p->caps.n_effective == 2 && p->caps.n_permitted == 3
          && p->caps.n_ambient == 1 && p->caps.inheritable == NULL && p->caps.n_inheritable == 0,
      "process.capabilities counts, inheritable absent");
  is_str (p->caps.bounding[2], "CAP_NET_BIND_SERVICE", "capabilities.bounding[2]");
  ok (p->caps.bounding[3] == NULL, "capabilities.bounding NULL-terminated");
  is_str (p->caps.ambient[0], "CAP_NET_BIND_SERVICE", "capabilities.ambient[0]");
  ok (p->n_rlimits == 2, "two rlimits");
  is_str (p->rlimits[0].type, "RLIMIT_NOFILE", "rlimits[0].type");
  ok (p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].hard == 1024
          && p->rlimits[0].soft == 512,
      "rlimits[0] resolved, hard, soft");
  ok (p->rlimits[1].resource == RLIMIT_CORE && p->rlimits[1].hard == UINT64_MAX
          && p->rlimits[1].soft == UINT64_MAX,
      "rlimits[1]: uint64 max parses");
  ok (p->no_new_privileges, "noNewPrivileges");
  is_str (p->apparmor_profile, "rt-default", "apparmorProfile");
  ok (p->has_oom_score_adj && p->oom_score_adj == -500, "oomScoreAdj -500");
  is_str (p->selinux_label, "system_u:system_r:container_t:s0", "selinuxLabel");
  ok (p->has_io_priority && p->io_priority == 4, "ioPriority.priority");
  is_str (p->io_priority_class, "IOPRIO_CLASS_BE", "ioPriority.class");
  ok (p->has_scheduler && p->scheduler_nice == -5 && p->scheduler_priority == 0
          && p->n_scheduler_flags == 1,
      "scheduler nice, flags");
  is_str (p->scheduler_policy, "SCHED_BATCH", "scheduler.policy");
  is_str (p->exec_cpu_affinity_final, "0, 2-3", "execCPUAffinity.final");
}

/* exec sends its process to nsinit as rt_process_to_json's text: parsed back, the same
   values, absent ones (capabilities.inheritable) absent again. */
static void
test_full_roundtrip (const struct rt_process *p)
{
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *json = NULL;
  struct rt_process *again = NULL;
  size_t len = 0;

  ok (rt_process_to_json (p, &json, &len) == 0 && rt_process_parse (json, len, &again, &err) == 0,
      "process serialized and parsed back%s%s", err ? ": " : "", err ? err->msg : "");
  if (again != NULL)
    test_full_process (again);
  rt_process_free (again);
}

static void
test_full_mounts_hooks (const struct rt_spec *s)
{
  const struct rt_hook *h;

  is_str (s->oci_version, "1.0.2-dev", "ociVersion");
  is_str (s->root_path, "rootfs", "root.path");
  ok (s->root_readonly, "root.readonly");
  is_str (s->hostname, "rt", "hostname");
  is_str (s->domainname, "example.org", "domainname");
  ok (s->n_mounts == 4, "4 mounts");
  is_str (s->mounts[0].destination, "/proc", "mounts[0].destination");
  is_str (s->mounts[0].type, "proc", "mounts[0].type");
  ok (s->mounts[0].options == NULL && s->mounts[0].n_options == 0, "mounts[0] has no options");
  ok (s->mounts[1].n_options == 4 && s->mounts[1].options[4] == NULL, "mounts[1] options");
  is_str (s->mounts[1].options[2], "mode=755", "mounts[1].options[2]");
  ok (s->mounts[3].type == NULL, "bind mount without type");
  is_str (s->mounts[3].source, "/srv/data", "mounts[3].source");
  ok (s->mounts[3].n_uid_mappings == 1 && s->mounts[3].uid_mappings[0].host_id == 100000
          && s->mounts[3].n_gid_mappings == 1 && s->mounts[3].gid_mappings[0].host_id == 200000
          && s->mounts[3].gid_mappings[0].size == 65536,
      "idmapped mount mappings");
  ok (s->hooks.n_hooks[RT_HOOK_PRESTART] == 1 && s->hooks.n_hooks[RT_HOOK_POSTSTOP] == 1
          && s->hooks.n_hooks[RT_HOOK_CREATE_RUNTIME] == 0
          && s->hooks.hooks[RT_HOOK_CREATE_RUNTIME] == NULL,
      "hook counts");
  h = &s->hooks.hooks[RT_HOOK_PRESTART][0];
  is_str (h->path, "/usr/bin/netns-setup", "prestart[0].path");
  ok (h->n_args == 2 && h->args[2] == NULL && h->n_env == 1 && h->has_timeout && h->timeout == 10,
      "prestart[0] args, env, timeout");
  is_str (h->args[1], "up", "prestart[0].args[1]");
  h = &s->hooks.hooks[RT_HOOK_POSTSTOP][0];
  ok (!h->has_timeout && h->args == NULL && h->env == NULL, "poststop[0] has only a path");
  ok (s->n_annotations == 2, "2 annotations");
  is_str (s->annotations[0].key, "com.example.key", "annotations[0].key");
  is_str (s->annotations[0].value, "value", "annotations[0].value");
  is_str (s->annotations[1].value, "", "annotations[1].value empty");
}

static void
test_full_linux (const struct rt_linux *l)
{
  static const int types[] = { CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWIPC,    CLONE_NEWUTS,
                               CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME };
  bool types_ok = l->n_namespaces == 8;

  for (size_t i = 0; types_ok && i < 8; i++)
    types_ok = l->namespaces[i].type == types[i] && (i == 1) == (l->namespaces[i].path != NULL);
  ok (types_ok, "8 namespaces in order with CLONE_NEW* flags");
  is_str (l->namespaces[1].path, "/run/netns/a", "namespaces[1].path");
  ok (l->n_uid_mappings == 1 && l->uid_mappings[0].container_id == 0
          && l->uid_mappings[0].host_id == 100000 && l->uid_mappings[0].size == 65536
          && l->n_gid_mappings == 1,
      "uid/gid mappings");
  ok (l->n_sysctl == 1, "1 sysctl");
  is_str (l->sysctl[0].key, "net.ipv4.ip_forward", "sysctl key");
  is_str (l->sysctl[0].value, "1", "sysctl value");
  is_str (l->cgroups_path, "/rt/test", "cgroupsPath");
  ok (l->n_devices == 1 && l->devices[0].type == 'c' && l->devices[0].has_major
          && l->devices[0].major == 10 && l->devices[0].minor == 229 && l->devices[0].has_file_mode
          && l->devices[0].file_mode == 0666 && l->devices[0].has_uid && l->devices[0].uid == 0,
      "linux.devices[0]");
  is_str (l->devices[0].path, "/dev/fuse", "linux.devices[0].path");
  is_str (l->rootfs_propagation, "rslave", "rootfsPropagation");
  ok (l->has_masked_paths && l->n_masked_paths == 2 && l->masked_paths[2] == NULL, "maskedPaths");
  is_str (l->masked_paths[1], "/proc/keys", "maskedPaths[1]");
  ok (l->has_readonly_paths && l->n_readonly_paths == 2, "readonlyPaths");
  is_str (l->readonly_paths[0], "/proc/sys", "readonlyPaths[0]");
  is_str (l->mount_label, "system_u:object_r:container_file_t:s0", "mountLabel");
  is_str (l->personality_domain, "LINUX32", "personality.domain");
  ok (l->has_time_offsets && l->intel_rdt == NULL && !l->has_memory_policy && l->n_net_devices == 0,
      "timeOffsets only");
}

static void
test_full_resources (const struct rt_resources *r)
{
  ok (r->n_devices == 2 && !r->devices[0].allow && r->devices[0].type == NULL
          && !r->devices[0].has_major && r->devices[0].major == -1 && r->devices[1].allow
          && r->devices[1].has_major && r->devices[1].major == 1 && r->devices[1].minor == 3,
      "resources.devices");
  is_str (r->devices[0].access, "rwm", "resources.devices[0].access");
  is_str (r->devices[1].type, "c", "resources.devices[1].type");
  ok (r->memory.has_limit && r->memory.limit == 536870912 && r->memory.has_swap
          && r->memory.swap == -1 && !r->memory.has_reservation && r->memory.has_swappiness
          && r->memory.swappiness == 60 && r->memory.has_disable_oom_killer
          && r->memory.disable_oom_killer && !r->memory.has_use_hierarchy,
      "resources.memory (swap -1)");
  ok (r->cpu.has_shares && r->cpu.shares == 1024 && r->cpu.has_quota && r->cpu.quota == -1
          && r->cpu.has_period && r->cpu.period == 100000 && !r->cpu.has_burst
          && !r->cpu.has_realtime_runtime,
      "resources.cpu");
  is_str (r->cpu.cpus, "0-3", "resources.cpu.cpus");
  ok (r->pids.has_limit && r->pids.limit == -1, "resources.pids.limit -1");
  ok (r->blkio.has_weight && r->blkio.weight == 500 && !r->blkio.has_leaf_weight
          && r->blkio.n_weight_device == 1 && r->blkio.weight_device[0].major == 8
          && r->blkio.weight_device[0].weight == 300 && r->blkio.weight_device[0].leaf_weight == 200
          && r->blkio.n_throttle_read_bps == 1 && r->blkio.throttle_read_bps[0].minor == 16
          && r->blkio.throttle_read_bps[0].rate == UINT64_MAX && r->blkio.n_throttle_write_bps == 0,
      "resources.blockIO");
  ok (r->n_hugepage_limits == 1 && r->hugepage_limits[0].limit == UINT64_MAX,
      "hugepageLimits uint64 max");
  is_str (r->hugepage_limits[0].page_size, "2MB", "hugepageLimits[0].pageSize");
  ok (r->network.has_class_id && r->network.class_id == 1048577 && r->network.n_priorities == 1
          && r->network.priorities[0].priority == 5,
      "resources.network");
  ok (r->n_rdma == 1 && r->rdma[0].has_hca_handles && r->rdma[0].hca_handles == 3
          && !r->rdma[0].has_hca_objects,
      "resources.rdma");
  is_str (r->rdma[0].device, "mlx5_1", "rdma device name");
  ok (r->n_unified == 1, "resources.unified");
  is_str (r->unified[0].value, "1G", "unified value");
}

static void
test_full_seccomp (const struct rt_seccomp *s)
{
  ok (s != NULL, "seccomp present");
  if (s == NULL)
    return;
  is_str (s->default_action, "SCMP_ACT_ERRNO", "seccomp.defaultAction");
  ok (s->has_default_errno_ret && s->default_errno_ret == 1, "seccomp.defaultErrnoRet");
  ok (s->n_architectures == 2 && s->architectures[2] == NULL && s->n_flags == 1,
      "seccomp architectures, flags");
  is_str (s->architectures[1], "SCMP_ARCH_X86", "seccomp.architectures[1]");
  ok (s->listener_path == NULL, "no listenerPath");
  ok (s->n_syscalls == 3 && s->syscalls[0].n_names == 2 && s->syscalls[0].n_args == 0
          && !s->syscalls[0].has_errno_ret,
      "seccomp.syscalls[0]");
  is_str (s->syscalls[0].names[1], "write", "syscalls[0].names[1]");
  ok (s->syscalls[1].n_args == 2 && s->syscalls[1].args[0].index == 0
          && s->syscalls[1].args[0].value == UINT32_MAX && s->syscalls[1].args[1].index == 1
          && s->syscalls[1].args[1].value == UINT64_MAX && s->syscalls[1].args[1].value_two == 8,
      "seccomp args index/value/valueTwo");
  is_str (s->syscalls[1].args[1].op, "SCMP_CMP_MASKED_EQ", "seccomp args op");
  ok (s->syscalls[2].has_errno_ret && s->syscalls[2].errno_ret == 13, "syscalls[2].errnoRet");
  is_str (s->syscalls[2].action, "SCMP_ACT_ERRNO", "syscalls[2].action");
}

static void
test_full (void)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *s = parse (full_config, &err);

  ok (s != NULL, "full config parses%s%s", err ? ": " : "", err ? err->msg : "");
  if (s == NULL)
    return;
  ok (s->has_process && s->has_linux && s->linux_.has_resources, "has process, linux, resources");
  test_full_process (&s->process);
  test_full_roundtrip (&s->process);
  test_full_mounts_hooks (s);
  test_full_linux (&s->linux_);
  test_full_resources (&s->linux_.resources);
  test_full_seccomp (s->linux_.seccomp);
  ok (rt_spec_validate (s, &err) == 0, "full config validates%s%s", err ? ": " : "",
      err ? err->msg : "");
  rt_spec_free (s);
}

#define MIN "'ociVersion': '1.0.0', 'root': { 'path': 'rootfs' }"

static void
test_rejections (void)
{
  /* unknown properties are ignored (config.md, Extensibility), at any depth */
  parses ("{" MIN ", 'proccess': {} }", "top unknown key ignored");
  valid ("{" MIN ", 'process': { 'cwd': '/', 'args': ['x'], 'user': { 'uid': 0, 'nmae': 'x' } } }",
         "nested unknown key ignored");
  parses ("{" MIN ", 'linux': { 'resources': { 'memroy': {} } } }",
          "unknown resources key ignored");
  rejects ("{" MIN ", 'hostname': 'a', 'hostname': 'b' }",
           "config.json: duplicate key \"hostname\"", "top duplicate key");
  rejects ("{" MIN ", 'linux': { 'resources': { 'memory': { 'limit': 1, 'limit': 2 } } } }",
           "config.json: linux.resources.memory: duplicate key \"limit\"", "nested duplicate key");
  rejects ("{" MIN ", 'annotations': { 'a': '1', 'a': '2' } }",
           "config.json: annotations: duplicate key \"a\"", "duplicate annotation");
  rejects ("{" MIN ", 'linux': { 'sysctl': { 'kernel.x': 1 } } }",
           "config.json: linux.sysctl[\"kernel.x\"]: want a string, got a number",
           "sysctl value type");
  rejects ("{" MIN ", 'hostname': 3 }", "config.json: hostname: want a string, got a number",
           "hostname number");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'terminal': 'yes' } }",
           "config.json: process.terminal: want a boolean, got a string", "terminal string");
  rejects ("{" MIN ", 'mounts': {} }", "config.json: mounts: want an array, got an object",
           "mounts object");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'args': [ 'sh', null ] } }",
           "config.json: process.args[1]: want a string, got null", "args null");
  rejects ("{ 'ociVersion': '1.0.0', 'root': 'rootfs' }",
           "config.json: root: want an object, got a string", "root string");
  rejects ("[]", "config.json: want an object, got an array", "top-level array");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'uid': -1, 'gid': 0 } } }",
           "config.json: process.user.uid: want an unsigned 32-bit integer, got -1", "uid -1");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'uid': 0, 'gid': 4294967296 } } }",
           "config.json: process.user.gid: want an unsigned 32-bit integer, got 4294967296",
           "gid 2^32");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'uid': 1.5 } } }",
           "config.json: process.user.uid: want an unsigned 32-bit integer, got 1.5", "uid 1.5");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'uid': '0' } } }",
           "config.json: process.user.uid: want an unsigned 32-bit integer, got a string",
           "uid string");
  /* setresuid(-1) would leave the process root: runc's range, runc's message */
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'uid': 4294967295 } } }",
           "config.json: process.user.uid: uids and gids must be in range 0-2147483647", "uid -1");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'gid': 2147483648 } } }",
           "config.json: process.user.gid: uids and gids must be in range 0-2147483647",
           "gid 2^31");
  rejects (
      "{" MIN ", 'process': { 'cwd': '/', 'user': { 'additionalGids': [ 1, 4294967295 ] } } }",
      "config.json: process.user.additionalGids[1]: uids and gids must be in range 0-2147483647",
      "additional gid -1");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'user': { 'additionalGids': [ 1, -2 ] } } }",
           "config.json: process.user.additionalGids[1]: want an unsigned 32-bit integer, got -2",
           "negative additional gid");
  rejects ("{" MIN ", 'linux': { 'resources': { 'blockIO': { 'weight': 65536 } } } }",
           "config.json: linux.resources.blockIO.weight: want an unsigned 16-bit integer, got "
           "65536",
           "uint16 weight");
  rejects ("{" MIN ", 'linux': { 'resources': { 'memory': { 'limit': 9223372036854775808 } } } }",
           "config.json: linux.resources.memory.limit: want a 64-bit integer, got "
           "9223372036854775808",
           "int64 memory limit overflow");
  rejects ("{" MIN ", 'linux': { 'devices': [ { 'path': '/dev/x', 'type': 'c', 'major': 1,"
           " 'minor': 1, 'fileMode': 65536 } ] } }",
           "config.json: linux.devices[0].fileMode: want an unsigned 16-bit integer, got 65536",
           "fileMode 65536");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'hard': "
           "18446744073709551616, 'soft': 1 } ] } }",
           "config.json: process.rlimits[0].hard: want an unsigned 64-bit integer, got "
           "18446744073709551616",
           "rlimit above uint64");
  rejects ("{" MIN ", 'linux': { 'namespaces': [ { 'type': 'pid' }, { 'type': 'mount' },"
           " { 'type': 'foo' } ] } }",
           "config.json: linux.namespaces[2].type: unknown namespace type \"foo\"",
           "unknown namespace type");
  rejects ("{" MIN ", 'linux': { 'namespaces': [ { 'path': '/proc/1/ns/net' } ] } }",
           "config.json: linux.namespaces[0]: missing required key \"type\"", "namespace no type");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'rlimits': [ { 'type': 'RLIMIT_FOO', 'hard': 1,"
           " 'soft': 1 } ] } }",
           "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"", "bad rlimit");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'hard': 1,"
           " 'soft': 1 }, { 'type': 'RLIMIT_NOFILE', 'hard': 2, 'soft': 2 } ] } }",
           "config.json: process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"",
           "duplicate rlimit");
  rejects ("{" MIN ", 'process': { 'cwd': '/', 'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'hard': 1"
           " } ] } }",
           "config.json: process.rlimits[0]: missing required key \"soft\"", "rlimit no soft");
  rejects ("{" MIN ", 'hooks': { 'prestart': [ { 'path': '/bin/true', 'timeout': 0 } ] } }",
           "config.json: hooks.prestart[0].timeout: want an integer greater than zero, got 0",
           "hook timeout 0");
  rejects ("{" MIN ", 'hooks': { 'poststart': [ { 'path': '/a' }, { 'path': '/b',"
           " 'timeout': -3 } ] } }",
           "config.json: hooks.poststart[1].timeout: want an integer greater than zero, got -3",
           "hook timeout -3");
  rejects ("{" MIN ", 'hooks': { 'poststop': [ { 'args': [] } ] } }",
           "config.json: hooks.poststop[0]: missing required key \"path\"", "hook without path");
  parses ("{" MIN ", 'hooks': { 'prestop': [] } }", "unknown hook kind ignored");
  rejects ("{ 'ociVersion': '2.0.0', 'root': { 'path': 'rootfs' } }",
           "config.json: ociVersion \"2.0.0\": unsupported major version (rt supports 1.x)",
           "ociVersion 2.0.0");
  rejects ("{ 'ociVersion': '1.0', 'root': { 'path': 'rootfs' } }",
           "config.json: ociVersion \"1.0\": not a SemVer version", "ociVersion 1.0");
  rejects ("{ 'root': { 'path': 'rootfs' } }", "config.json: missing required key \"ociVersion\"",
           "no ociVersion");
  rejects ("{ 'ociVersion': '1.0.0' }", "config.json: missing required key \"root\"", "no root");
  rejects ("{ 'ociVersion': '1.0.0', 'root': { 'readonly': true } }",
           "config.json: root: missing required key \"path\"", "root without path");
  rejects ("{" MIN ", 'linux': { 'resources': { 'hugepageLimits': [ { 'pageSize': '64kB',"
           " 'limit': 1 } ] } } }",
           "config.json: linux.resources.hugepageLimits[0].pageSize: \"64kB\" does not match "
           "^[1-9][0-9]*[KMG]B$",
           "hugepage pageSize");
  rejects ("{" MIN ", 'linux': { 'rootfsPropagation': 'bogus' } }",
           "config.json: linux.rootfsPropagation: unknown rootfs propagation \"bogus\" (want one "
           "of: private, shared, slave, unbindable, rprivate, rshared, rslave, runbindable)",
           "rootfsPropagation");
  rejects ("{" MIN ", 'linux': { 'devices': [ { 'path': '/dev/x', 'type': 'x' } ] } }",
           "config.json: linux.devices[0].type: unknown device type \"x\" (want one of: c, b, u, "
           "p)",
           "device type");
  rejects ("{" MIN ", 'linux': { 'seccomp': { 'defaultAction': 'SCMP_ACT_ALLOW',"
           " 'syscalls': [ { 'names': [], 'action': 'SCMP_ACT_ERRNO' } ] } } }",
           "config.json: linux.seccomp.syscalls[0].names: must not be empty", "seccomp no names");
  rejects ("{" MIN ", 'linux': { 'seccomp': { 'defaultAction': 'SCMP_ACT_ALLOW',"
           " 'architectures': [ 'SCMP_ARCH_VAX' ] } } }",
           "config.json: linux.seccomp.architectures[0]: unknown seccomp architecture "
           "\"SCMP_ARCH_VAX\"",
           "seccomp arch");
  rejects ("{" MIN ", 'linux': { 'seccomp': { 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [ {"
           " 'names': [ 'read' ], 'action': 'SCMP_ACT_ALLOW', 'args': [ { 'index': 0, 'value': 1,"
           " 'op': 'SCMP_CMP_XX' } ] } ] } } }",
           "config.json: linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "
           "\"SCMP_CMP_XX\" (want one of: SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, "
           "SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)",
           "seccomp op");
  rejects ("{" MIN ", 'linux': { 'seccomp': { 'syscalls': [] } } }",
           "config.json: linux.seccomp: missing required key \"defaultAction\"",
           "seccomp no defaultAction");
  rejects ("{" MIN ", 'linux': { 'netDevices': { 'eth0': { 'name': 23 } } } }",
           "config.json: linux.netDevices[\"eth0\"].name: want a string, got a number",
           "netDevices name");
  rejects ("{" MIN ", 'freebsd': { 'jail': { 'vnet': 'disable' } } }",
           "config.json: freebsd.jail.vnet: unknown sharing mode \"disable\" (want one of: new, "
           "inherit)",
           "freebsd vnet disable");
  rejects ("{" MIN ", 'windows': { 'layerFolders': [] } }",
           "config.json: windows.layerFolders: must not be empty", "windows layerFolders");
  rejects ("{" MIN ", 'vm': {} }", "config.json: vm: missing required key \"kernel\"",
           "vm without kernel");
}

static void
test_json_errors (void)
{
  static const char nul_doc[] = "{\"ociVersion\": \"1.0.0\"\0}";
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = NULL;

  rejects ("{\n  'ociVersion': '1.0.0',\n  'root': {]\n}",
           "config.json: line 3: parse error: invalid object key (must be a string)",
           "invalid JSON");
  rejects ("{\n  'ociVersion': '1.0.0',\n  'root': { 'path': 'r' }\n",
           "config.json: line 4: parse error: premature EOF", "truncated JSON");
  rejects ("", "config.json: line 1: parse error: premature EOF", "empty document");
  rejects ("{" MIN " } {}", "config.json: line 1: parse error: trailing garbage", "two documents");
  rejects ("{" MIN ", /* c */ 'hostname': 'x' }",
           "config.json: line 1: lexical error: probable comment found in input text, comments "
           "are not enabled.",
           "comment");
  rejects ("{" MIN ", 'hostname': 'a\\u0000b' }",
           "config.json: line 1: string contains a NUL character (\\u0000)", "escaped NUL");
  rejects ("{" MIN ", 'hostname': '\xff' }",
           "config.json: line 1: lexical error: invalid bytes in UTF8 string.", "invalid UTF-8");
  ok (rt_spec_parse (nul_doc, sizeof nul_doc - 1, &spec, &err) < 0 && spec == NULL,
      "rejects a raw NUL byte");
  is_str (err ? err->msg : NULL, "config.json: line 1: NUL byte in the document",
          "raw NUL message");
  {
    char deep[400];
    size_t n = 0;
    n += sprintf (deep + n, "{" MIN ", 'annotations': ");
    for (int i = 0; i < 70; i++)
      deep[n++] = '[';
    deep[n] = '\0';
    rejects (deep, "config.json: line 1: nesting too deep", "deep nesting");
  }
}

static void
test_accepts (void)
{
  static const struct
  {
    const char *json, *name;
  } good[] = {
    { "{ 'ociVersion': '1.0.2-dev', 'root': { 'path': 'r' } }", "ociVersion 1.0.2-dev" },
    { "{ 'ociVersion': '1.3.0', 'root': { 'path': 'r' } }", "ociVersion 1.3.0" },
    { "{ 'ociVersion': '1.2.0-rc.1+build.5', 'root': { 'path': 'r' } }", "ociVersion semver" },
    { "{" MIN ", 'linux': { 'resources': { 'pids': { 'limit': 0 } } } }", "pids limit 0" },
    { "{" MIN ", 'linux': { 'resources': { 'memory': { 'limit': 9223372036854775807,"
      " 'swap': -1, 'kernel': -1 } } } }",
      "int64 max memory, -1 swap" },
    { "{" MIN ", 'process': { 'cwd': '/', 'args': [ 'x' ], 'rlimits': [ { 'type': 'RLIMIT_RTTIME',"
      " 'hard': 18446744073709551615, 'soft': 0 } ] } }",
      "uint64 max rlimit" },
    { "{ 'ociVersion': '1.0.0', 'windows': { 'layerFolders': [ 'C:\\\\layers\\\\1' ],"
      " 'credentialSpec': { 'any': [ 1 ] } } }",
      "windows without root" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    {
      cleanup_error rt_error_t err = NULL;
      struct rt_spec *s = parse (good[i].json, &err);
      ok (s != NULL, "accepts %s%s%s", good[i].name, err ? ": " : "", err ? err->msg : "");
      rt_spec_free (s);
    }
  {
    cleanup_error rt_error_t err = NULL;
    struct rt_spec *s = parse (good[5].json, &err);
    ok (s && s->process.rlimits[0].resource == RLIMIT_RTTIME
            && s->process.rlimits[0].hard == UINT64_MAX && s->process.rlimits[0].soft == 0,
        "uint64 max rlimit value");
    ok (s && s->process.user.uid == 0 && s->process.n_env == 0 && s->process.env == NULL,
        "absent user and env default to zero / NULL");
    rt_spec_free (s);
  }
}

static void
test_process (void)
{
  static const char doc[] = "{ 'args': [ '/bin/ps', 'aux' ], 'env': [ 'A=b' ], 'cwd': '/tmp',"
                            " 'terminal': false, 'user': { 'uid': 33, 'gid': 33 },"
                            " 'capabilities': { 'bounding': [ 'CAP_CHOWN' ] },"
                            " 'rlimits': [ { 'type': 'RLIMIT_NPROC', 'hard': 10, 'soft': 5 } ],"
                            " 'noNewPrivileges': true }";
  cleanup_free char *json = dq (doc);
  cleanup_error rt_error_t err = NULL;
  struct rt_process *p = NULL;

  ok (rt_process_parse (json, strlen (json), &p, &err) == 0 && p != NULL, "process.json parses%s%s",
      err ? ": " : "", err ? err->msg : "");
  if (p != NULL)
    {
      ok (p->n_args == 2 && p->args[2] == NULL, "process.json args");
      is_str (p->args[0], "/bin/ps", "process.json args[0]");
      is_str (p->cwd, "/tmp", "process.json cwd");
      ok (p->user.uid == 33 && p->user.gid == 33 && !p->terminal && p->no_new_privileges,
          "process.json user, terminal, noNewPrivileges");
      ok (p->has_caps && p->caps.n_bounding == 1 && p->caps.effective == NULL,
          "process.json capabilities");
      ok (p->n_rlimits == 1 && p->rlimits[0].resource == RLIMIT_NPROC && p->rlimits[0].soft == 5,
          "process.json rlimits");
    }
  rt_process_free (p);
  rt_process_free (NULL);

  static const struct
  {
    const char *json, *want;
  } bad[] = {
    { "{ 'cwd': '/', 'user': { 'uid': -1 } }",
      "process.json: user.uid: want an unsigned 32-bit integer, got -1" },
    { "{ 'cwd': '/', 'cwd': '/x' }", "process.json: duplicate key \"cwd\"" },
    { "{ 'rlimits': [ { 'type': 'RLIMIT_AS', 'hard': 1, 'soft': 1 }, { 'type': 'RLIMIT_AS',"
      " 'hard': 1, 'soft': 1 } ] }",
      "process.json: rlimits[1].type: duplicate rlimit \"RLIMIT_AS\"" },
    { "{ 'ioPriority': { 'class': 'IOPRIO_CLASS_X' } }",
      "process.json: ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_X\" (want one "
      "of: IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE)" },
    { "{ 'execCPUAffinity': { 'initial': 'all' } }",
      "process.json: execCPUAffinity.initial: \"all\" does not match ^[0-9, -]*$" },
    { "{ 'args': [ 'x' ]", "process.json: line 1: parse error: premature EOF" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      cleanup_free char *j = dq (bad[i].json);
      cleanup_error rt_error_t e = NULL;
      struct rt_process *q = NULL;
      ok (rt_process_parse (j, strlen (j), &q, &e) < 0 && q == NULL, "process.json rejects #%zu",
          i);
      is_str (e ? e->msg : NULL, bad[i].want, "process.json message #%zu", i);
    }
}

#define RUN "'process': { 'cwd': '/', 'args': [ 'sh' ] }"

static void
test_validate (void)
{
  valid ("{" MIN ", " RUN " }", "minimal runnable config");
  valid ("{" MIN ", 'process': { 'args': [ 'sh' ] } }", "no cwd");
  valid ("{" MIN ", " RUN ", 'hostname': 'h', 'linux': { 'namespaces': [ { 'type': 'uts' } ] } }",
         "hostname with a new uts namespace");
  valid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'user', 'path':"
         " '/proc/1/ns/user' } ] } }",
         "joined user namespace without mappings");
  valid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'mount' } ],"
         " 'devices': [ { 'path': '/dev/fifo', 'type': 'p' } ] } }",
         "fifo device without major/minor");
  valid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'mount' } ],"
         " 'devices': [ { 'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229,"
         " 'fileMode': 8630 } ] } }",
         "fileMode with the type bits of the device (podman)");
  invalid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'mount' } ],"
           " 'devices': [ { 'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229,"
           " 'fileMode': 25014 } ] } }",
           "config.json: linux.devices[0]: fileMode 060666 has the type bits of another file "
           "than type \"c\"",
           "fileMode with another file type's bits");
  invalid ("{" MIN ", " RUN ", 'linux': { 'devices': [ { 'path': '/dev/fifo', 'type': 'p' } ] } }",
           "config.json: linux.devices: need a private mount namespace",
           "devices without mount ns");
  valid ("{" MIN ", " RUN ", 'hostname': 'h', 'linux': { 'namespaces': [ { 'type': 'uts',"
         " 'path': '/proc/1/ns/uts' } ] } }",
         "hostname with a joined uts namespace");
  invalid ("{" MIN " }", "config.json: process is required to create a container", "no process");
  invalid ("{ 'ociVersion': '1.0.0', " RUN ", 'windows': { 'layerFolders': [ 'l' ] } }",
           "config.json: root is required to create a container", "no root (windows)");
  invalid ("{ 'ociVersion': '1.0.0', 'root': { 'path': '' }, " RUN " }",
           "config.json: root.path: must not be empty", "empty root path");
  invalid ("{" MIN ", 'process': { 'cwd': '/', 'args': [] } }",
           "config.json: process.args: at least one argument is required", "empty args");
  invalid ("{" MIN ", 'process': { 'cwd': '/' } }",
           "config.json: process.args: at least one argument is required", "no args");
  invalid ("{" MIN ", 'process': { 'cwd': 'tmp', 'args': [ 'sh' ] } }",
           "config.json: process.cwd: \"tmp\" is not an absolute path", "relative cwd");
  invalid ("{" MIN ", 'process': { 'args': [ 'sh' ], 'oomScoreAdj': 1001 } }",
           "config.json: process.oomScoreAdj: 1001 is outside [-1000, 1000]", "oomScoreAdj");
  invalid ("{" MIN ", 'process': { 'args': [ 'sh' ], 'rlimits': [ { 'type': 'RLIMIT_NOFILE',"
           " 'hard': 1, 'soft': 2 } ] } }",
           "config.json: process.rlimits[0]: soft limit 2 is above hard limit 1", "soft > hard");
  invalid ("{" MIN ", " RUN
           ", 'mounts': [ { 'destination': '/proc' }, { 'destination': 'sys' } ] }",
           "config.json: mounts[1].destination: \"sys\" is not an absolute path",
           "relative mount destination");
  invalid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'pid' }, { 'type': 'mount' },"
           " { 'type': 'pid' } ] } }",
           "config.json: linux.namespaces[2]: duplicate namespace type \"pid\"",
           "duplicate namespace");
  invalid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'network', 'path':"
           " 'run/netns/x' } ] } }",
           "config.json: linux.namespaces[0].path: \"run/netns/x\" is not an absolute path",
           "relative namespace path");
  invalid ("{" MIN ", " RUN ", 'linux': { 'uidMappings': [ { 'containerID': 0, 'hostID': 1,"
           " 'size': 1 } ] } }",
           "config.json: linux.uidMappings: requires a user namespace", "mappings without userns");
  invalid ("{" MIN ", " RUN ", 'linux': { 'namespaces': [ { 'type': 'pid' }, { 'type': 'user' } ] "
           "} }",
           "config.json: linux.namespaces[1]: a new user namespace needs linux.uidMappings and "
           "linux.gidMappings",
           "userns without mappings");
  {
    /* the kernel takes at most 340 ranges: 340 pass, 341 do not */
    size_t cap = 341 * 64 + 512, off = 0;
    cleanup_free char *sq = xmalloc (cap);
    off += snprintf (sq + off, cap - off,
                     "{" MIN ", " RUN ", 'linux': { 'namespaces': [ {"
                     " 'type': 'user' } ], 'gidMappings': [ { 'containerID': 0, 'hostID': 1,"
                     " 'size': 1 } ], 'uidMappings': [");
    for (int i = 0; i < 341; i++)
      off += snprintf (sq + off, cap - off, "%s{ 'containerID': %d, 'hostID': %d, 'size': 1 }",
                       i ? ", " : "", i, 100000 + i);
    snprintf (sq + off, cap - off, "] } }");
    invalid (sq, "config.json: linux.uidMappings: 341 ranges, the kernel takes at most 340",
             "341 uid ranges");
  }
  invalid ("{" MIN ", " RUN ", 'hostname': 'h' }",
           "config.json: unable to set hostname without a private UTS namespace",
           "hostname without uts");
  invalid ("{" MIN ", " RUN ", 'domainname': 'd' }",
           "config.json: unable to set domainname without a private UTS namespace",
           "domainname without uts");
  invalid ("{" MIN ", " RUN ", 'linux': { 'sysctl': { 'net/ipv4/ip_forward': '1' } } }",
           "config.json: linux.sysctl: invalid sysctl name \"net/ipv4/ip_forward\"",
           "sysctl with slash");
  invalid ("{" MIN ", " RUN ", 'linux': { 'sysctl': { 'kernel..x': '1' } } }",
           "config.json: linux.sysctl: invalid sysctl name \"kernel..x\"", "sysctl with ..");
  invalid ("{" MIN ", " RUN ", 'linux': { 'devices': [ { 'path': 'dev/x', 'type': 'c', 'major': 1,"
           " 'minor': 2 } ] } }",
           "config.json: linux.devices[0].path: \"dev/x\" is not an absolute path",
           "relative device path");
  invalid ("{" MIN ", " RUN ", 'linux': { 'devices': [ { 'path': '/dev/x', 'type': 'b', 'major': 1"
           " } ] } }",
           "config.json: linux.devices[0]: type \"b\" requires major and minor",
           "device without minor");
  invalid ("{" MIN ", " RUN ", 'linux': { 'maskedPaths': [ '/proc/kcore', 'proc/keys' ] } }",
           "config.json: linux.maskedPaths[1]: \"proc/keys\" is not an absolute path",
           "relative masked path");
  invalid ("{" MIN ", " RUN ", 'linux': { 'readonlyPaths': [ '' ] } }",
           "config.json: linux.readonlyPaths[0]: \"\" is not an absolute path",
           "empty readonly path");
  invalid ("{" MIN ", " RUN ", 'hooks': { 'createRuntime': [ { 'path': 'hook.sh' } ] } }",
           "config.json: hooks.createRuntime[0].path: \"hook.sh\" is not an absolute path",
           "relative hook path");
  invalid ("{" MIN ", " RUN ", 'linux': { 'resources': { 'devices': [ { 'allow': true,"
           " 'type': 'x' } ] } } }",
           "config.json: linux.resources.devices[0]: type \"x\" is not one of a, b, c",
           "device cgroup type");
  invalid ("{" MIN ", " RUN ", 'linux': { 'seccomp': { 'defaultAction': 'SCMP_ACT_ALLOW',"
           " 'defaultErrnoRet': 1 } } }",
           "config.json: linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW takes no errno",
           "errnoRet with allow");
  invalid ("{" MIN ", " RUN ", 'mounts': [ { 'destination': '/x', 'uidMappings': [ {"
           " 'containerID': 0, 'hostID': 1, 'size': 1 } ] } ] }",
           "config.json: mounts[0]: uidMappings and gidMappings must be given together",
           "mount uidMappings alone");
}

static void
test_ids (void)
{
  char id[1026];

  ok (!rt_id_valid (""), "id: empty is invalid");
  ok (!rt_id_valid (NULL), "id: NULL is invalid");
  memset (id, 'a', 1024);
  id[1024] = '\0';
  ok (rt_id_valid (id), "id: 1024 characters is valid");
  id[1024] = 'a';
  id[1025] = '\0';
  ok (!rt_id_valid (id), "id: 1025 characters is invalid");
  ok (!rt_id_valid ("a/b"), "id: a/b is invalid");
  ok (!rt_id_valid (".."), "id: .. is invalid");
  ok (!rt_id_valid ("."), "id: . is invalid");
  ok (!rt_id_valid ("a b"), "id: 'a b' is invalid");
  ok (!rt_id_valid ("a\nb"), "id: newline is invalid");
  ok (!rt_id_valid ("caf\xc3\xa9"), "id: non-ASCII is invalid");
  ok (rt_id_valid ("ok_-.1"), "id: ok_-.1 is valid");
  ok (rt_id_valid ("..."), "id: ... is valid");
  ok (rt_id_valid ("A9"), "id: A9 is valid");
}

static void
test_namespace_names (void)
{
  ok (rt_namespace_flag ("network") == CLONE_NEWNET, "flag(network)");
  ok (rt_namespace_flag ("mount") == CLONE_NEWNS, "flag(mount)");
  ok (rt_namespace_flag ("time") == CLONE_NEWTIME && CLONE_NEWTIME == 0x80, "flag(time) = 0x80");
  ok (rt_namespace_flag ("net") == 0 && rt_namespace_flag (NULL) == 0, "flag(net), flag(NULL) = 0");
  is_str (rt_namespace_name (CLONE_NEWNET), "network", "name(CLONE_NEWNET)");
  is_str (rt_namespace_name (CLONE_NEWCGROUP), "cgroup", "name(CLONE_NEWCGROUP)");
  is_str (rt_namespace_proc_name (CLONE_NEWNET), "net", "proc_name(CLONE_NEWNET)");
  is_str (rt_namespace_proc_name (CLONE_NEWNS), "mnt", "proc_name(CLONE_NEWNS)");
  is_str (rt_namespace_proc_name (CLONE_NEWTIME), "time", "proc_name(CLONE_NEWTIME)");
  ok (rt_namespace_name (0) == NULL && rt_namespace_proc_name (CLONE_NEWNET | CLONE_NEWNS) == NULL,
      "no name for 0 or a combination");
}

/* Whether a value of F's kind fits a member WIDTH bytes wide. */
static bool
width_fits (const struct field *f, size_t width)
{
  switch (f->kind)
    {
      case K_STR:
        return width == sizeof (char *);
      case K_BOOL:
        return width == sizeof (bool);
      case K_UINT:
        return (width == 1 || width == 2 || width == 4 || width == 8)
               && (width == 8 || f->umax < (UINT64_C (1) << (8 * width)));
      case K_INT:
        return width == 8 || (width == 4 && f->smin >= INT32_MIN && f->smax <= INT32_MAX);
      default:
        return false;
    }
}

static bool
is_other_platform (const char *path)
{
  static const char *const names[] = { "solaris", "windows", "vm", "zos", "freebsd", NULL };
  return spec_enum_has (names, path);
}

/* The places in FIELDS (at PATH) whose declaration of where the value goes is wrong or
   missing, each printed as a TAP comment. */
static int
table_problems (const struct field *fields, const char *path)
{
  int bad = 0;

  for (const struct field *f = fields; f->name != NULL; f++)
    {
      cleanup_free char *sub = spec_path_key (path, f->name);
      const struct field *it = f->item;
      const char *problem = NULL;

      if (f->kind == K_OBJ && !is_other_platform (sub))
        {
          if (f->elem != 0 && f->width != sizeof (void *))
            problem = "allocated object not at a pointer";
          bad += table_problems (f->sub, sub);
        }
      else if (f->kind == K_ARRAY || f->kind == K_MAP)
        {
          if (f->width != sizeof (void *) || f->elem == 0)
            problem = "array not stored at a pointer";
          else if (f->kind == K_MAP && f->key + sizeof (char *) > f->elem)
            problem = "map key outside the element";
          else if (it->kind == K_OBJ)
            bad += table_problems (it->sub, sub);
          else if (!width_fits (it, it->width ? it->width : f->elem))
            problem = "item does not fit its element";
        }
      else if (f->kind != K_OBJ && f->width == 0 && f->set == NULL
               && strcmp (sub, "linux.resources.oomScoreAdj") != 0)
        problem = "not stored";
      else if (f->kind != K_OBJ && f->width != 0 && !width_fits (f, f->width))
        problem = "does not fit its member";
      if (problem != NULL)
        {
          printf ("#   %s: %s\n", sub, problem);
          bad++;
        }
    }
  return bad;
}

/* The tables are the one declaration of where each value goes: every key rt applies is
   stored (the other platforms' objects are only checked; linux.resources.oomScoreAdj
   goes to the process by hand, spec_fill.c), into a member its kind fits. */
static void
test_tables (void)
{
  ok (table_problems (spec_config_fields, "") == 0, "tables: every value stored, fitting");
  ok (strcmp (spec_hooks_fields[RT_HOOK_POSTSTOP].name, "poststop") == 0
          && spec_hooks_fields[RT_HOOK_KINDS].name == NULL,
      "hooks table indexed by enum rt_hook_kind");
}

int
main (void)
{
  test_tables ();
  test_examples ("good", true);
  test_examples ("bad", false);
  test_full ();
  test_rejections ();
  test_json_errors ();
  test_accepts ();
  test_process ();
  test_validate ();
  test_ids ();
  test_namespace_names ();
  rt_spec_free (NULL);
  return tap_done ();
}
