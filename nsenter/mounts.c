/* The spec's mounts (config.md "mounts"): one mount per entry inside the rootfs, in order,
   the way runc's mountToRootfs does it; the options are parsed by mount_opts.c. */
#define _GNU_SOURCE
#include "init.h"
#include "linux_attrs.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* What follows the mount itself: recursive attributes, then propagation. */
static int
mount_attrs (int fd, const char *dest, const struct mount_opts *o, rt_error_t *err)
{
  if (o->attr_set || o->attr_clr)
    {
      struct mount_attr attr = { .attr_set = o->attr_set, .attr_clr = o->attr_clr };
      if (mount_setattr (fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        return rt_error (err, errno, "set recursive mount attributes of \"%s\"", dest);
    }
  for (size_t i = 0; i < o->n_propagation; i++)
    if (fd_mount (fd, NULL, NULL, o->propagation[i], NULL) < 0)
      return rt_error (err, errno, "set propagation of \"%s\"", dest);
  return 0;
}

/* The flags a bind remount must keep because the kernel locked them on a mount that
   came from a more privileged mount namespace (user namespaces). */
static unsigned long
locked_flags (int fd)
{
  struct statfs st;
  if (fstatfs (fd, &st) < 0)
    return 0;
  return st.f_flags
         & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME
            | MS_RELATIME);
}

int
remount_bind (int fd, unsigned long flags)
{
  unsigned long locked;

  flags |= MS_BIND | MS_REMOUNT;
  if (fd_mount (fd, NULL, NULL, flags, NULL) == 0)
    return 0;
  if (errno != EPERM)
    return -1;
  locked = locked_flags (fd);
  /* A requested atime mode replaces the locked one only if the kernel agrees;
     keep the locked one, runc does the same. */
  if (locked & (MS_NOATIME | MS_RELATIME | MS_NODIRATIME))
    flags &= ~(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
  return fd_mount (fd, NULL, NULL, flags | locked, NULL);
}

/* runc's checkProcMount: nothing may be mounted inside the container's /proc except
   the files lxcfs emulates, and /proc itself only gets a procfs.  P is the target as a
   path inside the container. */
static int
check_proc_path (const char *p, const char *dest, const char *source, rt_error_t *err)
{
  static const char *const allowed[] = { "/proc/cpuinfo", "/proc/diskstats",
                                         "/proc/meminfo", "/proc/stat",
                                         "/proc/swaps",   "/proc/uptime",
                                         "/proc/loadavg", "/proc/slabinfo",
                                         "/proc/net/dev", "/proc/sys/kernel/ns_last_pid" };
  struct statfs st;

  if (strncmp (p, "/proc", 5) != 0 || (p[5] != '\0' && p[5] != '/'))
    return 0;
  if (p[5] == '\0')
    {
      if (source && statfs (source, &st) == 0 && st.f_type == PROC_SUPER_MAGIC)
        return 0;
      return rt_error (err, 0, "\"%s\" cannot be mounted because it is not of type proc", dest);
    }
  for (size_t i = 0; i < ARRAY_SIZE (allowed); i++)
    if (strcmp (p, allowed[i]) == 0)
      return 0;
  return rt_error (err, 0, "\"%s\" cannot be mounted because it is inside /proc", dest);
}

/* The same check on where the opened target really is (symlinks resolved in-root). */
static int
check_proc_mount (struct init_ctx *ctx, int targetfd, const char *dest, const char *source,
                  rt_error_t *err)
{
  cleanup_free char *full = fd_readlink (targetfd);
  const char *p, *root = ctx->rootfs_path;
  size_t n = strlen (root);

  if (full == NULL)
    return rt_error (err, errno, "readlink target of \"%s\"", dest);
  p = full;
  if (n > 1 && strncmp (p, root, n) == 0 && (p[n] == '/' || p[n] == '\0'))
    p += n;
  return check_proc_path (p, dest, source, err);
}

static char *
bind_source (struct init_ctx *ctx, const char *source)
{
  /* config.md: bind sources may be relative to the bundle. */
  if (source[0] == '/' || ctx->config->bundle == NULL)
    return xstrdup (source);
  return xasprintf ("%s/%s", ctx->config->bundle, source);
}

/* The detached mount rootless rt made for M (a container with a user namespace), or -1. */
static int
idmap_fd_from_rt (struct init_ctx *ctx, const struct rt_mount *m)
{
  size_t index = (size_t) (m - ctx->config->spec->mounts);
  const char *p = ctx->config->idmap_fds;
  unsigned long i, fd;
  char *end;

  while (p && *p)
    {
      i = strtoul (p, &end, 10);
      if (*end != ':')
        return -1;
      fd = strtoul (end + 1, &end, 10);
      if (i == index && fd <= INT_MAX)
        return (int) fd;
      p = *end == ',' ? end + 1 : end;
    }
  return -1;
}

/* A copy of SOURCE's mount (tree, for rbind) with the mount's idmapping, moved onto the
   target: MOUNT_ATTR_IDMAP only takes a detached mount. */
static int
idmapped_bind (struct init_ctx *ctx, const char *source, const char *dest, int targetfd,
               const struct mount_opts *o, rt_error_t *err)
{
  cleanup_close int tree = -1, userns = -1;
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };

  tree = idmap_fd_from_rt (ctx, o->idmap);
  if (tree >= 0)
    return safe_move_mount (ctx->rootfd, dest, targetfd, tree, source, err);
  if (o->idmap->n_uid_mappings == 0)
    return rt_error (err, 0, "mount \"%s\": idmap without uidMappings and gidMappings", dest);
  tree = open_tree (AT_FDCWD, source,
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (o->rec ? AT_RECURSIVE : 0));
  if (tree < 0)
    return rt_error (err, errno, "mount \"%s\": open_tree \"%s\"", dest, source);
  userns = rt_idmap_userns (o->idmap->uid_mappings, o->idmap->n_uid_mappings,
                            o->idmap->gid_mappings, o->idmap->n_gid_mappings, err);
  if (userns < 0)
    return rt_error_wrap (err, "mount \"%s\"", dest);
  attr.userns_fd = (uint64_t) userns;
  if (mount_setattr (tree, "", AT_EMPTY_PATH | (o->idmap_rec ? AT_RECURSIVE : 0), &attr,
                     sizeof attr)
      < 0)
    return rt_error (err, errno, "mount \"%s\": idmap \"%s\" (the file system may not support it)",
                     dest, source);
  return safe_move_mount (ctx->rootfd, dest, targetfd, tree, source, err);
}

int
mount_bind (struct init_ctx *ctx, const char *source, const char *dest, const struct mount_opts *o,
            rt_error_t *err)
{
  cleanup_close int targetfd = -1, fd = -1;
  unsigned long extra = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  struct stat st;

  if (check_proc_path (dest, dest, source, err) < 0)
    return -1;
  /* rt's copy of the source: never resolved again here */
  if ((o->source_fd >= 0 ? fstat (o->source_fd, &st) : stat (source, &st)) < 0)
    return rt_error (err, errno, "mount \"%s\" on \"%s\": stat source", source, dest);
  if (S_ISDIR (st.st_mode))
    targetfd = safe_mkdir_p (ctx->rootfd, dest, 0755, err);
  else
    targetfd = safe_create_file (ctx->rootfd, dest, 0644, err);
  if (targetfd < 0)
    return -1;
  if (check_proc_mount (ctx, targetfd, dest, source, err) < 0)
    return -1;
  /* rt's copy first: for an idmapped mount in a user namespace rt set the idmapping on it */
  if (o->source_fd >= 0)
    fd = safe_move_mount (ctx->rootfd, dest, targetfd, o->source_fd, source, err);
  else if (o->idmap)
    fd = idmapped_bind (ctx, source, dest, targetfd, o, err);
  else
    fd = safe_mount (ctx->rootfd, dest, targetfd, source, NULL, MS_BIND | (o->rec ? MS_REC : 0),
                     NULL, err);
  if (fd < 0)
    return -1;
  /* A bind mount ignores every flag but MS_BIND|MS_REC: the rest needs a remount. */
  if (extra && remount_bind (fd, extra) < 0)
    return rt_error (err, errno, "remount \"%s\"", dest);
  return mount_attrs (fd, dest, o, err);
}

/* sysfs needs the network namespace's owner: in a user namespace without one, bind the
   host's /sys instead (crun does the same). */
static int
mount_sysfs_fallback (struct init_ctx *ctx, const char *dest, const struct mount_opts *o,
                      rt_error_t *err)
{
  struct mount_opts bind = *o;

  nsdebug ("sysfs on %s: EPERM in a user namespace, binding /sys", dest);
  bind.rec = true;
  bind.flags |= MS_NOSUID | MS_NODEV | MS_NOEXEC;
  /* The host's /sys has mounts below it: they get the same restrictions. */
  bind.attr_set |= MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                   | ((o->flags & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0);
  return mount_bind (ctx, "/sys", dest, &bind, err);
}

/* "tmpcopyup": the directory under the tmpfs is copied into it, then a read-only tmpfs
   becomes read-only. */
static int
mount_tmpfs_copyup (struct init_ctx *ctx, const char *dest, int targetfd, const struct rt_mount *m,
                    const struct mount_opts *o, rt_error_t *err)
{
  cleanup_close int lower = openat (targetfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int fd = -1;

  if (lower < 0)
    return rt_error (err, errno, "tmpcopyup: open \"%s\"", dest);
  fd = safe_mount (ctx->rootfd, dest, targetfd, m->source, m->type, o->flags & ~MS_RDONLY, o->data,
                   err);
  if (fd < 0 || tmpcopyup (lower, fd, dest, err) < 0)
    return -1;
  if ((o->flags & MS_RDONLY) && fd_mount (fd, NULL, NULL, o->flags | MS_REMOUNT, o->data) < 0)
    return rt_error (err, errno, "remount \"%s\" read-only", dest);
  return mount_attrs (fd, dest, o, err);
}

static int
mount_fs (struct init_ctx *ctx, const struct rt_mount *m, struct mount_opts *o, rt_error_t *err)
{
  cleanup_free char *dest = path_clean (m->destination);
  cleanup_close int targetfd = -1, fd = -1;
  unsigned long flags = o->flags;
  struct stat st;
  bool procfs = m->type && (strcmp (m->type, "proc") == 0 || strcmp (m->type, "sysfs") == 0);

  if (!procfs && check_proc_path (dest, dest, m->source, err) < 0)
    return -1;
  targetfd = safe_mkdir_p (ctx->rootfd, dest, 0755, err);
  if (targetfd < 0)
    return -1;
  if (procfs)
    {
      /* runc: proc and sysfs go on an ordinary directory, never through a symlink. */
      cleanup_close int nofollow = safe_open_raw (ctx->rootfd, dest, O_PATH | O_NOFOLLOW, 0);
      if (nofollow < 0 || fstat (nofollow, &st) < 0 || !S_ISDIR (st.st_mode))
        return rt_error (err, 0, "filesystem \"%s\" must be mounted on ordinary directory",
                         m->type);
    }
  else if (check_proc_mount (ctx, targetfd, dest, m->source, err) < 0)
    return -1;

  if (strcmp (dest, "/dev") == 0 && (flags & MS_RDONLY))
    {
      /* The devices still have to be created: ro comes after them (runc). */
      ctx->dev_ro = true;
      ctx->dev_flags = flags;
      flags &= ~MS_RDONLY;
    }
  if (flags & MS_REMOUNT)
    {
      if (fd_mount (targetfd, m->source, m->type, flags, o->data) < 0)
        return rt_error (err, errno, "remount \"%s\"", dest);
      return mount_attrs (targetfd, dest, o, err);
    }
  if (o->copyup)
    return mount_tmpfs_copyup (ctx, dest, targetfd, m, o, err);
  fd = safe_mount (ctx->rootfd, dest, targetfd, m->source, m->type, flags, o->data, err);
  if (fd < 0 && m->type && strcmp (m->type, "sysfs") == 0 && (*err)->status == EPERM && ctx->userns)
    {
      rt_error_free (err); /* handled: the host's /sys is bound instead */
      return mount_sysfs_fallback (ctx, dest, o, err);
    }
  if (fd < 0)
    return -1;
  return mount_attrs (fd, dest, o, err);
}

/* linux.mountLabel: the SELinux context of the file systems mounted for the container
   (runc's label.FormatMountLabel); proc and sysfs keep the kernel's labels.  init.c has
   refused a label on a host without SELinux. */
static void
mount_label (struct init_ctx *ctx, const struct rt_mount *m, struct mount_opts *o)
{
  const char *label = ctx->config->spec->linux_.mount_label;
  cleanup_free char *opt = NULL;

  if (label == NULL || *label == '\0' || m->type == NULL || strcmp (m->type, "proc") == 0
      || strcmp (m->type, "sysfs") == 0)
    return;
  opt = xasprintf ("context=\"%s\"", label);
  mount_opts_add_data (o, opt);
}

static int
mount_one (struct init_ctx *ctx, const struct rt_mount *m, rt_error_t *err)
{
  struct mount_opts o;
  int ret;

  if (mount_opts_parse (m, &o, err) < 0)
    return -1;
  nsdebug ("mount %s on %s type %s data %s", m->source ? m->source : "-", m->destination,
           m->type ? m->type : "-", o.data ? o.data : "-");
  if (o.bind)
    {
      cleanup_free char *source = NULL;
      cleanup_free char *dest = path_clean (m->destination);
      if (m->source == NULL)
        ret = rt_error (err, 0, "mount \"%s\": a bind mount needs a source", m->destination);
      else
        {
          size_t i = (size_t) (m - ctx->config->spec->mounts);
          if (i < ctx->config->n_mount_fds)
            o.source_fd = ctx->config->mount_fds[i];
          source = bind_source (ctx, m->source);
          ret = mount_bind (ctx, source, dest, &o, err);
        }
    }
  else if (m->type && (strcmp (m->type, "cgroup") == 0 || strcmp (m->type, "cgroup2") == 0))
    ret = mount_cgroup (ctx, m, &o, err);
  else
    {
      mount_label (ctx, m, &o);
      ret = mount_fs (ctx, m, &o, err);
    }
  mount_opts_free (&o);
  return ret;
}

int
mounts_apply (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_spec *spec = ctx->config->spec;

  for (size_t i = 0; i < spec->n_mounts; i++)
    if (mount_one (ctx, &spec->mounts[i], err) < 0)
      return -1;
  return 0;
}
