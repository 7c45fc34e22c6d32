/* proto/linux_attrs.c: CPU/node lists, scheduler, I/O priority, personality, memory
   policy and time offsets as the kernel takes them. */
#define _GNU_SOURCE
#include "linux_attrs.h"
#include "tap.h"
#include "util.h"

#include <sched.h>
#include <sys/personality.h>

static void
test_id_list (void)
{
  unsigned long mask[2];
  cleanup_error rt_error_t err = NULL;

  ok (rt_parse_id_list ("0-3,7", mask, 128, "cpus", &err) == 0 && mask[0] == 0x8f && mask[1] == 0,
      "0-3,7");
  ok (rt_parse_id_list ("64, 65", mask, 128, "cpus", &err) == 0 && mask[0] == 0 && mask[1] == 3,
      "a second word, spaces allowed");
  ok (rt_parse_id_list ("", mask, 128, "cpus", &err) == 0 && mask[0] == 0, "empty is no CPU");
  ok (rt_parse_id_list ("3-1", mask, 128, "cpus", &err) < 0, "a reversed range is refused");
  is_str (err ? err->msg : NULL, "cpus \"3-1\": bad range", "its message");
  ok (rt_parse_id_list ("128", mask, 128, "cpus", &err) < 0, "past the mask is refused");
  ok (rt_parse_id_list ("1;2", mask, 128, "cpus", &err) < 0, "junk is refused");
  ok (rt_parse_id_list ("-1", mask, 128, "cpus", &err) < 0, "a negative number is refused");
}

static void
test_sched (void)
{
  char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_KEEP_POLICY", NULL };
  struct rt_process p = { .has_scheduler = true,
                          .scheduler_policy = "SCHED_DEADLINE",
                          .scheduler_runtime = 1,
                          .scheduler_deadline = 2,
                          .scheduler_period = 3,
                          .scheduler_flags = flags,
                          .n_scheduler_flags = 2 };
  struct rt_sched_attr a;
  cleanup_error rt_error_t err = NULL;
  int io;

  ok (sizeof a == 56, "sched_attr is the kernel's 56 bytes");
  ok (rt_sched_attr (&p, &a, &err) == 0 && a.sched_policy == 6 && a.sched_flags == 0x09
          && a.sched_runtime == 1 && a.sched_deadline == 2 && a.sched_period == 3,
      "SCHED_DEADLINE with flags");
  p.scheduler_policy = "SCHED_ISO";
  ok (rt_sched_attr (&p, &a, &err) < 0, "SCHED_ISO is refused");
  p.scheduler_policy = "SCHED_BATCH";
  p.n_scheduler_flags = 0;
  p.scheduler_nice = 20;
  ok (rt_sched_attr (&p, &a, &err) < 0, "nice 20 is refused");

  p.io_priority_class = "IOPRIO_CLASS_BE";
  p.io_priority = 6;
  ok (rt_ioprio_value (&p, &io, &err) == 0 && io == ((2 << 13) | 6), "IOPRIO_CLASS_BE 6");
  p.io_priority = 8;
  ok (rt_ioprio_value (&p, &io, &err) < 0, "priority 8 is refused");
}

static void
test_linux (void)
{
  char *flags[] = { "MPOL_F_STATIC_NODES", NULL };
  struct rt_linux l = { .personality_domain = "LINUX32" };
  struct rt_mempolicy mp;
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *text = NULL;
  unsigned long v;

  ok (rt_personality_value (&l, &v, &err) == 0 && v == PER_LINUX32, "LINUX32");
  l.personality_flags = flags;
  l.n_personality_flags = 1;
  ok (rt_personality_value (&l, &v, &err) < 0, "a personality flag is refused");

  l.memory_policy_mode = "MPOL_INTERLEAVE";
  l.memory_policy_nodes = "0-1";
  l.memory_policy_flags = flags;
  l.n_memory_policy_flags = 1;
  ok (rt_mempolicy (&l, &mp, &err) == 0 && mp.mode == (3 | (1 << 15)) && mp.has_nodes
          && mp.nodes[0] == 3,
      "MPOL_INTERLEAVE|MPOL_F_STATIC_NODES on 0-1");
  l.memory_policy_nodes = NULL;
  ok (rt_mempolicy (&l, &mp, &err) < 0, "interleave without nodes is refused");
  l.memory_policy_mode = "MPOL_LOCAL";
  l.memory_policy_nodes = "0";
  ok (rt_mempolicy (&l, &mp, &err) < 0, "local with nodes is refused");

  ok (rt_time_offsets_text (&l) == NULL, "no timeOffsets, no text");
  l.has_time_offsets = true;
  l.boottime = (struct rt_time_offset){ .set = true, .secs = -5, .nanosecs = 7 };
  text = rt_time_offsets_text (&l);
  is_str (text, "boottime -5 7\n", "timens_offsets text");
}

int
main (void)
{
  test_id_list ();
  test_sched ();
  test_linux ();
  return tap_done ();
}
