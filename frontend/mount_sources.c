/* Bind sources, opened by rt for the init (runc 1.1's MOUNT_SOURCES, with open_tree):
   once the stub has made the container's mount namespace, and before the init mounts
   anything in it, rt enters it with host root's rights and clones each source's mount
   there (open_tree OPEN_TREE_CLONE, the whole tree for rbind).  The init moves those
   detached copies into place:

   - the path is resolved once, on the host's tree, not again by the init;
   - a source under a directory only host root can enter still mounts in a container
     with a user namespace;
   - the copies come from the container's own namespace, where the kernel locked the
     host mounts' flags (a read-only host mount stays read-only to the container's root),
     which a copy made in the host's namespace would not be.

   Idmapped mounts of a container with a user namespace are cloned here too, and rt sets
   the idmapping on its copy (MOUNT_ATTR_IDMAP needs CAP_SYS_ADMIN over the source's file
   system, which the init lacks); a copy made in the host's namespace would lose the
   locked flags the same way.

   A source that cannot be opened then (missing, made by an earlier mount of the
   container) is left to the init, which resolves it and reports the error. */
#define _GNU_SOURCE
#include "rt.h"
#include "mount_sources.h"
#include "linux_fields.h"
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* A mount whose source rt clones: a bind mount, not idmapped unless rt makes the idmapped
   copy (a container with a user namespace, where nsinit could not); nsinit makes the
   other idmapped mounts on its own copy. */
static bool
wanted (const struct rt_spec *spec, const struct rt_mount *m)
{
  if (m->source == NULL)
    return false;
  if (rt_idmap_by_rt (spec, m))
    return true;
  if (m->n_uid_mappings || m->n_gid_mappings || rt_mount_has_option (m, "idmap")
      || rt_mount_has_option (m, "ridmap"))
    return false;
  return rt_mount_has_option (m, "rbind") || rt_mount_has_option (m, "bind")
         || (m->type && strcmp (m->type, "bind") == 0);
}

bool
rt_mount_sources_wanted (const struct rt_spec *spec)
{
  /* rootless: no entering the container's mount namespace from here */
  if (geteuid () != 0)
    return false;
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (wanted (spec, &spec->mounts[i]))
      return true;
  return false;
}

struct sources
{
  int32_t *index; /* the spec mount of each fd */
  int *fds;
  size_t n;
};

static void
sources_free (struct sources *s)
{
  for (size_t i = 0; i < s->n; i++)
    close (s->fds[i]);
  free (s->index);
  free (s->fds);
}
#define cleanup_sources __attribute__ ((cleanup (sources_free)))

/* In the container's mount namespace: clone every source that can be.  An idmapped copy
   must be made here (the init could not): failing that fails the create. */
static int
clone_sources (const struct rt_spec *spec, char **paths, struct sources *s, rt_error_t *err)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct rt_mount *m = &spec->mounts[i];
      int fd;

      if (paths[i] == NULL)
        continue;
      if (rt_idmap_by_rt (spec, m))
        {
          if ((fd = rt_idmap_tree (spec, m, paths[i], err)) < 0)
            return -1;
        }
      else if ((fd = open_tree (AT_FDCWD, paths[i],
                                OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                    | (rt_mount_has_option (m, "rbind") ? AT_RECURSIVE : 0)))
               < 0)
        {
          rt_log (RT_LOG_DEBUG, "open_tree \"%s\": %s (the init resolves it)", paths[i],
                  strerror (errno));
          continue;
        }
      s->index[s->n] = (int32_t) i;
      s->fds[s->n++] = fd;
    }
  return 0;
}

/* setns into INIT's mount namespace and back; rt's working directory survives it. */
static int
in_mount_ns (pid_t init, const struct rt_spec *spec, char **paths, struct sources *s,
             rt_error_t *err)
{
  char path[64];
  cleanup_close int target = -1, host = open ("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  cleanup_close int cwd = open (".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  int r;

  snprintf (path, sizeof path, "/proc/%d/ns/mnt", init);
  target = open (path, O_RDONLY | O_CLOEXEC);
  if (host < 0 || cwd < 0 || target < 0)
    return rt_error (err, errno, "open the mount namespaces for the bind sources");
  if (setns (target, CLONE_NEWNS) < 0)
    return rt_error (err, errno, "enter the container's mount namespace");
  r = clone_sources (spec, paths, s, err);
  /* back, or rt cannot go on at all */
  if (setns (host, CLONE_NEWNS) < 0 || fchdir (cwd) < 0)
    {
      dprintf (2, "rt: return to rt's mount namespace: %s\n", strerror (errno));
      _exit (1);
    }
  return r;
}

int
rt_mount_sources_send (const struct rt_spec *spec, const char *bundle, pid_t init, int sock,
                       rt_error_t *err)
{
  cleanup_sources struct sources s = { 0 };
  cleanup_strv char **paths = xcalloc (spec->n_mounts + 1, sizeof (char *));
  int r = 0;

  s.index = xcalloc (spec->n_mounts + 1, sizeof *s.index);
  s.fds = xcalloc (spec->n_mounts + 1, sizeof *s.fds);
  /* absolute before the setns: config.md lets a source be relative to the bundle */
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct rt_mount *m = &spec->mounts[i];
      if (wanted (spec, m))
        paths[i]
            = m->source[0] == '/' ? xstrdup (m->source) : xasprintf ("%s/%s", bundle, m->source);
    }
  if (in_mount_ns (init, spec, paths, &s, err) < 0)
    return -1;
  /* (paths has holes: strv_free stops at the first NULL) */
  for (size_t i = 0; i < spec->n_mounts; i++)
    free (take_ptr (&paths[i]));
  if (rt_msg_send (sock, RT_MSG_MOUNT_SOURCES, 0, s.index, (uint32_t) (s.n * sizeof *s.index)) < 0
      || (s.n > 0 && rt_send_fds (sock, s.fds, s.n) < 0))
    r = rt_error (err, errno, "send the bind sources to the init");
  return r;
}
