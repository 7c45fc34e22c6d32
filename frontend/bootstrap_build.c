/* The bootstrap message for a new container: which namespaces to create (CLONE_FLAGS),
   which to join (NS_PATHS, user first, as runc orders them), and the id maps. */
#define _GNU_SOURCE
#include "launch.h"
#include "linux_attrs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* runc's join order: the user namespace first so the others are joined with its
   privileges; mount late so paths still resolve on the host. */
static const int join_order[] = { CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWUTS,    CLONE_NEWNET,
                                  CLONE_NEWPID,  CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWTIME };

static char *
format_mappings (const struct rt_id_mapping *m, size_t n)
{
  size_t cap = n * 40 + 1, off = 0;
  char *s;

  if (n == 0)
    return NULL;
  s = xmalloc (cap);
  for (size_t i = 0; i < n; i++)
    off += snprintf (s + off, cap - off, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  return s;
}

char *
rt_ns_join_paths (const struct rt_linux *l, const int *fds)
{
  size_t cap = 64, off = 0;
  char *s = xmalloc (cap);

  s[0] = '\0';
  for (size_t o = 0; o < ARRAY_SIZE (join_order); o++)
    for (size_t i = 0; i < l->n_namespaces; i++)
      {
        const struct rt_namespace *ns = &l->namespaces[i];
        const char *name = rt_namespace_proc_name (ns->type);
        char proc[64];
        const char *path = ns->path;
        size_t need;

        if (ns->type != join_order[o] || (fds == NULL && path == NULL))
          continue;
        if (fds != NULL)
          {
            snprintf (proc, sizeof proc, "/proc/self/fd/%d", fds[i]);
            path = proc;
          }
        need = off + strlen (path) + 16;
        if (need > cap)
          s = xrealloc (s, cap = need * 2);
        off += snprintf (s + off, cap - off, "%s%s:%s", off ? "," : "", name, path);
      }
  if (off == 0)
    {
      free (s);
      return NULL;
    }
  return s;
}

/* gidMappings is exactly {0, our egid, 1} (runc's requiresRootOrMappingTool, negated). */
static bool
only_own_gid (const struct rt_linux *l)
{
  return l->n_gid_mappings == 1 && l->gid_mappings[0].container_id == 0
         && l->gid_mappings[0].host_id == getegid () && l->gid_mappings[0].size == 1;
}

/* The setuid map helper (newuidmap, newgidmap) in $PATH, or NULL (runc's LookPath). */
static char *
find_tool (const char *name)
{
  const char *path = getenv ("PATH");
  cleanup_free char *copy = xstrdup (path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  char *save = NULL;

  for (char *dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      char *p = xasprintf ("%s/%s", *dir ? dir : ".", name);
      if (p[0] == '/' && access (p, X_OK) == 0)
        return p;
      free (p);
    }
  return NULL;
}

int
rt_bootstrap_build (const struct rt_spec *spec, void **blob, size_t *len, rt_error_t *err)
{
  const struct rt_linux *l = &spec->linux_;
  struct rt_bootstrap b = { .has_clone_flags = true };
  cleanup_free char *uidmap = NULL, *gidmap = NULL, *ns_paths = NULL, *oom = NULL;
  cleanup_free char *uidtool = NULL, *gidtool = NULL, *offsets = rt_time_offsets_text (l);
  bool userns = false;

  for (size_t i = 0; i < l->n_namespaces; i++)
    if (l->namespaces[i].path == NULL)
      {
        b.clone_flags |= (uint32_t) l->namespaces[i].type;
        userns |= l->namespaces[i].type == CLONE_NEWUSER;
      }
  ns_paths = rt_ns_join_paths (l, NULL);
  b.ns_paths = ns_paths;
  if (userns)
    {
      uidmap = format_mappings (l->uid_mappings, l->n_uid_mappings);
      gidmap = format_mappings (l->gid_mappings, l->n_gid_mappings);
      b.uidmap = uidmap;
      b.uidmap_len = uidmap ? strlen (uidmap) : 0;
      b.gidmap = gidmap;
      b.gidmap_len = gidmap ? strlen (gidmap) : 0;
      /* runc: setgroups stays allowed for root, and rootless when newgidmap writes the
         maps (it decides then); rootless mapping only its own gid must deny it */
      b.has_setgroup = true;
      b.setgroup = geteuid () == 0 || !only_own_gid (l);
      if (geteuid () != 0)
        {
          b.has_rootless_euid = true;
          b.rootless_euid = true;
          b.uidmappath = uidtool = find_tool ("newuidmap");
          b.gidmappath = gidtool = find_tool ("newgidmap");
        }
    }
  if (spec->has_process && spec->process.has_oom_score_adj)
    {
      oom = xasprintf ("%d", spec->process.oom_score_adj);
      b.oom_score_adj = oom;
      b.oom_score_adj_len = strlen (oom);
    }
  b.time_offsets = offsets;
  b.time_offsets_len = offsets ? strlen (offsets) : 0;
  b.has_version = true;
  b.version = RT_PROTOCOL_VERSION;
  if (rt_bootstrap_encode (&b, blob, len, err) < 0)
    return rt_error_wrap (err, "encode bootstrap message");
  return rt_bootstrap_dump_env (*blob, *len, err);
}

int
rt_bootstrap_dump_env (const void *blob, size_t len, rt_error_t *err)
{
  const char *path = getenv ("RT_BOOTSTRAP_DUMP");
  if (path == NULL || *path == '\0')
    return 0;
  if (write_file (path, blob, len, 0600, err) < 0)
    return rt_error_wrap (err, "RT_BOOTSTRAP_DUMP");
  return 0;
}
