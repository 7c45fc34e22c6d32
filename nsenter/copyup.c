/* The "tmpcopyup" mount option (config.md, from crun): a tmpfs mounted over a directory of
   the image starts with a copy of what the directory held.  Everything is opened relative
   to the two directory fds without following symlinks, so nothing outside them is read
   or written; owners, modes and times are kept. */
#define _GNU_SOURCE
#include "init.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* Owner, then mode (chown clears set-id bits), then times: of the new entry NAME in DST. */
static int
copy_attrs (int dst, const char *name, const struct stat *st, rt_error_t *err)
{
  const struct timespec times[2] = { st->st_atim, st->st_mtim };
  int nofollow = S_ISLNK (st->st_mode) ? AT_SYMLINK_NOFOLLOW : 0;

  if (fchownat (dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
    return rt_error (err, errno, "tmpcopyup: chown \"%s\"", name);
  if (!S_ISLNK (st->st_mode) && fchmodat (dst, name, st->st_mode & 07777, 0) < 0)
    return rt_error (err, errno, "tmpcopyup: chmod \"%s\"", name);
  if (utimensat (dst, name, times, nofollow) < 0)
    return rt_error (err, errno, "tmpcopyup: set the times of \"%s\"", name);
  return 0;
}

static int
copy_file (int src, int dst, const char *name, const struct stat *st, rt_error_t *err)
{
  cleanup_close int in = openat (src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_close int out = -1;
  off_t off = 0;

  if (in < 0)
    return rt_error (err, errno, "tmpcopyup: open \"%s\"", name);
  out = openat (dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0)
    return rt_error (err, errno, "tmpcopyup: create \"%s\"", name);
  while (off < st->st_size)
    {
      ssize_t n = sendfile (out, in, &off, st->st_size - off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return rt_error (err, errno, "tmpcopyup: copy \"%s\"", name);
      if (n == 0)
        break; /* the file shrank meanwhile */
    }
  return 0;
}

static int copy_dir (int src, int dst, int depth, rt_error_t *err);

static int
copy_entry (int src, int dst, const char *name, int depth, rt_error_t *err)
{
  char target[PATH_MAX];
  struct stat st;
  ssize_t n;

  if (fstatat (src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return rt_error (err, errno, "tmpcopyup: stat \"%s\"", name);
  switch (st.st_mode & S_IFMT)
    {
      case S_IFDIR:
        {
          cleanup_close int s = -1, d = -1;
          if (mkdirat (dst, name, 0700) < 0)
            return rt_error (err, errno, "tmpcopyup: mkdir \"%s\"", name);
          s = openat (src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          d = openat (dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (s < 0 || d < 0)
            return rt_error (err, errno, "tmpcopyup: open directory \"%s\"", name);
          if (copy_dir (s, d, depth + 1, err) < 0)
            return -1;
          break;
        }
      case S_IFREG:
        if (copy_file (src, dst, name, &st, err) < 0)
          return -1;
        break;
      case S_IFLNK:
        n = readlinkat (src, name, target, sizeof target - 1);
        if (n < 0)
          return rt_error (err, errno, "tmpcopyup: readlink \"%s\"", name);
        target[n] = '\0';
        if (symlinkat (target, dst, name) < 0)
          return rt_error (err, errno, "tmpcopyup: symlink \"%s\"", name);
        break;
      case S_IFSOCK:
        return 0; /* a socket is a live endpoint, not content */
      default:    /* fifos and device nodes */
        if (mknodat (dst, name, st.st_mode, st.st_rdev) < 0)
          return rt_error (err, errno, "tmpcopyup: mknod \"%s\"", name);
        break;
    }
  return copy_attrs (dst, name, &st, err);
}

static int
copy_dir (int src, int dst, int depth, rt_error_t *err)
{
  DIR *dir;
  struct dirent *de;
  int fd, ret = 0;

  if (depth > 256)
    return rt_error (err, ELOOP, "tmpcopyup: directories nested too deep");
  fd = openat (src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || (dir = fdopendir (fd)) == NULL)
    {
      if (fd >= 0)
        close (fd);
      return rt_error (err, errno, "tmpcopyup: read directory");
    }
  while (ret == 0 && (errno = 0, de = readdir (dir)) != NULL)
    if (strcmp (de->d_name, ".") != 0 && strcmp (de->d_name, "..") != 0)
      ret = copy_entry (src, dst, de->d_name, depth, err);
  if (ret == 0 && errno != 0)
    ret = rt_error (err, errno, "tmpcopyup: read directory");
  closedir (dir);
  return ret;
}

int
tmpcopyup (int lower, int upper_path, const char *dest, rt_error_t *err)
{
  cleanup_close int upper = openat (upper_path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* The tmpfs root keeps what its options say (mode=, uid=): only the content is copied. */
  if (upper < 0)
    return rt_error (err, errno, "tmpcopyup \"%s\"", dest);
  if (copy_dir (lower, upper, 0, err) < 0)
    return rt_error_wrap (err, "mount \"%s\"", dest);
  return 0;
}
