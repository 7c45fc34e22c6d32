/* cgroup v2: one unified directory under /sys/fs/cgroup.  rt never writes the root's
   cgroup.subtree_control (it belongs to the machine): controllers the root does not
   delegate are simply not available to containers. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

char *
cg_v2_dir (const struct rt_cgroup *cg)
{
  return xasprintf ("%s%s", cg->mount, cg->path);
}

/* A directory rt just made between the root and the leaf passes every controller it
   has on to its children ("no internal processes": never the leaf). */
static int
enable_controllers (const char *dir, bool created, bool leaf, rt_error_t *err)
{
  cleanup_free char *avail = NULL;
  cleanup_free char *want = NULL;
  cleanup_error rt_error_t werr = NULL;
  char *save = NULL;
  size_t len = 0;

  if (!created || leaf)
    return 0;
  if (cg_read (dir, "cgroup.controllers", &avail, err) < 0)
    return -1;
  want = xmalloc (strlen (avail) * 2 + 2);
  want[0] = '\0';
  for (char *c = strtok_r (avail, " ", &save); c; c = strtok_r (NULL, " ", &save))
    len += sprintf (want + len, "%s+%s", len ? " " : "", c);
  if (len > 0 && cg_write (dir, "cgroup.subtree_control", want, &werr) < 0)
    rt_log (RT_LOG_DEBUG, "enable controllers in %s: %s", dir, werr->msg);
  return 0;
}

static int
v2_apply (struct rt_cgroup *cg, pid_t pid, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);

  if (cg_mkdir (cg->mount, cg->path, enable_controllers, err) < 0)
    return -1;
  return pid > 0 ? cg_add_pid (dir, pid, err) : 0;
}

static int
v2_frozen (struct rt_cgroup *cg, bool *frozen, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  cleanup_free char *val = NULL;

  *frozen = false;
  if (cg_read (dir, "cgroup.freeze", &val, err) < 0)
    return -1;
  *frozen = strcmp (val, "1") == 0;
  return 0;
}

/* cgroup.freeze is a request; cgroup.events says "frozen 1" once every task stopped. */
static int
v2_freeze (struct rt_cgroup *cg, bool frozen, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  const char *want = frozen ? "frozen 1" : "frozen 0";
  struct timespec tick = { 0, 1000 * 1000 };

  if (cg_write (dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return rt_error_wrap (err, "%s cgroup", frozen ? "freeze" : "thaw");
  for (int i = 0; i < 2000; i++)
    {
      cleanup_free char *events = NULL;
      char *line;
      if (cg_read (dir, "cgroup.events", &events, err) < 0)
        return -1;
      line = strstr (events, "frozen ");
      if (line != NULL && strncmp (line, want, strlen (want)) == 0)
        return 0;
      nanosleep (&tick, NULL);
    }
  if (frozen)
    cg_write (dir, "cgroup.freeze", "0", err);
  return rt_error (err, 0, "freeze cgroup %s: still not frozen after 2s", cg->path);
}

static int
v2_pids (struct rt_cgroup *cg, pid_t **pids, size_t *n, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);

  *pids = NULL;
  *n = 0;
  return cg_read_pids (dir, pids, n, err);
}

/* SIGKILL through cgroup.kill (5.14+): atomic, no freezing needed. */
static int
v2_kill (struct rt_cgroup *cg, int sig, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  cleanup_free char *file = xasprintf ("%s/cgroup.kill", dir);

  if (sig == SIGKILL && access (file, F_OK) == 0)
    {
      if (cg_write (dir, "cgroup.kill", "1", err) < 0)
        return rt_error_wrap (err, "kill cgroup %s", cg->path);
      return 0;
    }
  if (access (dir, F_OK) < 0 && errno == ENOENT)
    return 0;
  return cg_signal_all (cg, sig, err);
}

static int
v2_destroy (struct rt_cgroup *cg, rt_error_t *err)
{
  return cg_remove (cg->mount, cg->path, err);
}

/* memory.events counts OOM kills; cgroup.events says "populated 0" once the last
   process left (runc's registerMemoryEventV2 watches the same two files). */
static int
v2_oom_open (struct rt_cgroup *cg, int *fd, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  cleanup_free char *events = xasprintf ("%s/memory.events", dir);
  cleanup_free char *cgevents = xasprintf ("%s/cgroup.events", dir);
  cleanup_free char *text = NULL;
  cleanup_error rt_error_t ignored = NULL; /* no memory controller (below) */
  cleanup_close int in = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);

  *fd = -1;
  if (in < 0)
    return rt_error (err, errno, "inotify_init1");
  if (inotify_add_watch (in, cgevents, IN_MODIFY) < 0)
    return rt_error (err, errno, "watch \"%s\"", cgevents);
  /* without the memory controller there is no memory.events: no OOM events */
  if (inotify_add_watch (in, events, IN_MODIFY) >= 0
      && cg_read (dir, "memory.events", &text, &ignored) == 0)
    cg_keyed (text, "oom_kill", &cg->oom_kill);
  *fd = take_fd (&in);
  return 0;
}

static int
v2_oom_read (struct rt_cgroup *cg, int fd, unsigned *events, bool *gone, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  cleanup_free char *mem = NULL, *cgev = NULL;
  cleanup_error rt_error_t ignored = NULL; /* no file: no OOM kill; the cgroup is gone */
  char buf[4096];
  uint64_t kills = 0, populated = 1;

  *events = 0;
  while (read (fd, buf, sizeof buf) > 0)
    ;
  if (cg_read (dir, "memory.events", &mem, &ignored) == 0 && cg_keyed (mem, "oom_kill", &kills)
      && kills > cg->oom_kill)
    {
      *events = (unsigned) (kills - cg->oom_kill);
      cg->oom_kill = kills;
    }
  *gone = cg_read (dir, "cgroup.events", &cgev, &ignored) < 0
          || (cg_keyed (cgev, "populated", &populated) && populated == 0);
  return 0;
}

static int
v2_open_dir (struct rt_cgroup *cg, int *fd, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);

  *fd = -1;
  if (v2_apply (cg, 0, err) < 0)
    return -1;
  *fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (*fd < 0)
    return rt_error (err, errno, "open \"%s\"", dir);
  return 0;
}

const struct rt_cgroup_manager rt_cgroup_v2 = {
  .name = "v2",
  .apply = v2_apply,
  .set = cg_v2_set,
  .freeze = v2_freeze,
  .pids = v2_pids,
  .kill = v2_kill,
  .destroy = v2_destroy,
  .frozen = v2_frozen,
  .stats = cg_v2_stats,
  .oom_open = v2_oom_open,
  .oom_read = v2_oom_read,
  .open_dir = v2_open_dir,
  .prepare = cg_v2_prepare,
};
