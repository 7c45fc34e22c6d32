/* The per-process Linux attributes of the spec that map names to kernel values: the
   scheduler (sched_setattr), the I/O priority (ioprio_set), CPU and memory-node lists
   (sched_setaffinity, set_mempolicy) and the personality.  Both sides use them: rt checks
   a config with them before anything is made, nsinit applies what they return. */
#ifndef RT_LINUX_ATTRS_H
#define RT_LINUX_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

/* struct sched_attr of sched_setattr(2) (with the utilization clamps, 56 bytes). */
struct rt_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
  uint32_t sched_util_min, sched_util_max;
};

/* A CPU or memory-node list ("0-3,7") as a bit mask of NBITS bits (cpu_set_t, nodemask).
   -1 with a message naming WHAT when the syntax is bad or a number is NBITS or more. */
int rt_parse_id_list (const char *s, unsigned long *mask, size_t nbits, const char *what,
                      rt_error_t *err);

/* process.scheduler as a sched_attr; -1 for a policy or flag Linux does not have. */
int rt_sched_attr (const struct rt_process *p, struct rt_sched_attr *attr, rt_error_t *err);

/* process.ioPriority as the value of ioprio_set(2). */
int rt_ioprio_value (const struct rt_process *p, int *value, rt_error_t *err);

/* linux.personality as the value of personality(2). */
int rt_personality_value (const struct rt_linux *l, unsigned long *value, rt_error_t *err);

/* linux.memoryPolicy: mode | flags, and the node mask (MAXNODE bits in NODES). */
#define RT_MAX_NUMA_NODES 1024
struct rt_mempolicy
{
  int mode; /* MPOL_* | MPOL_F_* */
  unsigned long nodes[RT_MAX_NUMA_NODES / (8 * sizeof (unsigned long))];
  bool has_nodes;
};
int rt_mempolicy (const struct rt_linux *l, struct rt_mempolicy *mp, rt_error_t *err);

/* process.apparmorProfile and selinuxLabel (P may be NULL), linux.mountLabel (may be
   NULL): refused when the host does not have the LSM. */
int rt_lsm_check (const struct rt_process *p, const char *mount_label, rt_error_t *err);

/* A linux.sysctl key: refused unless it lives in a namespace the container has (runc's
   rules: IPC keys and fs.mqueue.*, net.*, kernel.hostname/domainname). */
int rt_sysctl_check (const struct rt_linux *l, const char *key, rt_error_t *err);

/* idmap.c: an fd of a new user namespace with these maps (for MOUNT_ATTR_IDMAP). */
int rt_idmap_userns (const struct rt_id_mapping *uids, size_t n_uids,
                     const struct rt_id_mapping *gids, size_t n_gids, rt_error_t *err);

/* linux.timeOffsets as the text for /proc/PID/timens_offsets ("monotonic 5 0\n..."),
   malloc'ed, or NULL when there are none. */
char *rt_time_offsets_text (const struct rt_linux *l);

#endif
