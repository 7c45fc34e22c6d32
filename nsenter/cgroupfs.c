/* "cgroup" / "cgroup2" mounts (runc's mountCgroupV1 / mountCgroupV2).  On a v1 host the
   container gets a tmpfs with one entry per hierarchy: its own cgroup directory bound
   from the host, or, in a cgroup namespace, a fresh mount of that hierarchy (which the
   namespace roots at the container's cgroup). */
#define _GNU_SOURCE
#include "init.h"
#include "mountinfo.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

struct cg_hierarchy
{
  char *mountpoint; /* host: /sys/fs/cgroup/cpu */
  char *root;       /* the mount's root inside the hierarchy, usually "/" */
  char *subsystems; /* "cpu", "cpu,cpuacct", "name=systemd" */
};

static bool
is_controller (const char *name)
{
  cleanup_fclose FILE *f = fopen ("/proc/cgroups", "re");
  char line[256];

  if (strncmp (name, "name=", 5) == 0)
    return true;
  while (f && fgets (line, sizeof line, f))
    {
      size_t n = strcspn (line, "\t ");
      if (line[0] != '#' && n == strlen (name) && strncmp (line, name, n) == 0)
        return true;
    }
  return false;
}

/* "rw,cpu,cpuacct,clone_children" -> "cpu,cpuacct" */
static char *
subsystems_of (const char *superopts)
{
  cleanup_free char *copy = xstrdup (superopts);
  char *out = NULL, *save = NULL;

  for (char *tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save))
    if (is_controller (tok))
      {
        char *n = out ? xasprintf ("%s,%s", out, tok) : xstrdup (tok);
        free (out);
        out = n;
      }
  return out;
}

static void
hierarchies_free (struct cg_hierarchy *h, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (h[i].mountpoint);
      free (h[i].root);
      free (h[i].subsystems);
    }
  free (h);
}

static bool
known (const struct cg_hierarchy *h, size_t n, const char *subsystems)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (h[i].subsystems, subsystems) == 0)
      return true;
  return false;
}

static bool
under (const char *path, const char *dir)
{
  size_t n = strlen (dir);
  return strncmp (path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Every v1 hierarchy mounted on the host (mountinfo fstype "cgroup"), once each; not
   the copies that already live inside the rootfs (a /sys bound from the host). */
static int
host_hierarchies (const char *rootfs, struct cg_hierarchy **out, size_t *n, rt_error_t *err)
{
  cleanup_mountinfo struct rt_mountinfo_reader r = { 0 };
  struct cg_hierarchy *h = NULL;
  struct rt_mountinfo m;

  *n = 0;
  if (rt_mountinfo_open (&r, err) < 0)
    return -1;
  while (rt_mountinfo_next (&r, &m))
    {
      char *subs;

      if (strcmp (m.fstype, "cgroup") != 0 || under (m.mountpoint, rootfs))
        continue;
      subs = subsystems_of (m.superopts);
      if (subs == NULL || known (h, *n, subs))
        {
          free (subs);
          continue;
        }
      h = xrealloc (h, (*n + 1) * sizeof *h);
      h[*n] = (struct cg_hierarchy){ xstrdup (m.mountpoint), xstrdup (m.root), subs };
      (*n)++;
    }
  *out = h;
  return 0;
}

/* Our cgroup in the hierarchy holding SUBSYSTEMS (/proc/self/cgroup); "0::/x" for v2. */
static char *
own_cgroup (const char *subsystems)
{
  cleanup_fclose FILE *f = fopen ("/proc/self/cgroup", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  while (f && getline (&line, &cap, f) > 0)
    {
      char *ctrls = strchr (line, ':'), *path;
      if (ctrls == NULL || (path = strchr (++ctrls, ':')) == NULL)
        continue;
      *path++ = '\0';
      path[strcspn (path, "\n")] = '\0';
      if (strcmp (ctrls, subsystems) == 0)
        return xstrdup (path);
    }
  return NULL;
}

/* Host directory of our cgroup under hierarchy H. */
static char *
own_cgroup_dir (const struct cg_hierarchy *h)
{
  cleanup_free char *own = own_cgroup (h->subsystems);
  size_t n = strlen (h->root);
  const char *rel = "";

  if (own == NULL)
    return xstrdup (h->mountpoint);
  if (strcmp (h->root, "/") == 0)
    rel = own;
  else if (strncmp (own, h->root, n) == 0 && (own[n] == '/' || own[n] == '\0'))
    rel = own + n;
  return xasprintf ("%s%s", h->mountpoint, rel);
}

static int
mount_hierarchy (struct init_ctx *ctx, const char *dest, const struct cg_hierarchy *h,
                 const struct mount_opts *o, rt_error_t *err)
{
  const char *base = strrchr (h->mountpoint, '/') + 1;
  cleanup_free char *sub = xasprintf ("%s/%s", dest, base);
  cleanup_close int targetfd = -1, fd = -1;
  cleanup_free char *source = NULL;
  struct mount_opts bind = *o;

  if (!ctx->cgroupns)
    {
      source = own_cgroup_dir (h);
      bind.bind = bind.rec = true;
      bind.n_propagation = 0;
      bind.data = NULL;
      return mount_bind (ctx, source, sub, &bind, err);
    }
  targetfd = safe_mkdir_p (ctx->rootfd, sub, 0755, err);
  if (targetfd < 0)
    return -1;
  fd = safe_mount (ctx->rootfd, sub, targetfd, "cgroup", "cgroup", o->flags & ~MS_REMOUNT,
                   h->subsystems, err);
  return fd < 0 ? -1 : 0;
}

/* "cpu,cpuacct" gets the symlinks cpu and cpuacct next to it, as on the host. */
static int
comount_links (int dirfd, const char *dest, const char *name, rt_error_t *err)
{
  cleanup_free char *copy = xstrdup (name);
  char *save = NULL;

  if (strchr (name, ',') == NULL)
    return 0;
  for (char *tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save))
    if (symlinkat (name, dirfd, tok) < 0 && errno != EEXIST)
      return rt_error (err, errno, "symlink \"%s/%s\"", dest, tok);
  return 0;
}

static int
mount_cgroup_v1 (struct init_ctx *ctx, const char *dest, const struct mount_opts *o,
                 rt_error_t *err)
{
  const unsigned long tmpfs_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  struct cg_hierarchy *h = NULL;
  cleanup_close int targetfd = -1, fd = -1;
  size_t n = 0;
  int ret = 0;

  targetfd = safe_mkdir_p (ctx->rootfd, dest, 0755, err);
  if (targetfd < 0)
    return -1;
  fd = safe_mount (ctx->rootfd, dest, targetfd, "tmpfs", "tmpfs", tmpfs_flags, "mode=755", err);
  if (fd < 0 || host_hierarchies (ctx->rootfs_path, &h, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n && ret == 0; i++)
    {
      ret = mount_hierarchy (ctx, dest, &h[i], o, err);
      if (ret == 0)
        ret = comount_links (fd, dest, strrchr (h[i].mountpoint, '/') + 1, err);
    }
  hierarchies_free (h, n);
  if (ret < 0)
    return -1;
  if ((o->flags & MS_RDONLY)
      && fd_mount (fd, NULL, NULL, MS_REMOUNT | MS_RDONLY | tmpfs_flags, NULL) < 0)
    return rt_error (err, errno, "remount \"%s\" read-only", dest);
  return 0;
}

/* Bind the container's own cgroup2 directory (HOST_MNT + its /proc/self/cgroup path). */
static int
bind_own_v2 (struct init_ctx *ctx, const char *dest, const char *host_mnt,
             const struct mount_opts *o, rt_error_t *err)
{
  cleanup_free char *own = own_cgroup ("");
  cleanup_free char *source = NULL;
  struct mount_opts bind = *o;

  source = own && strcmp (own, "/") != 0 ? xasprintf ("%s%s", host_mnt, own) : xstrdup (host_mnt);
  bind.bind = bind.rec = true;
  bind.data = NULL;
  return mount_bind (ctx, source, dest, &bind, err);
}

static int
mount_cgroup_v2 (struct init_ctx *ctx, const char *dest, const char *host_mnt,
                 const struct mount_opts *o, rt_error_t *err)
{
  cleanup_close int targetfd = -1, fd = -1;

  /* Without a cgroup namespace a fresh cgroup2 mount would show the whole tree: the
     container gets its own cgroup as the root instead, as on v1 (and as crun does). */
  if (!ctx->cgroupns)
    return bind_own_v2 (ctx, dest, host_mnt, o, err);
  targetfd = safe_mkdir_p (ctx->rootfd, dest, 0755, err);
  if (targetfd < 0)
    return -1;
  fd = safe_mount (ctx->rootfd, dest, targetfd, "cgroup2", "cgroup2", o->flags, o->data, err);
  if (fd >= 0)
    return 0;
  if ((*err)->status != EPERM && (*err)->status != EBUSY)
    return -1;
  /* cgroup2 could not be mounted (runc #2158): bind the container's cgroup instead */
  rt_error_free (err);
  return bind_own_v2 (ctx, dest, host_mnt, o, err);
}

/* The container's cgroup as rt resolves linux.cgroupsPath: "/rt/<id>" when empty. */
static char *
container_cgroup (const struct init_ctx *ctx)
{
  const char *p = ctx->config->spec->linux_.cgroups_path;
  cleanup_free char *abs = NULL;

  if (p == NULL || *p == '\0')
    return xasprintf ("/rt/%s", ctx->config->id ? ctx->config->id : "");
  abs = xasprintf ("/%s", p);
  return path_clean (abs);
}

static bool
lists_pid (const char *procs_path, pid_t pid)
{
  cleanup_fclose FILE *f = fopen (procs_path, "re");
  long v;

  while (f && fscanf (f, "%ld", &v) == 1)
    if (v == pid)
      return true;
  return false;
}

/* Did rt put us in the container's own cgroup?  Not so for a rootless container whose
   cgroup was not delegated: it stays in its user's cgroup, which it must not be able to
   write (CVE-2023-25809).  Seen through the host's mounts (still there before
   pivot_root), whatever the cgroup namespace; cgroup.procs shows our pid as ours. */
static bool
cgroup_delegated (struct init_ctx *ctx, bool unified)
{
  cleanup_free char *path = container_cgroup (ctx);
  cleanup_free char *procs = NULL;
  struct cg_hierarchy *h = NULL;
  cleanup_error rt_error_t ignored = NULL;
  size_t n = 0;

  if (unified)
    procs = xasprintf ("/sys/fs/cgroup%s/cgroup.procs", path);
  else if (host_hierarchies (ctx->rootfs_path, &h, &n, &ignored) == 0 && n > 0)
    {
      size_t len = strcmp (h[0].root, "/") == 0 ? 0 : strlen (h[0].root);
      const char *rel = strncmp (path, h[0].root, len) == 0 ? path + len : path;
      procs = xasprintf ("%s%s/cgroup.procs", h[0].mountpoint, rel);
    }
  hierarchies_free (h, n);
  return procs && lists_pid (procs, getpid ());
}

int
mount_cgroup (struct init_ctx *ctx, const struct rt_mount *m, const struct mount_opts *o,
              rt_error_t *err)
{
  cleanup_free char *dest = path_clean (m->destination);
  struct statfs st;
  bool unified = statfs ("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
  struct mount_opts ro = *o;

  if (ctx->userns && !(o->flags & MS_RDONLY) && !cgroup_delegated (ctx, unified))
    {
      nsdebug ("cgroup mount on %s: read-only, the cgroup is not the container's own", dest);
      ro.flags |= MS_RDONLY;
      o = &ro;
    }

  nsdebug ("cgroup mount on %s: host %s, cgroupns %d", dest, unified ? "v2" : "v1", ctx->cgroupns);
  if (unified)
    return mount_cgroup_v2 (ctx, dest, "/sys/fs/cgroup", o, err);
  if (strcmp (m->type, "cgroup2") == 0)
    return mount_cgroup_v2 (ctx, dest, "/sys/fs/cgroup/unified", o, err);
  return mount_cgroup_v1 (ctx, dest, o, err);
}
