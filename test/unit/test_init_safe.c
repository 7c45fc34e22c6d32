/* The init's path functions (nsenter/safe.c, proto's path_clean), linked through the
   rtinit library: lexical cleaning, and creating paths inside a rootfs fd where the
   image's symlinks (absolute, relative with "..", dangling, looping) must never lead out
   of it.  The rootfs is a temporary directory; "outside" is its sibling. */
#define _GNU_SOURCE
#include "init.h"
#include "tap.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void
clean_is (const char *in, const char *want)
{
  cleanup_free char *got = path_clean (in);
  is_str (got, want, "path_clean \"%s\"", in);
}

/* Is PATH (relative to DIRFD) there, as a directory (dir) or a regular file? */
static bool
is_type (int dirfd, const char *path, mode_t type)
{
  struct stat st;
  return fstatat (dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type;
}

/* FD from a safe_* call: true if it is one (closed then). */
static bool
made (int fd)
{
  if (fd < 0)
    return false;
  close (fd);
  return true;
}

static void
test_clean (void)
{
  clean_is ("", "/");
  clean_is ("/", "/");
  clean_is ("a/b", "/a/b");
  clean_is ("/a//b/./c/", "/a/b/c");
  clean_is ("/a/../../b", "/b");
  clean_is ("../../x", "/x");
  clean_is ("/..", "/");
  clean_is ("/a/b/..", "/a");
  clean_is ("/.../..a", "/.../..a");
}

static void
test_mkdir (int top, int root)
{
  cleanup_error rt_error_t err = NULL;

  ok (symlinkat ("/outside", root, "abs") == 0 && symlinkat ("../../outside", root, "rel") == 0
          && symlinkat ("/run", root, "dangling") == 0 && symlinkat ("loop", root, "loop") == 0
          && mkdirat (top, "outside", 0755) == 0,
      "the image's symlinks are made");

  ok (made (safe_mkdir_p (root, "/a/b/c", 0755, &err)) && is_type (root, "a/b/c", S_IFDIR),
      "mkdir -p of a plain path");

  ok (made (safe_mkdir_p (root, "/abs/x", 0755, &err)) && is_type (root, "outside/x", S_IFDIR)
          && !is_type (top, "outside/x", S_IFDIR),
      "an absolute symlink resolves inside the root");

  ok (made (safe_mkdir_p (root, "/rel/y", 0755, &err)) && is_type (root, "outside/y", S_IFDIR)
          && !is_type (top, "outside/y", S_IFDIR),
      "a relative symlink's \"..\" stops at the root");

  ok (made (safe_mkdir_p (root, "/../../z", 0755, &err)) && is_type (root, "z", S_IFDIR)
          && !is_type (top, "z", S_IFDIR),
      "\"..\" in the path stops at the root");

  ok (made (safe_mkdir_p (root, "/dangling", 0755, &err)) && is_type (root, "run", S_IFDIR)
          && is_type (root, "dangling", S_IFLNK),
      "a dangling symlink: its target is made inside the root, the link kept");

  ok (!made (safe_mkdir_p (root, "/loop/x", 0755, &err)) && err != NULL,
      "a symlink loop is an error, not a hang");
}

static void
test_create (int top, int root)
{
  cleanup_error rt_error_t err = NULL;

  ok (symlinkat ("/outside/f", root, "flink") == 0, "a dangling file symlink is made");
  ok (made (safe_create_file (root, "/flink", 0644, &err)) && is_type (root, "outside/f", S_IFREG)
          && !is_type (top, "outside/f", S_IFREG),
      "a file through a dangling symlink is created inside the root");
  ok (made (safe_create_file (root, "/d/e/file", 0600, &err))
          && is_type (root, "d/e/file", S_IFREG),
      "a file and its parents are created");
  errno = 0;
  ok (made (safe_open_raw (root, "/../outside", O_PATH | O_DIRECTORY, 0)),
      "safe_open_raw \"/../outside\" is the root's own outside/");
}

int
main (void)
{
  char tmpl[] = "/tmp/rt-unit-safe.XXXXXX";
  cleanup_close int top = -1, root = -1;

  test_clean ();
  if (mkdtemp (tmpl) == NULL)
    return 1;
  top = open (tmpl, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (top < 0 || mkdirat (top, "rootfs", 0755) < 0)
    return 1;
  root = openat (top, "rootfs", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return 1;
  test_mkdir (top, root);
  test_create (top, root);
  rm_rf (tmpl);
  return tap_done ();
}
