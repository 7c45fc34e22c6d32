/* /dev when it is not bound from the host (runc's createDevices, setupPtmx,
   setupDevSymlinks): the default devices, linux.devices, and the usual symlinks.
   Device nodes are made with mknod; in a user namespace, where mknod is not allowed,
   the host's node is bound onto an empty file instead. */
#define _GNU_SOURCE
#include "init.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct dev_node
{
  const char *path;
  mode_t type; /* S_IFCHR, S_IFBLK, S_IFIFO */
  unsigned major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

static const struct dev_node default_devices[] = {
  { "/dev/null", S_IFCHR, 1, 3, 0666, 0, 0 },    { "/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0 },
  { "/dev/full", S_IFCHR, 1, 7, 0666, 0, 0 },    { "/dev/random", S_IFCHR, 1, 8, 0666, 0, 0 },
  { "/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0 }, { "/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0 },
};

static int
bind_device (struct init_ctx *ctx, const struct dev_node *d, rt_error_t *err)
{
  cleanup_close int targetfd = -1, fd = -1;

  targetfd = safe_create_file (ctx->rootfd, d->path, 0000, err);
  if (targetfd < 0)
    return -1;
  fd = safe_mount (ctx->rootfd, d->path, targetfd, d->path, NULL, MS_BIND, NULL, err);
  return fd < 0 ? -1 : 0;
}

static int
create_device (struct init_ctx *ctx, const struct dev_node *d, rt_error_t *err)
{
  cleanup_close int parentfd = -1;
  cleanup_free char *base = NULL;

  if (ctx->userns)
    return bind_device (ctx, d, err);
  parentfd = safe_parent (ctx->rootfd, d->path, &base, err);
  if (parentfd < 0)
    return -1;
  if (mknodat (parentfd, base, d->type | (d->mode & 07777), makedev (d->major, d->minor)) < 0)
    {
      if (errno == EEXIST)
        return 0; /* the image has one already: keep it, as runc does */
      if (errno == EPERM)
        return bind_device (ctx, d, err);
      return rt_error (err, errno, "mknod \"%s\"", d->path);
    }
  if (fchownat (parentfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return rt_error (err, errno, "chown \"%s\"", d->path);
  return 0;
}

static int
spec_device (const struct rt_device *sd, struct dev_node *d, rt_error_t *err)
{
  *d = (struct dev_node){ .path = sd->path,
                          .major = (unsigned) sd->major,
                          .minor = (unsigned) sd->minor };
  switch (sd->type)
    {
      case 'c':
      case 'u':
        d->type = S_IFCHR;
        break;
      case 'b':
        d->type = S_IFBLK;
        break;
      case 'p':
        d->type = S_IFIFO;
        d->major = d->minor = 0;
        break;
      default:
        return rt_error (err, 0, "device \"%s\": unknown type '%c'", sd->path, sd->type);
    }
  /* the permission bits (fileMode may be a whole st_mode; its type bits were checked) */
  d->mode = sd->has_file_mode ? sd->file_mode & 0777 : 0666;
  d->uid = sd->has_uid ? sd->uid : 0;
  d->gid = sd->has_gid ? sd->gid : 0;
  return 0;
}

static bool
overridden (const struct rt_linux *l, const char *path)
{
  for (size_t i = 0; i < l->n_devices; i++)
    if (strcmp (l->devices[i].path, path) == 0)
      return true;
  return false;
}

static int
dev_symlinks (struct init_ctx *ctx, rt_error_t *err)
{
  static const char *const links[][2] = {
    { "/proc/self/fd", "fd" },
    { "/proc/self/fd/0", "stdin" },
    { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" },
  };
  cleanup_close int devfd = safe_mkdir_p (ctx->rootfd, "/dev", 0755, err);

  if (devfd < 0)
    return -1;
  for (size_t i = 0; i < ARRAY_SIZE (links); i++)
    if (symlinkat (links[i][0], devfd, links[i][1]) < 0 && errno != EEXIST)
      return rt_error (err, errno, "symlink /dev/%s", links[i][1]);
  /* runc adds /dev/core only when the kernel has /proc/kcore. */
  if (access ("/proc/kcore", F_OK) == 0 && symlinkat ("/proc/kcore", devfd, "core") < 0
      && errno != EEXIST)
    return rt_error (err, errno, "symlink /dev/core");
  /* The container's ptys come from its own devpts instance (newinstance). */
  if (unlinkat (devfd, "ptmx", 0) < 0 && errno != ENOENT)
    return rt_error (err, errno, "remove /dev/ptmx");
  if (symlinkat ("pts/ptmx", devfd, "ptmx") < 0)
    return rt_error (err, errno, "symlink /dev/ptmx");
  return 0;
}

int
devices_setup (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_linux *l = &ctx->config->spec->linux_;

  if (!ctx->setup_dev)
    return 0;
  for (size_t i = 0; i < ARRAY_SIZE (default_devices); i++)
    if (!overridden (l, default_devices[i].path)
        && create_device (ctx, &default_devices[i], err) < 0)
      return -1;
  for (size_t i = 0; i < l->n_devices; i++)
    {
      struct dev_node d;
      if (spec_device (&l->devices[i], &d, err) < 0 || create_device (ctx, &d, err) < 0)
        return -1;
    }
  return dev_symlinks (ctx, err);
}
