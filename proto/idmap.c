/* Idmapped mounts (config.md uidMappings/gidMappings, "idmap", "ridmap"), as crun makes
   them: MOUNT_ATTR_IDMAP takes a user namespace whose maps are the mount's.  A child
   unshares one and waits; we write its maps and keep a reference to the namespace.
   nsinit makes them for a container without a user namespace, rt for one with. */
#define _GNU_SOURCE
#include "linux_attrs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
map_text (const struct rt_id_mapping *m, size_t n)
{
  char *s = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      char *t = xasprintf ("%s%u %u %u\n", s, m[i].container_id, m[i].host_id, m[i].size);
      free (s);
      s = t;
    }
  return s;
}

/* The child: a user namespace of its own, then its pid as the host's /proc knows it (ours
   may be another pid namespace's), then wait until the parent closes the pipe. */
static void __attribute__ ((noreturn)) userns_child (int ready, int hold)
{
  char pid[32];
  ssize_t n;

  if (unshare (CLONE_NEWUSER) < 0)
    _exit (1);
  n = readlink ("/proc/self", pid, sizeof pid - 1);
  if (n <= 0 || write (ready, pid, (size_t) n) != n)
    _exit (1);
  close (ready);
  while (read (hold, pid, 1) < 0 && errno == EINTR)
    ;
  _exit (0);
}

static int
write_map (const char *pid, const char *file, const struct rt_id_mapping *m, size_t n,
           rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%s/%s", pid, file);
  cleanup_free char *text = map_text (m, n);

  return write_file (path, text, strlen (text), 0, err);
}

int
rt_idmap_userns (const struct rt_id_mapping *uids, size_t n_uids, const struct rt_id_mapping *gids,
                 size_t n_gids, rt_error_t *err)
{
  int ready[2], hold[2], fd = -1;
  char pid[32] = "";
  ssize_t n;
  pid_t child;

  if (pipe2 (ready, O_CLOEXEC) < 0)
    return rt_error (err, errno, "pipe");
  if (pipe2 (hold, O_CLOEXEC) < 0)
    {
      close (ready[0]);
      close (ready[1]);
      return rt_error (err, errno, "pipe");
    }
  child = fork ();
  if (child == 0)
    {
      close (ready[0]);
      close (hold[1]);
      userns_child (ready[1], hold[0]);
    }
  close (ready[1]);
  close (hold[0]);
  if (child < 0)
    rt_error (err, errno, "fork for the idmapped mount's user namespace");
  else if ((n = read (ready[0], pid, sizeof pid - 1)) <= 0)
    rt_error (err, n < 0 ? errno : 0, "unshare the idmapped mount's user namespace");
  else if (pid[n] = '\0', write_map (pid, "uid_map", uids, n_uids, err) == 0
                              && write_map (pid, "gid_map", gids, n_gids, err) == 0)
    {
      cleanup_free char *path = xasprintf ("/proc/%s/ns/user", pid);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        rt_error (err, errno, "open %s", path);
    }
  close (ready[0]);
  close (hold[1]); /* the child exits */
  if (child > 0)
    waitpid (child, NULL, 0);
  return fd;
}
