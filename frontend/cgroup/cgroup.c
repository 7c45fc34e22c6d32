/* Cgroup path resolution and manager choice, and what both managers share. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

int
rt_cgroup_new (const char *cgroups_path, const char *id, struct rt_cgroup **out, rt_error_t *err)
{
  struct statfs sfs;
  cleanup_free char *path = NULL;
  struct rt_cgroup *cg;

  if (cgroups_path == NULL || *cgroups_path == '\0')
    path = xasprintf ("/rt/%s", id);
  else
    path = path_clean (cgroups_path);
  if (strcmp (path, "/") == 0)
    return rt_error (err, 0, "cgroup path \"%s\" is the root cgroup", cgroups_path);
  if (statfs (CGROUP_ROOT, &sfs) < 0)
    return rt_error (err, errno, "statfs \"" CGROUP_ROOT "\"");
  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    cg = cg_new_v2 (CGROUP_ROOT, path);
  else
    {
      cg = xcalloc (1, sizeof *cg);
      cg->ops = &rt_cgroup_v1;
      cg->path = xstrdup (path);
    }
  *out = cg;
  return 0;
}

/* One --cgroup argument, [CONTROLLERS:]PATH, checked as runc checks it: a path below the
   container's cgroup, controllers not empty. */
static int
sub_parse (const char *arg, size_t n_args, const char *base, char **ctrls, char **sub,
           rt_error_t *err)
{
  const char *colon = strchr (arg, ':');
  cleanup_free char *joined = NULL, *clean = NULL, *prefix = NULL;

  if (colon != NULL && strchr (colon + 1, ':') != NULL)
    return rt_error (err, 0, "invalid --cgroup argument: %s", arg);
  if (colon == NULL && n_args != 1)
    return rt_error (err, 0, "invalid --cgroup argument: %s (missing <controller>: prefix)", arg);
  *ctrls = colon ? strndup (arg, (size_t) (colon - arg)) : xstrdup ("");
  *sub = xstrdup (colon ? colon + 1 : arg);
  if (colon != NULL
      && (**ctrls == '\0' || strstr (*ctrls, ",,") || **ctrls == ','
          || (*ctrls)[strlen (*ctrls) - 1] == ','))
    return rt_error (err, 0, "invalid --cgroup argument: %s (empty <controller> prefix)", arg);
  joined = xasprintf ("%s/%s", base, *sub);
  clean = path_clean (joined);
  prefix = xasprintf ("%s/", base);
  if (strncmp (clean, prefix, strlen (prefix)) != 0)
    return rt_error (err, 0, "%s is not a sub cgroup path", *sub);
  free (*sub);
  *sub = xstrdup (clean + strlen (prefix));
  return 0;
}

int
rt_cgroup_set_sub (struct rt_cgroup *cg, char *const *args, size_t n, char ***pairs,
                   rt_error_t *err)
{
  char **p = xcalloc (2 * n + 1, sizeof *p);

  *pairs = p;
  for (size_t i = 0; i < n; i++)
    if (sub_parse (args[i], n, cg->path, &p[2 * i], &p[2 * i + 1], err) < 0)
      return -1;
  if (cg->ops == &rt_cgroup_v1)
    {
      cg->sub = p;
      return cg_v1_sub_check (cg, err);
    }
  /* v2: one hierarchy, so one path; the process goes there instead (it must exist) */
  for (size_t i = 1; i < n; i++)
    if (strcmp (p[2 * i + 1], p[1]) != 0)
      return rt_error (err, 0, "cgroup v2: --cgroup paths differ (%s, %s)", p[1], p[2 * i + 1]);
  if (n > 0)
    {
      char *path = xasprintf ("%s/%s", cg->path, p[1]);
      cleanup_free char *dir = xasprintf ("%s%s", cg->mount, path);
      if (access (dir, F_OK) < 0)
        {
          free (path);
          return rt_error (err, errno, "--cgroup %s: %s", p[1], dir);
        }
      free (cg->path);
      cg->path = path;
    }
  return 0;
}

struct rt_cgroup *
cg_new_v2 (const char *mount, const char *path)
{
  struct rt_cgroup *cg = xcalloc (1, sizeof *cg);

  cg->ops = &rt_cgroup_v2;
  cg->mount = xstrdup (mount);
  cg->path = xstrdup (path);
  return cg;
}

void
rt_cgroup_free (struct rt_cgroup *cg)
{
  if (cg == NULL)
    return;
  if (cg->has_dev_prog)
    close (cg->dev_prog);
  free (cg->path);
  free (cg->mount);
  free (cg);
}

int
rt_container_cgroup (const struct rt_container *c, struct rt_cgroup **out, rt_error_t *err)
{
  if (c->cgroup_path == NULL)
    return rt_error (err, 0, "container %s has no cgroup", c->id);
  return rt_cgroup_new (c->cgroup_path, c->id, out, err);
}

int
cg_read (const char *dir, const char *file, char **out, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  size_t len;

  if (read_file (path, out, &len, err) < 0)
    return -1;
  while (len > 0 && (*out)[len - 1] == '\n')
    (*out)[--len] = '\0';
  return 0;
}

int
cg_write (const char *dir, const char *file, const char *val, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);

  if (fd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  /* one write(2): the kernel takes a cgroup file's value whole or refuses it */
  if (write (fd, val, strlen (val)) < 0)
    return rt_error (err, errno, "write \"%s\" to \"%s\"", val, path);
  return 0;
}

int
cg_write_int (const char *dir, const char *file, long long v, rt_error_t *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%lld", v);
  return cg_write (dir, file, buf, err);
}

int
cg_write_uint (const char *dir, const char *file, unsigned long long v, rt_error_t *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%llu", v);
  return cg_write (dir, file, buf, err);
}

bool
cg_cpuset_wanted (const struct rt_resources *r)
{
  return (r->cpu.cpus != NULL && *r->cpu.cpus) || (r->cpu.mems != NULL && *r->cpu.mems);
}

int
cg_write_cpuset (const char *dir, const struct rt_resources *r, rt_error_t *err)
{
  if (r->cpu.cpus != NULL && *r->cpu.cpus && cg_write (dir, "cpuset.cpus", r->cpu.cpus, err) < 0)
    return -1;
  if (r->cpu.mems != NULL && *r->cpu.mems && cg_write (dir, "cpuset.mems", r->cpu.mems, err) < 0)
    return -1;
  return 0;
}

bool
cg_any_leaf_weight (const struct rt_resources *r)
{
  for (size_t i = 0; i < r->blkio.n_weight_device; i++)
    if (r->blkio.weight_device[i].has_leaf_weight)
      return true;
  return r->blkio.has_leaf_weight;
}

bool
cg_exists (const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  return access (path, F_OK) == 0;
}

int
cg_read_u64 (const char *dir, const char *file, uint64_t max, uint64_t *out, rt_error_t *err)
{
  cleanup_free char *text = NULL;
  char *end;

  if (cg_read (dir, file, &text, err) < 0)
    return -1;
  if (strcmp (text, "max") == 0)
    {
      *out = max;
      return 0;
    }
  errno = 0;
  *out = strtoull (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || *text == '-')
    return rt_error (err, 0, "%s/%s: not a number: \"%s\"", dir, file, text);
  return 0;
}

bool
cg_keyed (const char *text, const char *key, uint64_t *out)
{
  size_t len = strlen (key);

  for (const char *p = text; p != NULL && *p; p = strchr (p, '\n'), p = p ? p + 1 : NULL)
    if (strncmp (p, key, len) == 0 && p[len] == ' ')
      {
        *out = strtoull (p + len + 1, NULL, 10);
        return true;
      }
  return false;
}

static int
mkdir_walk (char *dir, size_t base_len, cg_dir_fn on_dir, rt_error_t *err)
{
  for (char *s = dir + base_len + 1;; s++)
    {
      bool leaf = *s == '\0', created;

      if (*s != '/' && !leaf)
        continue;
      *s = '\0';
      created = mkdir (dir, 0755) == 0;
      if (!created && errno != EEXIST)
        return rt_error (err, errno, "mkdir \"%s\"", dir);
      if (on_dir != NULL && on_dir (dir, created, leaf, err) < 0)
        return -1;
      if (leaf)
        return 0;
      *s = '/';
    }
}

int
cg_mkdir (const char *base, const char *rel, cg_dir_fn on_dir, rt_error_t *err)
{
  /* a parent can vanish under us when the last container under /rt is deleted right
     then (cg_remove): walk again */
  for (int i = 0;; i++)
    {
      cleanup_free char *dir = xasprintf ("%s%s", base, rel);
      if (mkdir_walk (dir, strlen (base), on_dir, err) == 0)
        return 0;
      if ((*err)->status != ENOENT || i == 4)
        return -1;
      rt_error_free (err); /* ENOENT: a parent vanished, walk again */
    }
}

int
cg_add_pid (const char *dir, pid_t pid, rt_error_t *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%d", pid);
  if (cg_write (dir, "cgroup.procs", buf, err) < 0)
    return rt_error_wrap (err, "add pid %d to cgroup", pid);
  return 0;
}

static void
add_pids (const char *text, pid_t **pids, size_t *n)
{
  char *end;

  for (const char *p = text; *p;)
    {
      long v = strtol (p, &end, 10);
      if (end == p)
        break;
      if (v > 0)
        {
          *pids = xrealloc (*pids, (*n + 1) * sizeof **pids);
          (*pids)[(*n)++] = (pid_t) v;
        }
      p = end;
      while (*p == '\n')
        p++;
    }
}

int
cg_read_pids (const char *dir, pid_t **pids, size_t *n, rt_error_t *err)
{
  cleanup_free char *procs = NULL;
  DIR *d;
  struct dirent *de;
  int ret = 0;

  if (cg_read (dir, "cgroup.procs", &procs, err) < 0)
    {
      if ((*err)->status != ENOENT)
        return -1;
      rt_error_free (err); /* no cgroup, no processes */
      return 0;
    }
  add_pids (procs, pids, n);
  d = opendir (dir);
  if (d == NULL)
    return 0;
  while (ret == 0 && (de = readdir (d)) != NULL)
    {
      cleanup_free char *sub = NULL;
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", dir, de->d_name);
      ret = cg_read_pids (sub, pids, n, err);
    }
  closedir (d);
  return ret;
}

int
cg_signal_all (struct rt_cgroup *cg, int sig, rt_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  cleanup_error rt_error_t ferr = NULL;
  bool was_frozen = false, froze = false;
  size_t n = 0;

  if (cg->ops->frozen (cg, &was_frozen, &ferr) < 0)
    was_frozen = false; /* unknown: freeze it for the signals, then thaw */
  /* frozen, nothing can fork while we collect and signal */
  if (!was_frozen)
    {
      froze = cg->ops->freeze (cg, true, &ferr) == 0;
      if (!froze)
        rt_log (RT_LOG_DEBUG, "signal cgroup %s: %s", cg->path, ferr->msg);
    }
  if (cg->ops->pids (cg, &pids, &n, err) < 0)
    {
      if (froze)
        cg->ops->freeze (cg, false, &ferr);
      return -1;
    }
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], sig) < 0 && errno != ESRCH)
      rt_log (RT_LOG_WARN, "kill %d: %s", pids[i], rt_strerror (errno));
  /* a frozen task does not act on SIGKILL until it is thawed */
  if ((froze || (was_frozen && sig == SIGKILL)) && cg->ops->freeze (cg, false, &ferr) < 0)
    rt_log (RT_LOG_WARN, "thaw cgroup %s: %s", cg->path, ferr->msg);
  return 0;
}

/* rmdir DIR, retrying while processes are still leaving it (runc: 5 tries from 10ms). */
static int
rmdir_retry (const char *dir, rt_error_t *err)
{
  struct timespec delay = { 0, 10 * 1000 * 1000 };

  for (int i = 0;; i++)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY || i == 5)
        return rt_error (err, errno, "rmdir \"%s\"", dir);
      nanosleep (&delay, NULL);
      delay.tv_nsec *= 2;
    }
}

/* Depth first: a cgroup with child cgroups cannot be removed. */
static int
rmdir_tree (const char *dir, rt_error_t *err)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  int ret = 0;

  if (d == NULL)
    return errno == ENOENT ? 0 : rt_error (err, errno, "open \"%s\"", dir);
  while (ret == 0 && (de = readdir (d)) != NULL)
    {
      cleanup_free char *sub = NULL;
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", dir, de->d_name);
      ret = rmdir_tree (sub, err);
    }
  closedir (d);
  return ret < 0 ? -1 : rmdir_retry (dir, err);
}

int
cg_remove (const char *base, const char *rel, rt_error_t *err)
{
  cleanup_free char *dir = xasprintf ("%s%s", base, rel);
  size_t base_len = strlen (base);
  char *slash;

  if (rmdir_tree (dir, err) < 0)
    return -1;
  if (strncmp (rel, "/rt/", 4) != 0)
    return 0;
  /* parents under /rt (and /rt itself) go when nothing else is left in them */
  while ((slash = strrchr (dir + base_len, '/')) != NULL && slash > dir + base_len)
    {
      *slash = '\0';
      if (rmdir (dir) < 0)
        break;
    }
  return 0;
}

bool
rt_cgroup_is_v2 (void)
{
  struct statfs sfs;
  return statfs (CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int
rt_cgroup_check_resources (const struct rt_resources *r, bool v2, rt_error_t *err)
{
  /* v1's memory.kmem.limit_in_bytes still exists but the kernel ignores what is written
     to it (kmem limits are gone since 5.16): -1 and 0 ask for nothing. */
  if (r->memory.has_kernel && r->memory.kernel > 0)
    return rt_error (err, 0,
                     "linux.resources.memory.kernel: this kernel has no kernel memory limit");
  return v2 ? cg_v2_check_v1_only (r, err) : cg_v1_check (r, err);
}
