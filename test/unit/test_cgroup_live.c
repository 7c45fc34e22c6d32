/* The cgroup managers on this machine's cgroups (root only): v1 on the host's v1
   hierarchies, v2 on the hybrid host's cgroup2 mount (/sys/fs/cgroup/unified), which
   reaches the v2 code paths a pure cgroup2 host would take: clone3(CLONE_INTO_CGROUP),
   the eBPF device program enforced on a real process, freeze, cgroup.kill, stats, unified
   keys, and removal.  Every cgroup lives under /rt-test-unit-<pid> and is removed at
   exit, also when a check fails. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "tap.h"

#define UNIFIED "/sys/fs/cgroup/unified"

static char base[64];
static pid_t children[16];
static size_t n_children;

#define skip(...)                                                                                  \
  do                                                                                               \
    {                                                                                              \
      printf ("ok %d # SKIP ", ++tap_n);                                                           \
      printf (__VA_ARGS__);                                                                        \
      printf ("\n");                                                                               \
    }                                                                                              \
  while (0)

static void
rmdir_tree (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *de;

  while (d != NULL && (de = readdir (d)) != NULL)
    if (de->d_type == DT_DIR && de->d_name[0] != '.')
      {
        cleanup_free char *sub = xasprintf ("%s/%s", dir, de->d_name);
        rmdir_tree (sub);
      }
  if (d != NULL)
    closedir (d);
  for (int i = 0; i < 50 && rmdir (dir) < 0 && errno == EBUSY; i++)
    usleep (20000);
}

/* Whatever happened: our children die, our cgroups go (thawed first, or they could not). */
static void
cleanup (void)
{
  static const char *const mounts[] = { "/sys/fs/cgroup/cpu",     "/sys/fs/cgroup/cpuacct",
                                        "/sys/fs/cgroup/cpuset",  "/sys/fs/cgroup/memory",
                                        "/sys/fs/cgroup/devices", "/sys/fs/cgroup/freezer",
                                        "/sys/fs/cgroup/blkio",   "/sys/fs/cgroup/pids",
                                        "/sys/fs/cgroup/systemd", UNIFIED };

  for (size_t i = 0; i < n_children; i++)
    if (children[i] > 0)
      {
        kill (children[i], SIGKILL);
        waitpid (children[i], NULL, 0);
      }
  for (size_t i = 0; i < ARRAY_SIZE (mounts); i++)
    {
      cleanup_free char *dir = xasprintf ("%s%s", mounts[i], base);
      cleanup_free char *frz = xasprintf ("/sys/fs/cgroup/freezer%s/v1/freezer.state", base);
      cleanup_free char *frz2 = xasprintf ("%s%s/v2/cgroup.freeze", UNIFIED, base);
      write_file (frz, "THAWED", 6, 0, NULL);
      write_file (frz2, "0", 1, 0, NULL);
      rmdir_tree (dir);
    }
}

static pid_t
track (pid_t pid)
{
  if (pid > 0 && n_children < ARRAY_SIZE (children))
    children[n_children++] = pid;
  return pid;
}

static void
reap (pid_t pid, int *status)
{
  waitpid (pid, status, 0);
  for (size_t i = 0; i < n_children; i++)
    if (children[i] == pid)
      children[i] = 0;
}

/* A child that, once told (a byte on *GO), touches 2 MiB (charged to its cgroup by then)
   and sleeps. */
static pid_t
sleeper (int *go)
{
  int p[2];
  pid_t pid;

  if (pipe (p) < 0)
    return -1;
  pid = fork ();
  if (pid == 0)
    {
      volatile char *mem;
      char c;
      close (p[1]);
      /* volatile: the compiler may not drop the stores (nothing reads them) */
      if (read (p[0], &c, 1) == 1 && (mem = malloc (2 << 20)) != NULL)
        for (size_t i = 0; i < (2 << 20); i += 4096)
          mem[i] = 1;
      for (;;)
        pause ();
    }
  close (p[0]);
  *go = p[1];
  return track (pid);
}

static struct rt_spec *
resources (const char *sq)
{
  cleanup_free char *json
      = xasprintf ("{'ociVersion':'1.0.2','root':{'path':'/'},'linux':{'resources':%s}}", sq);
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = NULL;

  for (char *p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (rt_spec_parse (json, strlen (json), &spec, &err) < 0)
    printf ("# resources: %s\n", err->msg);
  return spec;
}

/* The first line of DIR/FILE, or "" */
static char *
file_of (const char *dir, const char *file)
{
  char *text = NULL;
  if (cg_read (dir, file, &text, NULL) < 0)
    return xstrdup ("");
  text[strcspn (text, "\n")] = '\0';
  return text;
}

static void
is_file (const char *dir, const char *file, const char *want)
{
  cleanup_free char *got = file_of (dir, file);
  is_str (got, want, "%s = %s", file, want);
}

/* A whole disk for the throttle files ("254:0"), or NULL. */
static char *
a_disk (void)
{
  DIR *d = opendir ("/sys/block");
  struct dirent *de;
  char *dev = NULL;

  while (d != NULL && dev == NULL && (de = readdir (d)) != NULL)
    {
      cleanup_free char *path = NULL;
      if (de->d_name[0] == '.' || strncmp (de->d_name, "loop", 4) == 0
          || strncmp (de->d_name, "zram", 4) == 0 || strncmp (de->d_name, "ram", 3) == 0)
        continue;
      path = xasprintf ("/sys/block/%s/dev", de->d_name);
      if (read_file (path, &dev, NULL, NULL) == 0)
        dev[strcspn (dev, "\n")] = '\0';
    }
  if (d != NULL)
    closedir (d);
  return dev;
}

static void
set_ok (struct rt_cgroup *cg, const char *sq, const char *name)
{
  struct rt_spec *spec = resources (sq);
  cleanup_error rt_error_t err = NULL;

  ok (spec != NULL && cg->ops->set (cg, &spec->linux_.resources, &err) == 0, "set %s%s%s", name,
      err ? ": " : "", err ? err->msg : "");
  rt_spec_free (spec);
}

static void
set_fails (struct rt_cgroup *cg, const char *sq, const char *want, const char *name)
{
  struct rt_spec *spec = resources (sq);
  cleanup_error rt_error_t err = NULL;

  ok (spec != NULL && cg->ops->set (cg, &spec->linux_.resources, &err) < 0, "%s is refused", name);
  ok (err != NULL && strstr (err->msg, want) != NULL, "  %s", err ? err->msg : "(no error)");
  rt_spec_free (spec);
}

static void
v1_limits (struct rt_cgroup *cg, const char *disk)
{
  cleanup_free char *mem = xasprintf ("/sys/fs/cgroup/memory%s", cg->path);
  cleanup_free char *cpu = xasprintf ("/sys/fs/cgroup/cpu%s", cg->path);
  cleanup_free char *cpuset = xasprintf ("/sys/fs/cgroup/cpuset%s", cg->path);
  cleanup_free char *pids = xasprintf ("/sys/fs/cgroup/pids%s", cg->path);
  cleanup_free char *blkio = xasprintf ("/sys/fs/cgroup/blkio%s", cg->path);
  cleanup_free char *json = NULL, *bps = NULL;

  unsigned major = 0, minor = 0;
  cleanup_free char *throttle = NULL;

  if (disk != NULL && sscanf (disk, "%u:%u", &major, &minor) == 2)
    throttle = xasprintf (",'throttleReadBpsDevice':[{'major':%u,'minor':%u,'rate':1048576}]",
                          major, minor);
  json = xasprintf (
      "{'memory':{'limit':67108864,'reservation':33554432,'swap':134217728,'swappiness':10,"
      "'disableOOMKiller':true},'cpu':{'shares':512,'quota':10000,'period':50000,'burst':500,"
      "'idle':0,'cpus':'0','mems':'0'},'pids':{'limit':33},'blockIO':{'weight':200%s}}",
      throttle ? throttle : "");
  set_ok (cg, json, "memory, cpu, cpuset, pids and blkio limits");
  is_file (mem, "memory.limit_in_bytes", "67108864");
  is_file (mem, "memory.memsw.limit_in_bytes", "134217728");
  is_file (mem, "memory.soft_limit_in_bytes", "33554432");
  is_file (mem, "memory.swappiness", "10");
  is_file (mem, "memory.oom_control", "oom_kill_disable 1");
  is_file (cpu, "cpu.shares", "512");
  is_file (cpu, "cpu.cfs_quota_us", "10000");
  is_file (cpu, "cpu.cfs_period_us", "50000");
  is_file (cpu, "cpu.cfs_burst_us", "500");
  is_file (cpu, "cpu.idle", "0");
  set_ok (cg, "{'cpu':{'idle':1}}", "cpu.idle");
  is_file (cpu, "cpu.idle", "1");
  set_ok (cg, "{'cpu':{'idle':0,'shares':512}}", "cpu.idle off, shares back");
  is_file (cpu, "cpu.shares", "512");
  is_file (cpuset, "cpuset.cpus", "0");
  is_file (pids, "pids.max", "33");
  is_file (blkio, "blkio.bfq.weight", "200");
  if (throttle == NULL)
    skip ("no whole disk for blkio.throttle.read_bps_device");
  else
    {
      bps = xasprintf ("%s 1048576", disk);
      is_file (blkio, "blkio.throttle.read_bps_device", bps);
    }
}

/* rt update: only what is given changes; memsw/limit order both ways; devices stay. */
static void
v1_update (struct rt_cgroup *cg)
{
  cleanup_free char *mem = xasprintf ("/sys/fs/cgroup/memory%s", cg->path);
  cleanup_free char *dev = xasprintf ("/sys/fs/cgroup/devices%s", cg->path);
  cleanup_free char *before = file_of (dev, "devices.list");
  cleanup_free char *after = NULL;

  cg->update = true;
  set_ok (cg, "{'memory':{'limit':268435456,'swap':536870912}}", "a limit above memsw (update)");
  is_file (mem, "memory.limit_in_bytes", "268435456");
  is_file (mem, "memory.memsw.limit_in_bytes", "536870912");
  set_ok (cg, "{'memory':{'limit':16777216,'swap':33554432},'devices':[{'allow':true}]}",
          "a limit below the old one (update)");
  is_file (mem, "memory.limit_in_bytes", "16777216");
  is_file (mem, "memory.memsw.limit_in_bytes", "33554432");
  after = file_of (dev, "devices.list");
  is_str (after, before, "update leaves the device rules alone");
  set_fails (cg, "{'memory':{'limit':1048576,'checkBeforeUpdate':true}}", "below usage",
             "checkBeforeUpdate with a limit under the usage");
  cg->update = false;
}

static void
v1_errors (struct rt_cgroup *cg)
{
  set_fails (cg, "{'unified':{'pids.max':'10'}}", "cannot use unified on cgroup v1",
             "unified on v1");
  set_fails (cg, "{'blockIO':{'leafWeight':300}}", "blkio.leaf_weight", "blockIO.leafWeight");
  set_fails (cg, "{'hugepageLimits':[{'pageSize':'3MB','limit':1}]}",
             "page size \"3MB\" is not one of this machine's", "a hugepage size the machine lacks");
  set_fails (cg, "{'rdma':{'mlx4_0':{'hcaHandles':1}}}", "the rdma controller is not mounted",
             "rdma (no rdma controller in this kernel)");
  set_fails (cg, "{'memory':{'useHierarchy':false}}", "memory.useHierarchy",
             "useHierarchy false (always hierarchical since Linux 5.x)");
  set_fails (cg, "{'cpu':{'shares':1}}", "the minimum allowed cpu-shares is 2",
             "cpu.shares below the kernel's minimum (read back, as runc)");
}

static void
v1_devices (struct rt_cgroup *cg)
{
  cleanup_free char *dev = xasprintf ("/sys/fs/cgroup/devices%s", cg->path);
  cleanup_free char *list = NULL;

  set_ok (cg,
          "{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,"
          "'minor':229,'access':'rw'}]}",
          "device rules");
  cg_read (dev, "devices.list", &list, NULL);
  is_str (list,
          "b *:* m\nc *:* m\nc 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 "
          "rwm\nc 5:2 rwm\nc 10:200 rwm\nc 10:229 rw\nc 136:* rwm",
          "devices.list: deny all, the spec's rule and runc's defaults");
}

static void
v1_freeze_stats_kill (struct rt_cgroup *cg, pid_t child)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_stats st = { 0 };
  cleanup_free pid_t *pids = NULL;
  cleanup_free char *json = NULL;
  bool frozen = false;
  size_t n = 0;
  int status = 0;

  ok (cg->ops->freeze (cg, true, &err) == 0 && cg->ops->frozen (cg, &frozen, &err) == 0 && frozen,
      "freeze: freezer.state FROZEN");
  ok (cg->ops->freeze (cg, false, &err) == 0 && cg->ops->frozen (cg, &frozen, &err) == 0 && !frozen,
      "thaw");
  ok (cg->ops->pids (cg, &pids, &n, &err) == 0 && n == 1 && pids[0] == child,
      "pids: the one process");
  ok (cg->ops->stats (cg, &st, &err) == 0, "stats");
  ok (st.pids.current == 1 && st.memory.usage.limit == 16777216 && st.cpuset.n_cpus == 1
          && st.memory.n_raw > 10 && st.memory.usage.usage >= (2 << 20),
      "stats: pids.current 1, memory limit and usage, cpuset, memory.stat");
  json = rt_stats_event_json ("x", &st);
  ok (strstr (json, "\"pids\":{\"current\":1,\"limit\":33}") != NULL, "stats JSON has the pids");
  rt_stats_clear (&st);
  /* SIGKILL reaches a paused container: it is thawed for it */
  ok (cg->ops->freeze (cg, true, &err) == 0, "freeze again");
  ok (cg->ops->kill (cg, SIGKILL, &err) == 0, "kill SIGKILL through the cgroup");
  reap (child, &status);
  ok (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL, "the frozen child died of SIGKILL");
}

static void
v1_oom (struct rt_cgroup *cg)
{
  cleanup_free char *mem = xasprintf ("/sys/fs/cgroup/memory%s", cg->path);
  cleanup_error rt_error_t err = NULL;
  cleanup_close int fd = -1;
  unsigned events = 0;
  bool gone = true;
  int status = 0, go[2];
  pid_t pid;

  set_ok (cg, "{'memory':{'limit':33554432,'swap':33554432}}", "a 32 MiB limit without swap");
  cg_write (mem, "memory.oom_control", "0", NULL); /* the OOM killer, disabled above */
  ok (cg->ops->oom_open (cg, &fd, &err) == 0 && fd >= 0, "OOM eventfd registered");
  if (pipe (go) < 0)
    return;
  pid = fork ();
  if (pid == 0)
    {
      size_t size = 64 << 20;
      volatile char *p;
      char c;
      if (read (go[0], &c, 1) != 1)
        _exit (99);
      p = malloc (size);
      for (size_t i = 0; p && i < size; i += 4096)
        p[i] = 1;
      _exit (0);
    }
  track (pid);
  close (go[0]);
  ok (cg->ops->apply (cg, pid, &err) == 0, "a child that needs 64 MiB joins");
  ok (write (go[1], "x", 1) == 1, "(it starts allocating)");
  close (go[1]);
  reap (pid, &status);
  ok (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL, "it is OOM-killed");
  ok (cg->ops->oom_read (cg, fd, &events, &gone, &err) == 0 && events == 1 && !gone,
      "one OOM event, cgroup still there");
}

static void
test_v1 (void)
{
  cleanup_free char *path = xasprintf ("%s/v1", base);
  cleanup_free char *disk = a_disk ();
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *procs = NULL;
  struct rt_cgroup *cg = NULL;
  bool gone = false;
  unsigned events = 0;
  int fd = -1, go = -1;
  pid_t child;

  if (rt_cgroup_new (path, "x", &cg, &err) < 0 || strcmp (cg->ops->name, "v1") != 0)
    {
      skip ("the host is not cgroup v1");
      rt_cgroup_free (cg);
      return;
    }
  child = sleeper (&go);
  ok (cg->ops->apply (cg, child, &err) == 0, "apply: the child joins %s", path);
  ok (write (go, "x", 1) == 1, "(the child uses 2 MiB there)");
  close (go);
  {
    /* wait until the pages are charged: checkBeforeUpdate below depends on it */
    cleanup_free char *mem = xasprintf ("/sys/fs/cgroup/memory%s", path);
    uint64_t usage = 0;
    for (int i = 0; i < 200 && usage < (2 << 20); i++)
      {
        usleep (10000);
        if (cg_read_u64 (mem, "memory.usage_in_bytes", 0, &usage, NULL) < 0)
          usage = 0;
      }
    ok (usage >= (2 << 20), "the child's 2 MiB are charged to the cgroup");
  }

  procs = xasprintf ("/sys/fs/cgroup/pids%s/cgroup.procs", path);
  {
    cleanup_free char *text = NULL;
    char want[32];
    snprintf (want, sizeof want, "%d", child);
    read_file (procs, &text, NULL, NULL);
    ok (text != NULL && atoi (text) == child, "pids cgroup.procs has %s", want);
  }
  v1_devices (cg);
  v1_limits (cg, disk);
  v1_errors (cg);
  v1_update (cg);
  v1_freeze_stats_kill (cg, child);
  v1_oom (cg);
  ok (cg->ops->oom_open (cg, &fd, &err) == 0, "OOM eventfd again");
  ok (cg->ops->destroy (cg, &err) == 0, "destroy%s%s", err ? ": " : "", err ? err->msg : "");
  ok (access (procs, F_OK) < 0, "the cgroup is gone");
  usleep (100000);
  ok (fd >= 0 && cg->ops->oom_read (cg, fd, &events, &gone, &err) == 0 && gone && events == 0,
      "the eventfd says the cgroup went away (events stops)");
  if (fd >= 0)
    close (fd);
  rt_cgroup_free (cg);
}

/* ---- v2 on the hybrid host's cgroup2 mount ---- */

/* The child waits for a byte, then reports which devices it could open (a bit each
   for the expected outcome) and stays. */
static void
device_probe (int rfd, int wfd)
{
  char c, bits = 0;

  if (read (rfd, &c, 1) != 1)
    _exit (99);
  if (open ("/dev/null", O_RDONLY) >= 0)
    bits |= 1;
  if (open ("/dev/fuse", O_RDWR) < 0 && errno == EPERM)
    bits |= 2;
  if (open ("/dev/loop-control", O_RDONLY) < 0 && errno == EPERM)
    bits |= 4;
  if (write (wfd, &bits, 1) != 1)
    _exit (98);
  for (;;)
    pause ();
}

/* fork(2) into the cgroup CG with clone3(CLONE_INTO_CGROUP), as the launcher does on v2. */
static pid_t
fork_into (struct rt_cgroup *cg, rt_error_t *err)
{
  cleanup_close int fd = -1;
  struct clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD };

  if (cg->ops->open_dir (cg, &fd, err) < 0)
    return -1;
  args.cgroup = (uint64_t) fd;
  return (pid_t) syscall (SYS_clone3, &args, sizeof args);
}

static void
v2_hugetlb (struct rt_cgroup *cg, const char *dir)
{
  cleanup_free char *have = file_of (dir, "cgroup.controllers");

  if (strstr (have, "hugetlb") == NULL)
    {
      skip ("hugetlb is not delegated by this machine's cgroup2 root");
      return;
    }
  set_ok (cg, "{'hugepageLimits':[{'pageSize':'2MB','limit':4194304}]}", "hugepageLimits");
  is_file (dir, "hugetlb.2MB.max", "4194304");
}

static void
v2_set (struct rt_cgroup *cg, const char *dir)
{
  set_ok (cg, "{'unified':{'cgroup.max.descendants':'3','cgroup.max.depth':'2'}}",
          "unified keys that exist without controllers");
  is_file (dir, "cgroup.max.descendants", "3");
  is_file (dir, "cgroup.max.depth", "2");
  set_fails (cg, "{'unified':{'memory.max':'1'}}",
             "unified resource \"memory.max\" can't be set: controller \"memory\" not available",
             "a unified key of a missing controller");
  set_fails (cg, "{'unified':{'../cgroup.procs':'1'}}", "must be a file name (no slashes)",
             "a unified key with a slash");
  set_fails (cg, "{'pids':{'limit':10}}", "the pids controller is not available",
             "pids.limit without the pids controller");
  v2_hugetlb (cg, dir);
}

static void
v2_lifecycle (struct rt_cgroup *cg, pid_t child, const char *dir)
{
  cleanup_error rt_error_t err = NULL;
  cleanup_free pid_t *pids = NULL;
  struct rt_stats st = { 0 };
  cleanup_close int fd = -1;
  bool frozen = false, gone = false;
  unsigned events = 0;
  size_t n = 0;
  int status = 0;

  ok (cg->ops->freeze (cg, true, &err) == 0 && cg->ops->frozen (cg, &frozen, &err) == 0 && frozen,
      "freeze: cgroup.freeze 1, cgroup.events frozen 1");
  is_file (dir, "cgroup.freeze", "1");
  ok (cg->ops->freeze (cg, false, &err) == 0, "thaw");
  ok (cg->ops->pids (cg, &pids, &n, &err) == 0 && n == 1 && pids[0] == child, "pids");
  ok (cg->ops->stats (cg, &st, &err) == 0 && st.pids.current == 1,
      "stats: pids counted from cgroup.procs (no pids controller)");
  rt_stats_clear (&st);
  ok (cg->ops->oom_open (cg, &fd, &err) == 0 && fd >= 0, "events watch (cgroup.events)");
  ok (cg->ops->freeze (cg, true, &err) == 0, "freeze again");
  ok (cg->ops->kill (cg, SIGKILL, &err) == 0, "cgroup.kill");
  reap (child, &status);
  ok (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL, "the frozen child died");
  for (int i = 0; i < 50 && !gone; i++)
    {
      usleep (20000);
      cg->ops->oom_read (cg, fd, &events, &gone, &err);
    }
  ok (gone && events == 0, "populated 0: events would stop");
}

static void
test_v2 (void)
{
  cleanup_free char *path = xasprintf ("%s/v2", base);
  cleanup_free char *dir = xasprintf ("%s%s", UNIFIED, path);
  cleanup_free char *own = NULL, *want = NULL;
  cleanup_error rt_error_t err = NULL;
  struct rt_cgroup *cg;
  int p[2], r[2];
  char bits = 0;
  pid_t child;

  if (access (UNIFIED "/cgroup.procs", F_OK) < 0)
    {
      skip ("no cgroup2 mount at %s", UNIFIED);
      return;
    }
  cg = cg_new_v2 (UNIFIED, path);
  if (pipe (p) < 0 || pipe (r) < 0)
    return;
  child = fork_into (cg, &err);
  if (child == 0)
    device_probe (p[0], r[1]);
  track (child);
  close (p[0]);
  close (r[1]);
  ok (child > 0, "open_dir + clone3(CLONE_INTO_CGROUP) started the child in %s", path);
  own = xasprintf ("/proc/%d/cgroup", child);
  {
    cleanup_free char *text = NULL;
    want = xasprintf ("0::%s\n", path);
    read_file (own, &text, NULL, NULL);
    ok (text != NULL && strstr (text, want) != NULL, "its /proc/PID/cgroup says %s", path);
  }
  set_ok (cg, "{'devices':[{'allow':false,'access':'rwm'}]}", "device rules: the eBPF program");
  ok (write (p[1], "x", 1) == 1 && read (r[0], &bits, 1) == 1, "the child probes its devices");
  ok (bits & 1, "the program lets it open /dev/null (runc's defaults)");
  ok (bits & 2, "/dev/fuse (10:229): EPERM");
  ok (bits & 4, "/dev/loop-control (10:237): EPERM");
  v2_set (cg, dir);
  v2_lifecycle (cg, child, dir);
  ok (cg->ops->destroy (cg, &err) == 0 && access (dir, F_OK) < 0, "destroy");
  close (p[1]);
  close (r[0]);
  rt_cgroup_free (cg);
}

/* A hybrid host whose cgroup2 root delegates hugetlb (v1 has no hugetlb hierarchy here):
   the v1 manager puts the container there for hugepageLimits alone. */
static void
test_hybrid_hugetlb (void)
{
  cleanup_free char *path = xasprintf ("%s/hy", base);
  cleanup_free char *unified = cg_v1_unified_for ("hugetlb");
  cleanup_free char *dir = xasprintf ("%s%s", UNIFIED, path);
  cleanup_free char *v1hugetlb = NULL;
  cleanup_error rt_error_t err = NULL;
  struct rt_stats st = { 0 };
  struct rt_cgroup *cg = NULL;
  int go = -1, status = 0;
  pid_t child;

  if (rt_cgroup_new (path, "x", &cg, &err) < 0 || strcmp (cg->ops->name, "v1") != 0)
    {
      skip ("the host is not cgroup v1");
      rt_cgroup_free (cg);
      return;
    }
  {
    /* what the manager finds is what the cgroup2 root's subtree_control says */
    cleanup_free char *ctl = file_of (UNIFIED, "cgroup.subtree_control");
    bool delegated = strstr (ctl, "hugetlb") != NULL;
    ok ((unified != NULL) == delegated && (unified == NULL || strcmp (unified, UNIFIED) == 0),
        "the cgroup2 mount is found for hugetlb exactly when its root delegates it (%s)",
        delegated ? "it does now" : "it does not now");
    ok (cg_v1_unified_for ("nosuchcontroller") == NULL, "and not for an unknown controller");
  }
  v1hugetlb = cg_v1_dir (cg, "hugetlb", NULL);
  if (v1hugetlb != NULL || unified == NULL)
    {
      skip ("hugetlb is %s",
            v1hugetlb ? "a v1 hierarchy here" : "not delegated by the cgroup2 root right now");
      rt_cgroup_free (cg);
      return;
    }
  child = sleeper (&go);
  ok (cg->ops->apply (cg, child, &err) == 0, "apply (v1)");
  set_ok (cg, "{'hugepageLimits':[{'pageSize':'2MB','limit':4194304}]}",
          "hugepageLimits on a hybrid host");
  is_file (dir, "hugetlb.2MB.max", "4194304");
  {
    cleanup_free char *own = xasprintf ("/proc/%d/cgroup", child);
    cleanup_free char *text = NULL, *want = xasprintf ("0::%s\n", path);
    read_file (own, &text, NULL, NULL);
    ok (text && strstr (text, want), "the process moved into the cgroup2 half too");
  }
  ok (cg->ops->stats (cg, &st, &err) == 0 && st.n_hugetlb > 0, "stats read hugetlb there");
  rt_stats_clear (&st);
  ok (cg->ops->kill (cg, SIGKILL, &err) == 0, "kill");
  reap (child, &status);
  close (go);
  ok (cg->ops->destroy (cg, &err) == 0 && access (dir, F_OK) < 0, "destroy removes both halves");
  rt_cgroup_free (cg);
}

int
main (void)
{
  if (geteuid () != 0)
    {
      skip ("needs root");
      return tap_done ();
    }
  snprintf (base, sizeof base, "/rt-test-unit-%d", getpid ());
  atexit (cleanup);
  test_v1 ();
  test_v2 ();
  test_hybrid_hugetlb ();
  return tap_done ();
}
