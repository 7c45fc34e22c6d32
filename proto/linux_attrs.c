#define _GNU_SOURCE
#include "linux_attrs.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

/* <linux/ioprio.h> and <linux/mempolicy.h> values; the headers clash with libc's. */
#define IOPRIO_CLASS_SHIFT 13
enum
{
  MPOL_DEFAULT_ = 0,
  MPOL_PREFERRED_ = 1,
  MPOL_BIND_ = 2,
  MPOL_INTERLEAVE_ = 3,
  MPOL_LOCAL_ = 4,
  MPOL_PREFERRED_MANY_ = 5,
  MPOL_WEIGHTED_INTERLEAVE_ = 6,
};
#define MPOL_F_STATIC_NODES_ (1 << 15)
#define MPOL_F_RELATIVE_NODES_ (1 << 14)
#define MPOL_F_NUMA_BALANCING_ (1 << 13)

static int
parse_id (const char **s, unsigned long *out)
{
  char *end;

  if (**s < '0' || **s > '9')
    return -1;
  errno = 0;
  *out = strtoul (*s, &end, 10);
  if (errno)
    return -1;
  *s = end;
  return 0;
}

int
rt_parse_id_list (const char *s, unsigned long *mask, size_t nbits, const char *what,
                  rt_error_t *err)
{
  const size_t word = 8 * sizeof (unsigned long);
  const char *p = s;

  memset (mask, 0, nbits / 8);
  while (*p)
    {
      unsigned long lo, hi;

      while (*p == ' ')
        p++;
      if (parse_id (&p, &lo) < 0)
        return rt_error (err, 0, "%s \"%s\": want a list like \"0-3,7\"", what, s);
      hi = lo;
      if (*p == '-' && (p++, parse_id (&p, &hi) < 0 || hi < lo))
        return rt_error (err, 0, "%s \"%s\": bad range", what, s);
      if (hi >= nbits)
        return rt_error (err, 0, "%s \"%s\": %lu is out of range (at most %zu)", what, s, hi,
                         nbits - 1);
      for (unsigned long i = lo; i <= hi; i++)
        mask[i / word] |= 1UL << (i % word);
      while (*p == ' ')
        p++;
      if (*p == ',')
        p++;
      else if (*p)
        return rt_error (err, 0, "%s \"%s\": want a list like \"0-3,7\"", what, s);
    }
  return 0;
}

static const struct rt_name_value sched_policies[] = {
  { "SCHED_OTHER", SCHED_OTHER }, { "SCHED_FIFO", SCHED_FIFO },
  { "SCHED_RR", SCHED_RR },       { "SCHED_BATCH", SCHED_BATCH },
  { "SCHED_IDLE", SCHED_IDLE },   { "SCHED_DEADLINE", SCHED_DEADLINE },
};

static const struct rt_name_value sched_flags[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

int
rt_sched_attr (const struct rt_process *p, struct rt_sched_attr *a, rt_error_t *err)
{
  long v;

  memset (a, 0, sizeof *a);
  a->size = sizeof *a;
  /* SCHED_ISO is in the spec but was never merged into Linux. */
  if (rt_name_lookup (sched_policies, ARRAY_SIZE (sched_policies), p->scheduler_policy, &v) < 0)
    return rt_error (err, 0, "process.scheduler.policy: %s does not exist in Linux",
                     p->scheduler_policy);
  a->sched_policy = (uint32_t) v;
  for (size_t i = 0; i < p->n_scheduler_flags; i++)
    {
      if (rt_name_lookup (sched_flags, ARRAY_SIZE (sched_flags), p->scheduler_flags[i], &v) < 0)
        return rt_error (err, 0, "process.scheduler.flags: unknown flag %s", p->scheduler_flags[i]);
      a->sched_flags |= (uint64_t) v;
    }
  /* The clamps' values are not in the spec: the flags ask for the full range. */
  a->sched_util_max = 1024;
  a->sched_nice = p->scheduler_nice;
  a->sched_priority = (uint32_t) p->scheduler_priority;
  a->sched_runtime = p->scheduler_runtime;
  a->sched_deadline = p->scheduler_deadline;
  a->sched_period = p->scheduler_period;
  if (p->scheduler_nice < -20 || p->scheduler_nice > 19)
    return rt_error (err, 0, "process.scheduler.nice: %d is outside [-20, 19]", p->scheduler_nice);
  if (p->scheduler_priority < 0 || p->scheduler_priority > 99)
    return rt_error (err, 0, "process.scheduler.priority: %d is outside [0, 99]",
                     p->scheduler_priority);
  return 0;
}

static const struct rt_name_value ioprio_classes[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
};

int
rt_ioprio_value (const struct rt_process *p, int *value, rt_error_t *err)
{
  long cls;

  if (rt_name_lookup (ioprio_classes, ARRAY_SIZE (ioprio_classes), p->io_priority_class, &cls) < 0)
    return rt_error (err, 0, "process.ioPriority.class: unknown class %s", p->io_priority_class);
  if (p->io_priority < 0 || p->io_priority > 7)
    return rt_error (err, 0, "process.ioPriority.priority: %d is outside [0, 7]", p->io_priority);
  *value = (int) (cls << IOPRIO_CLASS_SHIFT) | p->io_priority;
  return 0;
}

int
rt_personality_value (const struct rt_linux *l, unsigned long *value, rt_error_t *err)
{
  /* config-linux.md: "Currently no flag values are supported." */
  if (l->n_personality_flags > 0)
    return rt_error (err, 0, "linux.personality.flags: %s: the spec defines no flags",
                     l->personality_flags[0]);
  if (strcmp (l->personality_domain, "LINUX") == 0)
    *value = PER_LINUX;
  else if (strcmp (l->personality_domain, "LINUX32") == 0)
    *value = PER_LINUX32;
  else
    return rt_error (err, 0, "linux.personality.domain: unknown domain %s", l->personality_domain);
  return 0;
}

static const struct rt_name_value mpol_modes[] = {
  { "MPOL_DEFAULT", MPOL_DEFAULT_ },
  { "MPOL_PREFERRED", MPOL_PREFERRED_ },
  { "MPOL_BIND", MPOL_BIND_ },
  { "MPOL_INTERLEAVE", MPOL_INTERLEAVE_ },
  { "MPOL_LOCAL", MPOL_LOCAL_ },
  { "MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY_ },
  { "MPOL_WEIGHTED_INTERLEAVE", MPOL_WEIGHTED_INTERLEAVE_ },
};

static const struct rt_name_value mpol_flags[] = {
  { "MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES_ },
  { "MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES_ },
  { "MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING_ },
};

int
rt_mempolicy (const struct rt_linux *l, struct rt_mempolicy *mp, rt_error_t *err)
{
  long v;
  bool nodes_forbidden, nodes_required;

  memset (mp, 0, sizeof *mp);
  if (rt_name_lookup (mpol_modes, ARRAY_SIZE (mpol_modes), l->memory_policy_mode, &v) < 0)
    return rt_error (err, 0, "linux.memoryPolicy.mode: unknown mode %s", l->memory_policy_mode);
  mp->mode = (int) v;
  for (size_t i = 0; i < l->n_memory_policy_flags; i++)
    {
      if (rt_name_lookup (mpol_flags, ARRAY_SIZE (mpol_flags), l->memory_policy_flags[i], &v) < 0)
        return rt_error (err, 0, "linux.memoryPolicy.flags: unknown flag %s",
                         l->memory_policy_flags[i]);
      mp->mode |= (int) v;
    }
  if (l->memory_policy_nodes && *l->memory_policy_nodes)
    {
      if (rt_parse_id_list (l->memory_policy_nodes, mp->nodes, RT_MAX_NUMA_NODES,
                            "linux.memoryPolicy.nodes", err)
          < 0)
        return -1;
      mp->has_nodes = true;
    }
  /* set_mempolicy(2): these take no nodes, those need some; say so before the kernel's
     EINVAL does. */
  v = mp->mode & 0xff;
  nodes_forbidden = v == MPOL_DEFAULT_ || v == MPOL_LOCAL_;
  nodes_required = v == MPOL_BIND_ || v == MPOL_INTERLEAVE_ || v == MPOL_PREFERRED_MANY_
                   || v == MPOL_WEIGHTED_INTERLEAVE_;
  if (nodes_forbidden && mp->has_nodes)
    return rt_error (err, 0, "linux.memoryPolicy: %s takes no nodes", l->memory_policy_mode);
  if (nodes_required && !mp->has_nodes)
    return rt_error (err, 0, "linux.memoryPolicy: %s needs nodes", l->memory_policy_mode);
  return 0;
}

static void
offset_line (char **text, const char *clock, const struct rt_time_offset *t)
{
  char *line;

  if (!t->set)
    return;
  line = xasprintf ("%s%s %lld %u\n", *text ? *text : "", clock, (long long) t->secs, t->nanosecs);
  free (*text);
  *text = line;
}

char *
rt_time_offsets_text (const struct rt_linux *l)
{
  char *text = NULL;

  if (!l->has_time_offsets)
    return NULL;
  offset_line (&text, "monotonic", &l->monotonic);
  offset_line (&text, "boottime", &l->boottime);
  return text;
}

static bool
apparmor_enabled (void)
{
  cleanup_free char *buf = NULL;
  cleanup_error rt_error_t ignored = NULL; /* unreadable: not enabled */
  size_t len;

  if (access ("/sys/kernel/security/apparmor", F_OK) < 0)
    return false;
  return read_file ("/sys/module/apparmor/parameters/enabled", &buf, &len, &ignored) == 0
         && buf[0] == 'Y';
}

int
rt_lsm_check (const struct rt_process *p, const char *mount_label, rt_error_t *err)
{
  bool selinux = access ("/sys/fs/selinux", F_OK) == 0;

  if (p && p->apparmor_profile && p->apparmor_profile[0] && !apparmor_enabled ())
    return rt_error (err, 0, "apparmor profile requested but AppArmor is not enabled on this host");
  if (p && p->selinux_label && p->selinux_label[0] && !selinux)
    return rt_error (err, 0, "selinux label requested but SELinux is not enabled on this host");
  /* linux.mountLabel is an SELinux context for the container's mounts */
  if (mount_label && mount_label[0] && !selinux)
    return rt_error (err, 0,
                     "selinux mount label requested but SELinux is not enabled on this host");
  return 0;
}

/* runc's validator: the namespace a sysctl lives in, which must be the container's own. */
static int
sysctl_namespace (const char *key)
{
  static const char *const ipc[]
      = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
          "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced" };

  for (size_t i = 0; i < sizeof ipc / sizeof ipc[0]; i++)
    if (strcmp (key, ipc[i]) == 0)
      return CLONE_NEWIPC;
  if (strncmp (key, "fs.mqueue.", 10) == 0)
    return CLONE_NEWIPC;
  if (strncmp (key, "net.", 4) == 0)
    return CLONE_NEWNET;
  if (strcmp (key, "kernel.hostname") == 0 || strcmp (key, "kernel.domainname") == 0)
    return CLONE_NEWUTS;
  return 0;
}

int
rt_sysctl_check (const struct rt_linux *l, const char *key, rt_error_t *err)
{
  int need = sysctl_namespace (key);
  bool own = need != 0 && rt_linux_namespace (l, need) != NULL;

  /* runc's words: clients and scripts compare them */
  if (need == CLONE_NEWIPC && !own)
    return rt_error (err, 0,
                     "linux.sysctl: sysctl \"%s\" is not allowed in the hosts ipc namespace", key);
  if (need == CLONE_NEWNET && !own)
    return rt_error (err, 0, "linux.sysctl: sysctl \"%s\" not allowed in host network namespace",
                     key);
  if (need == CLONE_NEWUTS && own && strcmp (key, "kernel.hostname") == 0)
    return rt_error (err, 0,
                     "linux.sysctl: sysctl \"%s\" is not allowed as it conflicts with the OCI "
                     "\"hostname\" field",
                     key);
  if (need == 0 || !own)
    return rt_error (err, 0, "linux.sysctl: sysctl \"%s\" is not in a separate kernel namespace",
                     key);
  return 0;
}
