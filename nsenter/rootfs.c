/* The container's root: propagation and the self bind before the mounts, pivot_root (or
   MS_MOVE + chroot) after them, then maskedPaths, readonlyPaths and root.readonly — the
   shape of runc's prepareRoot / pivotRoot / msMoveRoot / finalizeRootfs. */
#define _GNU_SOURCE
#include "init.h"
#include "mountinfo.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int
propagation_flags (const char *name, unsigned long *flags, rt_error_t *err)
{
  static const struct rt_name_value table[] = {
    { "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
    { "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
    { "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
    { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
  };
  long v;

  if (rt_name_lookup (table, ARRAY_SIZE (table), name, &v) == 0)
    {
      *flags = (unsigned long) v;
      return 0;
    }
  return rt_error (err, 0, "linux.rootfsPropagation: unknown propagation \"%s\"", name);
}

/* runc's rootfsParentMountPrivate: pivot_root refuses a new root whose parent mount is
   shared, and a shared parent would propagate our rootfs bind (and what is mounted on it)
   to the host.  MS_PRIVATE on PATH says EINVAL until PATH is a mount point: walk up until
   it is one (no text matching of mountinfo, whose paths are escaped). */
static int
parent_mount_private (const char *path, rt_error_t *err)
{
  cleanup_free char *p = xstrdup (path);

  for (;;)
    {
      char *slash;

      if (mount (NULL, p, NULL, MS_PRIVATE, NULL) == 0)
        return 0;
      if (errno != EINVAL || strcmp (p, "/") == 0)
        return rt_error (err, errno, "make the parent mount of the rootfs private (at \"%s\")", p);
      slash = strrchr (p, '/');
      if (slash == p)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
}

int
rootfs_prepare (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_spec *spec = ctx->config->spec;
  const char *rootfs = ctx->config->rootfs;
  cleanup_free char *real = NULL;
  unsigned long flags = MS_SLAVE | MS_REC;

  if (rootfs == NULL || rootfs[0] != '/')
    return rt_error (err, 0, "rootfs: an absolute path is required");
  if (spec->linux_.rootfs_propagation
      && propagation_flags (spec->linux_.rootfs_propagation, &flags, err) < 0)
    return -1;
  /* An unbindable / could not be bound onto itself below: stay rslave until
     rootfs_propagation applies it to the container's own root, after the pivot. */
  if (flags & MS_UNBINDABLE)
    flags = MS_SLAVE | MS_REC;
  /* Nothing we mount may leak back to the host's mount namespace. */
  if (mount (NULL, "/", NULL, flags, NULL) < 0)
    return rt_error (err, errno, "set propagation of /");
  real = realpath (rootfs, NULL);
  if (real == NULL)
    return rt_error (err, errno, "rootfs \"%s\"", rootfs);
  if (parent_mount_private (real, err) < 0)
    return -1;
  /* pivot_root needs the new root to be a mount point. */
  if (mount (real, real, NULL, MS_BIND | MS_REC, NULL) < 0)
    return rt_error (err, errno, "bind mount rootfs \"%s\"", real);
  ctx->rootfd = open (real, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx->rootfd < 0)
    return rt_error (err, errno, "open rootfs \"%s\"", real);
  free (ctx->rootfs_path);
  ctx->rootfs_path = take_ptr (&real);
  return 0;
}

/* runc's pivotRoot: pivot_root(".", ".") stacks the old root on top of the new one;
   detaching it from "." after making it rslave removes it without touching the host. */
static int
pivot_root_dot (struct init_ctx *ctx, rt_error_t *err)
{
  cleanup_close int oldroot = open ("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);

  if (oldroot < 0)
    return rt_error (err, errno, "open /");
  if (fchdir (ctx->rootfd) < 0)
    return rt_error (err, errno, "chdir to the rootfs");
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return rt_error (err, errno, "pivot_root \"%s\"", ctx->rootfs_path);
  if (fchdir (oldroot) < 0)
    return rt_error (err, errno, "chdir to the old root");
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return rt_error (err, errno, "make the old root rslave");
  if (umount2 (".", MNT_DETACH) < 0)
    return rt_error (err, errno, "unmount the old root");
  return 0;
}

/* --no-pivot (runc's msMoveRoot): the host's full proc and sysfs stay reachable in this
   mount namespace after a chroot and would make the kernel's "is procfs fully visible"
   checks pass for the container; take them away first. */
static int
hide_host_procfs (const char *rootfs, rt_error_t *err)
{
  cleanup_mountinfo struct rt_mountinfo_reader r = { 0 };
  cleanup_strv char **mnts = xcalloc (1, sizeof (char *));
  struct rt_mountinfo m;
  size_t n = 0, rlen = strlen (rootfs);
  int ret = 0;

  if (rt_mountinfo_open (&r, err) < 0)
    return -1;
  while (rt_mountinfo_next (&r, &m))
    {
      const char *mnt = m.mountpoint;
      if (strcmp (m.root, "/") != 0 || (strcmp (m.fstype, "proc") && strcmp (m.fstype, "sysfs"))
          || (strncmp (mnt, rootfs, rlen) == 0 && (mnt[rlen] == '/' || mnt[rlen] == '\0')))
        continue;
      mnts = xrealloc (mnts, (n + 2) * sizeof *mnts);
      mnts[n++] = xstrdup (mnt);
      mnts[n] = NULL;
    }
  for (size_t i = 0; i < n && ret == 0; i++)
    {
      if (mount (NULL, mnts[i], NULL, MS_SLAVE | MS_REC, NULL) < 0)
        {
          if (errno == ENOENT)
            continue;
          ret = rt_error (err, errno, "make \"%s\" rslave", mnts[i]);
        }
      else if (umount2 (mnts[i], MNT_DETACH) < 0)
        {
          if (errno != EINVAL && errno != EPERM)
            ret = rt_error (err, errno, "unmount \"%s\"", mnts[i]);
          else if (mount ("tmpfs", mnts[i], "tmpfs", 0, NULL) < 0)
            ret = rt_error (err, errno, "cover \"%s\"", mnts[i]);
        }
    }
  return ret;
}

static int
move_root (struct init_ctx *ctx, rt_error_t *err)
{
  if (hide_host_procfs (ctx->rootfs_path, err) < 0)
    return -1;
  if (fchdir (ctx->rootfd) < 0)
    return rt_error (err, errno, "chdir to the rootfs");
  if (mount (ctx->rootfs_path, "/", NULL, MS_MOVE, NULL) < 0)
    return rt_error (err, errno, "move the rootfs to /");
  if (chroot (".") < 0)
    return rt_error (err, errno, "chroot");
  return 0;
}

int
rootfs_pivot (struct init_ctx *ctx, rt_error_t *err)
{
  int ret = ctx->config->no_pivot ? move_root (ctx, err) : pivot_root_dot (ctx, err);

  if (ret < 0)
    return -1;
  if (chdir ("/") < 0)
    return rt_error (err, errno, "chdir /");
  close (ctx->rootfd);
  ctx->rootfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx->rootfd < 0)
    return rt_error (err, errno, "open /");
  free (ctx->rootfs_path);
  ctx->rootfs_path = xstrdup ("/");
  return 0;
}

/* The flags a read-only remount must carry over so that it changes only MS_RDONLY. */
static unsigned long
keep_flags (int fd)
{
  struct statfs st;
  if (fstatfs (fd, &st) < 0)
    return 0;
  return st.f_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME);
}

/* The host's /dev/null over a masked file.  rt opened it on the host (null_fd, a detached
   mount): the first mask is that mount, the others are copies of the first (open_tree of
   a mount of this namespace).  Without it, the container's /dev/null if it is the null
   device. */
struct null_source
{
  const struct stat *dev; /* the container's /dev/null, if it is the null device */
  int host;               /* rt's detached /dev/null, until it is used */
  int mounted;            /* the first mask made from it */
};

static int
mask_file (struct init_ctx *ctx, const char *path, int fd, struct null_source *null,
           rt_error_t *err)
{
  cleanup_close int tree = -1;
  int mfd;

  if (null->host < 0 && null->mounted < 0)
    {
      if (null->dev == NULL)
        return rt_error (err, 0, "masked path \"%s\": /dev/null is not the null device", path);
      return safe_mount (ctx->rootfd, path, fd, "/dev/null", NULL, MS_BIND, NULL, err);
    }
  if (null->mounted >= 0)
    {
      tree = open_tree (null->mounted, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
      if (tree < 0)
        return rt_error (err, errno, "masked path \"%s\": copy the /dev/null mount", path);
      return safe_move_mount (ctx->rootfd, path, fd, tree, "/dev/null", err);
    }
  mfd = safe_move_mount (ctx->rootfd, path, fd, null->host, "/dev/null", err);
  if (mfd >= 0)
    null->mounted = dup (mfd);
  return mfd;
}

/* runc's maskPath: /dev/null over files, an empty read-only tmpfs over directories. */
static int
mask_path (struct init_ctx *ctx, const char *path, struct null_source *null, rt_error_t *err)
{
  cleanup_close int fd = safe_open_raw (ctx->rootfd, path, O_PATH, 0), mfd = -1;
  struct stat st;

  if (fd < 0 && errno == ENOENT)
    return 0;
  if (fd < 0 || fstat (fd, &st) < 0)
    return rt_error (err, errno, "masked path \"%s\"", path);
  if (S_ISDIR (st.st_mode))
    mfd = safe_mount (ctx->rootfd, path, fd, "tmpfs", "tmpfs", MS_RDONLY, NULL, err);
  else
    mfd = mask_file (ctx, path, fd, null, err);
  return mfd < 0 ? rt_error_wrap (err, "masked path \"%s\"", path) : 0;
}

/* runc's readonlyPath: bind the path on itself, then remount that bind read-only. */
static int
readonly_path (struct init_ctx *ctx, const char *path, rt_error_t *err)
{
  cleanup_close int fd = safe_open_raw (ctx->rootfd, path, O_PATH, 0), rofd = -1;
  char self[64];

  if (fd < 0 && errno == ENOENT)
    return 0;
  if (fd < 0)
    return rt_error (err, errno, "readonly path \"%s\"", path);
  rofd = safe_mount (ctx->rootfd, path, fd, fd_path (fd, self, sizeof self), NULL, MS_BIND | MS_REC,
                     NULL, err);
  if (rofd < 0)
    return rt_error_wrap (err, "readonly path \"%s\"", path);
  if (remount_bind (rofd, MS_RDONLY | keep_flags (rofd)) < 0)
    return rt_error (err, errno, "readonly path \"%s\": remount read-only", path);
  return 0;
}

static int
remount_dev_ro (struct init_ctx *ctx, rt_error_t *err)
{
  cleanup_close int fd = safe_open (ctx->rootfd, "/dev", O_PATH | O_DIRECTORY, 0, err);
  unsigned long flags = (ctx->dev_flags & ~(MS_BIND | MS_REC)) | MS_REMOUNT | MS_RDONLY;

  if (fd < 0)
    return -1;
  if (fd_mount (fd, NULL, NULL, flags, NULL) < 0)
    return rt_error (err, errno, "remount /dev read-only");
  return 0;
}

static int
root_readonly (rt_error_t *err)
{
  cleanup_close int fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;

  if (fd < 0)
    return rt_error (err, errno, "open /");
  if (mount (NULL, "/", NULL, flags | keep_flags (fd), NULL) < 0)
    return rt_error (err, errno, "remount / read-only");
  return 0;
}

/* /dev/null as the masks' source must really be the null device, not whatever the
   image put there. */
static const struct stat *
null_device (struct stat *st)
{
  if (stat ("/dev/null", st) < 0 || !S_ISCHR (st->st_mode) || st->st_rdev != makedev (1, 3))
    return NULL;
  return st;
}

int
rootfs_finalize (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_linux *l = &ctx->config->spec->linux_;
  struct stat nullst;
  struct null_source null = { .host = ctx->config->null_fd, .mounted = -1 };
  int ret = 0;

  null.dev = null.host < 0 ? null_device (&nullst) : NULL;
  for (size_t i = 0; i < l->n_readonly_paths; i++)
    if (readonly_path (ctx, l->readonly_paths[i], err) < 0)
      return -1;
  for (size_t i = 0; i < l->n_masked_paths && ret == 0; i++)
    ret = mask_path (ctx, l->masked_paths[i], &null, err);
  if (null.mounted >= 0)
    close (null.mounted);
  if (ret < 0)
    return -1;
  if (ctx->dev_ro && remount_dev_ro (ctx, err) < 0)
    return -1;
  if (ctx->config->spec->root_readonly && root_readonly (err) < 0)
    return -1;
  return 0;
}

int
rootfs_propagation (struct init_ctx *ctx, rt_error_t *err)
{
  const char *prop = ctx->config->spec->linux_.rootfs_propagation;
  unsigned long flags = 0;

  if (prop == NULL)
    return 0;
  if (propagation_flags (prop, &flags, err) < 0)
    return -1;
  if (mount (NULL, "/", NULL, flags, NULL) < 0)
    return rt_error (err, errno, "set propagation of / to %s", prop);
  return 0;
}
