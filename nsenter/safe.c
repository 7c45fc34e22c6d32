/* The one way nsinit touches paths inside the rootfs (crun's safe_openat, runc's
   securejoin + WithProcfd): resolve relative to a root fd with openat2(RESOLVE_IN_ROOT),
   so symlinks in the container's image can never point outside it, and mount onto the
   opened fd through /proc/self/fd instead of re-resolving a path. */
#define _GNU_SOURCE
#include "init.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int
safe_open_raw (int rootfd, const char *path, int flags, mode_t mode)
{
  struct open_how how = {
    .flags = (unsigned) flags | O_CLOEXEC,
    .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  const char *rel = path;
  int fd, tries = 0;

  while (*rel == '/')
    rel++;
  if (*rel == '\0')
    rel = ".";
  /* EAGAIN: a rename raced with ".." resolution; the kernel asks us to retry. */
  do
    fd = (int) syscall (SYS_openat2, rootfd, rel, &how, sizeof how);
  while (fd < 0 && errno == EAGAIN && ++tries < 16);
  return fd;
}

int
safe_open (int rootfd, const char *path, int flags, mode_t mode, rt_error_t *err)
{
  int fd = safe_open_raw (rootfd, path, flags, mode);
  if (fd < 0)
    return rt_error (err, errno, "open \"%s\" in the rootfs", path);
  return fd;
}

static int mkdir_p_depth (int rootfd, const char *path, mode_t mode, int depth, rt_error_t *err);

/* BASE in PARENTFD is a dangling symlink: create what it points to, inside the root
   (securejoin's MkdirAll does the same), so that "/var/run -> /run" works on an image
   without /run. */
static int
mkdir_symlink_target (int rootfd, int parentfd, const char *parent, const char *base, mode_t mode,
                      int depth, rt_error_t *err)
{
  cleanup_free char *target = NULL;
  cleanup_close int fd = -1;
  char buf[4096];
  ssize_t n = readlinkat (parentfd, base, buf, sizeof buf - 1);

  if (n < 0)
    return rt_error (err, errno, "readlink \"%s/%s\" in the rootfs", parent, base);
  buf[n] = '\0';
  target = buf[0] == '/' ? xstrdup (buf) : xasprintf ("%s/%s", parent, buf);
  fd = mkdir_p_depth (rootfd, target, mode, depth + 1, err);
  return fd < 0 ? -1 : 0;
}

static int
mkdir_p_depth (int rootfd, const char *path, mode_t mode, int depth, rt_error_t *err)
{
  cleanup_free char *clean = path_clean (path);
  cleanup_close int parentfd = -1;
  const char *parent;
  char *slash;
  struct stat st;
  int fd;

  if (depth > 40)
    return rt_error (err, ELOOP, "mkdir \"%s\" in the rootfs", clean);
  fd = safe_open_raw (rootfd, clean, O_PATH | O_DIRECTORY, 0);
  if (fd >= 0)
    return fd;
  if (errno != ENOENT)
    return rt_error (err, errno, "open \"%s\" in the rootfs", clean);

  /* Missing: make the parent first (the root itself always exists), then this one. */
  slash = strrchr (clean, '/');
  *slash = '\0';
  parent = clean[0] ? clean : "/";
  parentfd = mkdir_p_depth (rootfd, parent, mode, depth, err);
  if (parentfd < 0)
    return -1;
  if (mkdirat (parentfd, slash + 1, mode) < 0)
    {
      if (errno != EEXIST)
        return rt_error (err, errno, "mkdir \"%s/%s\" in the rootfs", clean, slash + 1);
      if (fstatat (parentfd, slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)
          && mkdir_symlink_target (rootfd, parentfd, parent, slash + 1, mode, depth, err) < 0)
        return -1;
    }
  *slash = '/';
  return safe_open (rootfd, clean, O_PATH | O_DIRECTORY, 0, err);
}

int
safe_mkdir_p (int rootfd, const char *path, mode_t mode, rt_error_t *err)
{
  return mkdir_p_depth (rootfd, path, mode, 0, err);
}

int
safe_parent (int rootfd, const char *path, char **base, rt_error_t *err)
{
  cleanup_free char *clean = path_clean (path);
  char *slash = strrchr (clean, '/');
  int fd;

  if (strcmp (clean, "/") == 0)
    return rt_error (err, EINVAL, "\"%s\" has no parent in the rootfs", path);
  *slash = '\0';
  fd = safe_mkdir_p (rootfd, clean[0] ? clean : "/", 0755, err);
  if (fd < 0)
    return -1;
  *base = xstrdup (slash + 1);
  return fd;
}

static int
create_file_depth (int rootfd, const char *path, mode_t mode, int depth, rt_error_t *err)
{
  cleanup_close int parentfd = -1;
  cleanup_free char *base = NULL, *clean = path_clean (path);
  struct stat st;
  char link[4096];
  ssize_t n;
  int fd;

  if (depth > 40)
    return rt_error (err, ELOOP, "create \"%s\" in the rootfs", path);
  fd = safe_open_raw (rootfd, path, O_PATH, 0);
  if (fd >= 0)
    return fd;
  if (errno != ENOENT)
    return rt_error (err, errno, "open \"%s\" in the rootfs", path);
  parentfd = safe_parent (rootfd, path, &base, err);
  if (parentfd < 0)
    return -1;
  /* mknod, not open(O_CREAT): creating must never open (a fifo, a device) on the way. */
  if (mknodat (parentfd, base, S_IFREG | mode, 0) == 0)
    return safe_open (rootfd, path, O_PATH, 0, err);
  if (errno != EEXIST)
    return rt_error (err, errno, "create \"%s\" in the rootfs", path);
  /* a dangling symlink: create what it points to, inside the root (runc does) */
  if (fstatat (parentfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)
      && (n = readlinkat (parentfd, base, link, sizeof link - 1)) > 0)
    {
      cleanup_free char *target = NULL;

      link[n] = '\0';
      *strrchr (clean, '/') = '\0';
      target = link[0] == '/' ? xstrdup (link) : xasprintf ("%s/%s", clean, link);
      fd = create_file_depth (rootfd, target, mode, depth + 1, err);
      if (fd < 0)
        return -1;
      close (fd);
    }
  return safe_open (rootfd, path, O_PATH, 0, err);
}

int
safe_create_file (int rootfd, const char *path, mode_t mode, rt_error_t *err)
{
  return create_file_depth (rootfd, path, mode, 0, err);
}

const char *
fd_path (int fd, char *buf, size_t len)
{
  snprintf (buf, len, "/proc/self/fd/%d", fd);
  return buf;
}

char *
fd_readlink (int fd)
{
  char proc[64], buf[4096];
  ssize_t n = readlink (fd_path (fd, proc, sizeof proc), buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}

int
fd_mount (int fd, const char *source, const char *type, unsigned long flags, const char *data)
{
  char proc[64];
  return mount (source, fd_path (fd, proc, sizeof proc), type, flags, data);
}

static int
mnt_id (int fd, unsigned long long *id)
{
  struct statx st;
  if (statx (fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &st) < 0)
    return -1;
  *id = st.stx_mnt_id;
  return 0;
}

static int
mount_checked (int rootfd, const char *dest, int targetfd, int treefd, const char *source,
               const char *type, unsigned long flags, const char *data, rt_error_t *err)
{
  cleanup_free char *before_path = fd_readlink (targetfd);
  cleanup_free char *after_path = NULL;
  cleanup_close int fd = -1;
  unsigned long long before, after;

  if (mnt_id (targetfd, &before) < 0)
    return rt_error (err, errno, "statx \"%s\"", dest);
  if (treefd >= 0)
    {
      if (move_mount (treefd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
          < 0)
        return rt_error (err, errno, "move the mount of \"%s\" onto \"%s\"", source, dest);
    }
  else if (fd_mount (targetfd, source, type, flags, data) < 0)
    return rt_error (err, errno, "mount \"%s\" on \"%s\"", source ? source : type, dest);

  /* The mount went onto whatever the fd pointed at; make sure that is what the
     container will find at DEST, and that it is where the fd was opened. */
  fd = safe_open_raw (rootfd, dest, O_PATH, 0);
  if (fd < 0)
    return rt_error (err, errno, "reopen \"%s\" after mount", dest);
  if (mnt_id (fd, &after) < 0)
    return rt_error (err, errno, "statx \"%s\"", dest);
  after_path = fd_readlink (fd);
  if (after == before || before_path == NULL || after_path == NULL
      || strcmp (before_path, after_path) != 0)
    return rt_error (err, 0, "mount \"%s\" on \"%s\": target changed during the mount",
                     source ? source : type, dest);
  return take_fd (&fd);
}

int
safe_mount (int rootfd, const char *dest, int targetfd, const char *source, const char *type,
            unsigned long flags, const char *data, rt_error_t *err)
{
  return mount_checked (rootfd, dest, targetfd, -1, source, type, flags, data, err);
}

int
safe_move_mount (int rootfd, const char *dest, int targetfd, int treefd, const char *source,
                 rt_error_t *err)
{
  return mount_checked (rootfd, dest, targetfd, treefd, source, NULL, 0, NULL, err);
}
