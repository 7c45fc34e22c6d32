/* How the process is scheduled and where it runs: process.scheduler (sched_setattr),
   process.ioPriority (ioprio_set), process.execCPUAffinity.final (sched_setaffinity),
   linux.memoryPolicy (set_mempolicy) and linux.personality.  All are inherited across
   execve; rt checked every value before anything was made. */
#define _GNU_SOURCE
#include "init.h"
#include "linux_attrs.h"
#include "nslog.h"

#include <errno.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IOPRIO_WHO_PROCESS 1

int
process_sched (const struct rt_process *p, rt_error_t *err)
{
  struct rt_sched_attr attr;
  int ioprio;

  if (p->has_io_priority)
    {
      if (rt_ioprio_value (p, &ioprio, err) < 0)
        return -1;
      if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, ioprio) < 0)
        return rt_error (err, errno, "ioprio_set %s %d", p->io_priority_class, p->io_priority);
    }
  if (p->has_scheduler)
    {
      if (rt_sched_attr (p, &attr, err) < 0)
        return -1;
      if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
        return rt_error (err, errno, "sched_setattr %s", p->scheduler_policy);
    }
  return 0;
}

int
process_affinity_final (const struct rt_process *p, rt_error_t *err)
{
  cpu_set_t cpus;

  /* config.md: without "final" the affinity stays what it is. */
  if (p->exec_cpu_affinity_final == NULL || *p->exec_cpu_affinity_final == '\0')
    return 0;
  if (rt_parse_id_list (p->exec_cpu_affinity_final, cpus.__bits, CPU_SETSIZE,
                        "process.execCPUAffinity.final", err)
      < 0)
    return -1;
  if (sched_setaffinity (0, sizeof cpus, &cpus) < 0)
    return rt_error (err, errno, "sched_setaffinity %s", p->exec_cpu_affinity_final);
  return 0;
}

int
process_persona_mempolicy (const struct rt_init_config *c, rt_error_t *err)
{
  struct rt_mempolicy mp = { .mode = c->mempolicy_mode };

  if (c->personality >= 0 && personality ((unsigned long) c->personality) < 0)
    return rt_error (err, errno, "personality 0x%x", c->personality);
  if (c->mempolicy_mode < 0)
    return 0;
  if (c->mempolicy_nodes
      && rt_parse_id_list (c->mempolicy_nodes, mp.nodes, RT_MAX_NUMA_NODES,
                           "linux.memoryPolicy.nodes", err)
             < 0)
    return -1;
  if (syscall (SYS_set_mempolicy, mp.mode, c->mempolicy_nodes ? mp.nodes : NULL,
               c->mempolicy_nodes ? (unsigned long) RT_MAX_NUMA_NODES + 1 : 0UL)
      < 0)
    return rt_error (err, errno, "set_mempolicy (mode 0x%x, nodes %s)", mp.mode,
                     c->mempolicy_nodes ? c->mempolicy_nodes : "none");
  return 0;
}
