/* cgroup v1: one directory per mounted hierarchy (cpu, memory, freezer, ..., and
   name=systemd like runc); the cgroup2 mount of a hybrid machine is left alone. */
#define _GNU_SOURCE
#include "cgroup_internal.h"
#include "mountinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct hierarchy
{
  char *mountpoint;
  char *root;        /* the mount's root inside the hierarchy, "/" normally */
  char *controllers; /* ",cpu,cpuacct," / ",name=systemd," (commas make lookups exact) */
};

static void
hierarchy_clear (struct hierarchy *h)
{
  free (h->mountpoint);
  free (h->root);
  free (h->controllers);
}

static void
hierarchies_free (struct hierarchy *h, size_t n)
{
  for (size_t i = 0; i < n; i++)
    hierarchy_clear (&h[i]);
  free (h);
}

/* The controllers of a cgroup v1 super block's options: "rw,cpu,cpuacct" -> ",cpu,cpuacct,". */
static char *
controllers_of (const char *superopts)
{
  static const char *const skip[]
      = { "rw",     "ro",    "noprefix", "clone_children", "xattr", "cpuset_v2_mode",
          "nosuid", "nodev", "noexec" };
  cleanup_free char *copy = xstrdup (superopts);
  char *out = xmalloc (strlen (superopts) + 3), *save = NULL;
  size_t len = 1;

  strcpy (out, ",");
  for (char *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      bool skipped = strncmp (o, "release_agent=", 14) == 0;
      for (size_t i = 0; i < ARRAY_SIZE (skip) && !skipped; i++)
        skipped = strcmp (o, skip[i]) == 0;
      if (!skipped)
        len += sprintf (out + len, "%s,", o);
    }
  return out;
}

/* A cgroup v1 mount's hierarchy, or false for any other mount. */
static bool
parse_line (const struct rt_mountinfo *m, struct hierarchy *h)
{
  if (strcmp (m->fstype, "cgroup") != 0)
    return false;
  h->root = xstrdup (m->root);
  h->mountpoint = xstrdup (m->mountpoint);
  h->controllers = controllers_of (m->superopts);
  return true;
}

/* Every mounted v1 hierarchy once (a hierarchy mounted twice has one device number). */
static int
hierarchies (struct hierarchy **out, size_t *n_out, rt_error_t *err)
{
  cleanup_mountinfo struct rt_mountinfo_reader r = { 0 };
  cleanup_strv char **devs = NULL;
  struct hierarchy *h = NULL;
  struct rt_mountinfo m;
  size_t n = 0;

  if (rt_mountinfo_open (&r, err) < 0)
    return -1;
  devs = xcalloc (1, sizeof *devs);
  while (rt_mountinfo_next (&r, &m))
    {
      struct hierarchy one = { 0 };
      const char *dev = m.dev;
      bool dup = false;

      if (!parse_line (&m, &one))
        continue;
      for (size_t i = 0; i < n && !dup; i++)
        dup = strcmp (devs[i], dev) == 0;
      if (dup)
        {
          hierarchy_clear (&one);
          continue;
        }
      devs = xrealloc (devs, (n + 2) * sizeof *devs);
      devs[n] = xstrdup (dev);
      devs[n + 1] = NULL;
      h = xrealloc (h, (n + 1) * sizeof *h);
      h[n++] = one;
    }
  if (n == 0)
    return rt_error (err, 0, "no cgroup v1 hierarchy is mounted");
  *out = h;
  *n_out = n;
  return 0;
}

/* PATH relative to the hierarchy's mount (the mount root may be a sub-cgroup). */
static const char *
relative (const struct hierarchy *h, const char *path)
{
  size_t len = strlen (h->root);

  if (strcmp (h->root, "/") != 0 && strncmp (path, h->root, len) == 0 && path[len] == '/')
    return path + len;
  return path;
}

static char *
hierarchy_dir (const struct hierarchy *h, const char *path)
{
  return xasprintf ("%s%s", h->mountpoint, relative (h, path));
}

static bool
has_controller (const struct hierarchy *h, const char *name)
{
  cleanup_free char *key = xasprintf (",%s,", name);
  return strstr (h->controllers, key) != NULL;
}

char *
cg_v1_dir (struct rt_cgroup *cg, const char *controller, rt_error_t *err)
{
  struct hierarchy *h = NULL;
  size_t n = 0;
  char *dir = NULL;

  if (hierarchies (&h, &n, err) < 0)
    return NULL;
  for (size_t i = 0; i < n && dir == NULL; i++)
    if (has_controller (&h[i], controller))
      dir = hierarchy_dir (&h[i], cg->path);
  hierarchies_free (h, n);
  if (dir == NULL)
    rt_error (err, 0, "cgroup v1: the %s controller is not mounted", controller);
  return dir;
}

/* A new cpuset cgroup has no cpus or mems: no task could join it.  Copy the parent's. */
static int
cpuset_fill (const char *dir, bool created, bool leaf, rt_error_t *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  cleanup_free char *parent = xstrdup (dir);

  *strrchr (parent, '/') = '\0';
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    {
      cleanup_free char *cur = NULL, *up = NULL;
      if (cg_read (dir, files[i], &cur, err) < 0)
        return -1;
      if (*cur != '\0')
        continue;
      if (cg_read (parent, files[i], &up, err) < 0 || cg_write (dir, files[i], up, err) < 0)
        return rt_error_wrap (err, "cpuset");
    }
  return 0;
}

/* The cgroup2 mount of a hybrid host (/sys/fs/cgroup/unified), or NULL. */
static char *
unified_mount (void)
{
  return rt_mountinfo_fstype_mount ("cgroup2");
}

/* exec --cgroup: the sub-cgroup for hierarchy H (NULL: the cgroup2 one), or NULL for the
   container's own cgroup. */
static const char *
sub_for (const struct rt_cgroup *cg, const struct hierarchy *h)
{
  for (char **s = cg->sub; s != NULL && s[0] != NULL; s += 2)
    {
      cleanup_free char *ctrls = xstrdup (s[0]);
      char *save = NULL;

      if (s[0][0] == '\0')
        return s[1];
      for (char *c = strtok_r (ctrls, ",", &save); c && h; c = strtok_r (NULL, ",", &save))
        if (has_controller (h, c))
          return s[1];
    }
  return NULL;
}

/* Make BASE+REL (unless a sub-cgroup of it is asked for: that one must exist) and move
   PID in. */
static int
join (const char *base, const char *rel, const char *sub, cg_dir_fn fill, pid_t pid,
      rt_error_t *err)
{
  cleanup_free char *dir = NULL;

  if (sub == NULL && cg_mkdir (base, rel, fill, err) < 0)
    return -1;
  dir = sub ? xasprintf ("%s%s/%s", base, rel, sub) : xasprintf ("%s%s", base, rel);
  return pid > 0 ? cg_add_pid (dir, pid, err) : 0;
}

/* Every v1 hierarchy, and on a hybrid host the cgroup2 one too, as runc does: there the
   container shows as 0::/PATH (only the mount's root subtree_control is the machine's,
   and it is never written). */
static int
v1_apply (struct rt_cgroup *cg, pid_t pid, rt_error_t *err)
{
  struct hierarchy *h = NULL;
  cleanup_free char *unified = unified_mount ();
  size_t n = 0;
  int ret = 0;

  if (hierarchies (&h, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n && ret == 0; i++)
    ret = join (h[i].mountpoint, relative (&h[i], cg->path), sub_for (cg, &h[i]),
                has_controller (&h[i], "cpuset") ? cpuset_fill : NULL, pid, err);
  hierarchies_free (h, n);
  if (ret == 0 && unified != NULL
      && join (unified, cg->path, sub_for (cg, NULL), NULL, pid, err) < 0)
    {
      /* rootless: a v1 delegation need not cover cgroup2; runc ignores that error too */
      int e = (*err)->status;
      if (geteuid () != 0 && (e == EACCES || e == EPERM || e == EROFS))
        {
          rt_log (RT_LOG_DEBUG, "cgroup2 hierarchy %s: %s: not joined", unified, (*err)->msg);
          rt_error_free (err); /* logged: not joined */
          return 0;
        }
      return rt_error_wrap (err, "cgroup2 hierarchy %s", unified);
    }
  return ret;
}

int
cg_v1_sub_check (struct rt_cgroup *cg, rt_error_t *err)
{
  for (char **s = cg->sub; s != NULL && s[0] != NULL; s += 2)
    {
      cleanup_free char *ctrls = xstrdup (s[0]);
      char *save = NULL;

      for (char *c = strtok_r (ctrls, ",", &save); c; c = strtok_r (NULL, ",", &save))
        {
          cleanup_free char *dir = cg_v1_dir (cg, c, err);
          if (dir == NULL) /* rt_error replaces the error of the lookup */
            return rt_error (err, 0, "unknown controller %s in SubCgroupPaths", c);
        }
    }
  return 0;
}

static int
v1_frozen (struct rt_cgroup *cg, bool *frozen, rt_error_t *err)
{
  cleanup_free char *dir = cg_v1_dir (cg, "freezer", err);
  cleanup_free char *state = NULL;

  *frozen = false;
  if (dir == NULL)
    return -1;
  if (cg_read (dir, "freezer.state", &state, err) < 0)
    return -1;
  *frozen = strcmp (state, "FROZEN") == 0;
  return 0;
}

/* FREEZING -> FROZEN can take a while when tasks are busy; write again now and then
   (runc does the same) and give up after about two seconds. */
static int
v1_freeze (struct rt_cgroup *cg, bool frozen, rt_error_t *err)
{
  cleanup_free char *dir = cg_v1_dir (cg, "freezer", err);
  const char *want = frozen ? "FROZEN" : "THAWED";
  struct timespec tick = { 0, 1000 * 1000 };

  if (dir == NULL)
    return -1;
  for (int i = 0; i < 2000; i++)
    {
      cleanup_free char *state = NULL;
      if (i % 50 == 0 && cg_write (dir, "freezer.state", want, err) < 0)
        return rt_error_wrap (err, "%s cgroup", frozen ? "freeze" : "thaw");
      if (cg_read (dir, "freezer.state", &state, err) < 0)
        return -1;
      if (strcmp (state, want) == 0)
        return 0;
      nanosleep (&tick, NULL);
    }
  if (frozen)
    cg_write (dir, "freezer.state", "THAWED", err);
  return rt_error (err, 0, "freeze cgroup %s: still not frozen after 2s", cg->path);
}

/* The processes as the pids (or else freezer) hierarchy sees them. */
static int
v1_pids (struct rt_cgroup *cg, pid_t **pids, size_t *n, rt_error_t *err)
{
  cleanup_free char *dir = cg_v1_dir (cg, "pids", err);

  if (dir == NULL)
    {
      rt_error_free (err); /* no pids controller: the freezer lists them too */
      dir = cg_v1_dir (cg, "freezer", err);
    }
  *pids = NULL;
  *n = 0;
  return dir == NULL ? -1 : cg_read_pids (dir, pids, n, err);
}

char *
cg_v1_unified_for (const char *controller)
{
  cleanup_free char *mnt = unified_mount (), *delegated = NULL;
  cleanup_error rt_error_t ignored = NULL; /* unreadable: nothing delegated */
  char *save = NULL;

  if (mnt == NULL || cg_read (mnt, "cgroup.subtree_control", &delegated, &ignored) < 0)
    return NULL;
  for (char *c = strtok_r (delegated, " ", &save); c; c = strtok_r (NULL, " ", &save))
    if (strcmp (c, controller) == 0)
      return take_ptr (&mnt);
  return NULL;
}

static int
v1_destroy (struct rt_cgroup *cg, rt_error_t *err)
{
  struct hierarchy *h = NULL;
  size_t n = 0;
  int ret = 0;
  cleanup_free char *unified = unified_mount ();

  if (hierarchies (&h, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_error rt_error_t one = NULL;
      if (cg_remove (h[i].mountpoint, relative (&h[i], cg->path), &one) < 0 && ret == 0)
        {
          *err = take_ptr (&one);
          ret = -1;
        }
    }
  hierarchies_free (h, n);
  /* the cgroup2 half of a hybrid host */
  if (unified != NULL && ret == 0)
    ret = cg_remove (unified, cg->path, err);
  return ret;
}

/* memory.oom_control notifications through cgroup.event_control: the eventfd counts
   OOM events, and the kernel signals it once more when the cgroup is removed. */
static int
v1_oom_open (struct rt_cgroup *cg, int *fd, rt_error_t *err)
{
  cleanup_free char *dir = cg_v1_dir (cg, "memory", err);
  cleanup_close int efd = -1, ofd = -1;
  cleanup_free char *path = NULL, *reg = NULL;

  *fd = -1;
  if (dir == NULL)
    {
      rt_error_free (err); /* no memory controller: no OOM events */
      return 0;
    }
  path = xasprintf ("%s/memory.oom_control", dir);
  ofd = open (path, O_RDONLY | O_CLOEXEC);
  if (ofd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    return rt_error (err, errno, "eventfd");
  reg = xasprintf ("%d %d", efd, ofd);
  if (cg_write (dir, "cgroup.event_control", reg, err) < 0)
    return rt_error_wrap (err, "register for OOM events");
  *fd = take_fd (&efd);
  return 0;
}

static int
v1_oom_read (struct rt_cgroup *cg, int fd, unsigned *events, bool *gone, rt_error_t *err)
{
  cleanup_free char *dir = cg_v1_dir (cg, "memory", err);
  uint64_t count = 0;

  *events = 0;
  *gone = false;
  if (dir == NULL)
    return -1;
  if (read (fd, &count, sizeof count) < 0 && errno != EAGAIN)
    return rt_error (err, errno, "read the OOM eventfd");
  *gone = !cg_exists (dir, "cgroup.event_control");
  if (!*gone && count > 0)
    *events = 1; /* one "oom" per wake-up, as runc */
  return 0;
}

/* CLONE_INTO_CGROUP takes a cgroup2 directory only. */
static int
v1_open_dir (struct rt_cgroup *cg, int *fd, rt_error_t *err)
{
  *fd = -1;
  return 0;
}

const struct rt_cgroup_manager rt_cgroup_v1 = {
  .name = "v1",
  .apply = v1_apply,
  .set = cg_v1_set,
  .freeze = v1_freeze,
  .pids = v1_pids,
  .kill = cg_signal_all,
  .destroy = v1_destroy,
  .frozen = v1_frozen,
  .stats = cg_v1_stats,
  .oom_open = v1_oom_open,
  .oom_read = v1_oom_read,
  .open_dir = v1_open_dir,
};
