/* Checks of the Linux fields against the host and the kernel's rules, before a state dir,
   cgroup, namespace or process exists: what nsinit would otherwise find out half-way. */
#define _GNU_SOURCE
#include "linux_fields.h"
#include "linux_attrs.h"
#include "mount_option_names.h"
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int
rt_process_check (const struct rt_process *p, rt_error_t *err)
{
  struct rt_sched_attr attr;
  cpu_set_t cpus;
  int ioprio;

  if (rt_lsm_check (p, NULL, err) < 0)
    return -1;
  if (p->has_scheduler && rt_sched_attr (p, &attr, err) < 0)
    return -1;
  if (p->has_io_priority && rt_ioprio_value (p, &ioprio, err) < 0)
    return -1;
  if (p->exec_cpu_affinity_initial
      && rt_parse_id_list (p->exec_cpu_affinity_initial, cpus.__bits, CPU_SETSIZE,
                           "process.execCPUAffinity.initial", err)
             < 0)
    return -1;
  if (p->exec_cpu_affinity_final
      && rt_parse_id_list (p->exec_cpu_affinity_final, cpus.__bits, CPU_SETSIZE,
                           "process.execCPUAffinity.final", err)
             < 0)
    return -1;
  return 0;
}

bool
rt_mount_option_known (const char *opt)
{
  for (size_t j = 0; rt_mount_option_names[j]; j++)
    if (strcmp (rt_mount_option_names[j], opt) == 0)
      return true;
  return false;
}

/* An option nsinit does not know goes to the file system as mount data; a bind mount has no
   file system to take it, so it would be ignored (runc ignores it): refused instead. */
static int
unknown_option (const struct rt_mount *m, rt_error_t *err)
{
  for (size_t i = 0; i < m->n_options; i++)
    if (!rt_mount_option_known (m->options[i]))
      return rt_error (err, 0, "unknown option \"%s\" for a bind mount", m->options[i]);
  return 0;
}

/* The mount data of the pseudo file systems a config usually holds, handed to the kernel's own
   parser (fsopen + fsconfig, which makes nothing) so that an option the file system does not
   take fails here and not half-way through the container's mounts.  Others (overlay, nfs, ...)
   parse paths or reach servers: left to the mount.  Without fsopen (EPERM rootless, ENOSYS),
   nothing is checked. */
static int
check_fs_data (const struct rt_mount *m, rt_error_t *err)
{
  static const char *const simple[] = { "tmpfs", "devpts", "mqueue", "proc", "sysfs", NULL };
  cleanup_close int fd = -1;
  size_t t = 0;

  while (m->type && simple[t] && strcmp (simple[t], m->type) != 0)
    t++;
  if (m->type == NULL || simple[t] == NULL)
    return 0;
  for (size_t i = 0; i < m->n_options; i++)
    {
      cleanup_free char *key = NULL;
      char *value;
      int r;

      if (rt_mount_option_known (m->options[i]))
        continue;
      if (fd < 0 && (fd = fsopen (m->type, FSOPEN_CLOEXEC)) < 0)
        return 0;
      key = xstrdup (m->options[i]);
      if ((value = strchr (key, '=')) != NULL)
        *value++ = '\0';
      r = value ? fsconfig (fd, FSCONFIG_SET_STRING, key, value, 0)
                : fsconfig (fd, FSCONFIG_SET_FLAG, key, NULL, 0);
      if (r < 0)
        return rt_error (err, errno, "option \"%s\" of %s", m->options[i], m->type);
    }
  return 0;
}

/* tmpcopyup copies into a tmpfs.  config.md idmap/ridmap: the mount's own mappings, else
   the container's user namespace's; neither is an error. */
static int
check_mounts (const struct rt_spec *spec, rt_error_t *err)
{
  bool userns = rt_linux_namespace (&spec->linux_, CLONE_NEWUSER) != NULL;

  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct rt_mount *m = &spec->mounts[i];
      bool idmap = rt_mount_has_option (m, "idmap") || rt_mount_has_option (m, "ridmap");
      bool bind = rt_mount_has_option (m, "bind") || rt_mount_has_option (m, "rbind")
                  || (m->type && strcmp (m->type, "bind") == 0);

      if ((bind ? unknown_option (m, err) : check_fs_data (m, err)) < 0)
        return rt_error_wrap (err, "mounts[%zu] (%s)", i, m->destination);
      if (rt_mount_has_option (m, "tmpcopyup")
          && (m->type == NULL || strcmp (m->type, "tmpfs") != 0))
        return rt_error (err, 0, "mounts[%zu] (%s): tmpcopyup needs a tmpfs mount", i,
                         m->destination);
      if (!idmap && m->n_uid_mappings == 0)
        continue;
      if (!bind)
        return rt_error (err, 0, "mounts[%zu] (%s): idmapped mounts must be bind mounts", i,
                         m->destination);
      if (m->n_uid_mappings == 0 && !userns)
        return rt_error (err, 0,
                         "mounts[%zu] (%s): idmap without uidMappings/gidMappings needs a user "
                         "namespace",
                         i, m->destination);
    }
  return 0;
}

static int
check_time_offsets (const struct rt_linux *l, rt_error_t *err)
{
  const struct rt_namespace *ns = rt_linux_namespace (l, CLONE_NEWTIME);

  if (!l->has_time_offsets)
    return 0;
  if (ns == NULL || ns->path != NULL)
    return rt_error (err, 0, "linux.timeOffsets: requires a new time namespace");
  if (l->boottime.nanosecs >= 1000000000 || l->monotonic.nanosecs >= 1000000000)
    return rt_error (err, 0, "linux.timeOffsets: nanosecs must be below 1000000000");
  return 0;
}

int
rt_linux_check (const struct rt_spec *spec, rt_error_t *err)
{
  const struct rt_linux *l = &spec->linux_;
  struct rt_mempolicy mp;
  unsigned long persona;

  if (spec->has_process && rt_process_check (&spec->process, err) < 0)
    return -1;
  if (rt_lsm_check (NULL, l->mount_label, err) < 0)
    return -1;
  if (l->personality_domain && rt_personality_value (l, &persona, err) < 0)
    return -1;
  if (l->has_memory_policy && rt_mempolicy (l, &mp, err) < 0)
    return -1;
  if (l->has_resources && rt_cgroup_check_resources (&l->resources, rt_cgroup_is_v2 (), err) < 0)
    return -1;
  for (size_t i = 0; i < l->n_sysctl; i++)
    if (rt_sysctl_check (l, l->sysctl[i].key, err) < 0)
      return -1;
  if (check_time_offsets (l, err) < 0 || check_mounts (spec, err) < 0
      || rt_netdev_check (spec, err) < 0 || rt_intel_rdt_check (spec, err) < 0)
    return -1;
  return 0;
}

void
rt_linux_init_opts (const struct rt_spec *spec, struct rt_init_config *ic)
{
  const struct rt_linux *l = &spec->linux_;
  struct rt_mempolicy mp;
  unsigned long persona;
  cleanup_error rt_error_t ignored = NULL; /* refused already, by rt_linux_check */

  ic->personality = ic->mempolicy_mode = -1;
  if (l->personality_domain && rt_personality_value (l, &persona, &ignored) == 0)
    ic->personality = (int) persona;
  if (l->has_memory_policy && rt_mempolicy (l, &mp, &ignored) == 0)
    {
      ic->mempolicy_mode = mp.mode;
      ic->mempolicy_nodes = mp.has_nodes ? l->memory_policy_nodes : NULL;
    }
}

bool
rt_idmap_by_rt (const struct rt_spec *spec, const struct rt_mount *m)
{
  return rt_linux_namespace (&spec->linux_, CLONE_NEWUSER) != NULL && m->source != NULL
         && (rt_mount_has_option (m, "idmap") || rt_mount_has_option (m, "ridmap")
             || m->n_uid_mappings > 0);
}

/* An idmapped mount of a container with a user namespace is made by rt: in the
   container's namespace nsinit lacks CAP_SYS_ADMIN over the source's file system, which
   MOUNT_ATTR_IDMAP needs.  It gets the detached mount (open_tree) and attaches it with
   move_mount, as runc 1.2 passes its mount sources. */
int
rt_idmap_tree (const struct rt_spec *spec, const struct rt_mount *m, const char *source,
               rt_error_t *err)
{
  const struct rt_linux *l = &spec->linux_;
  bool own = m->n_uid_mappings > 0;
  bool rec = rt_mount_has_option (m, "rbind");
  cleanup_close int tree = -1, userns = -1;
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };

  tree = open_tree (AT_FDCWD, source,
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
  if (tree < 0)
    return rt_error (err, errno, "mount \"%s\": open_tree \"%s\"", m->destination, source);
  userns = rt_idmap_userns (
      own ? m->uid_mappings : l->uid_mappings, own ? m->n_uid_mappings : l->n_uid_mappings,
      own ? m->gid_mappings : l->gid_mappings, own ? m->n_gid_mappings : l->n_gid_mappings, err);
  if (userns < 0)
    return rt_error_wrap (err, "mount \"%s\"", m->destination);
  attr.userns_fd = (uint64_t) userns;
  if (mount_setattr (tree, "",
                     AT_EMPTY_PATH | (rt_mount_has_option (m, "ridmap") ? AT_RECURSIVE : 0), &attr,
                     sizeof attr)
      < 0)
    return rt_error (err, errno, "mount \"%s\": idmap \"%s\" (the file system may not support it)",
                     m->destination, source);
  return take_fd (&tree);
}

/* Rootless rt only: root makes them in the container's mount namespace (mount_sources.c).
   Rootless rt cannot enter it, and runs in a mount namespace of its own user namespace,
   where the kernel already locked the flags of the host's mounts: a clone made here keeps
   them, so the container's root cannot make a read-only mount writable. */
int
rt_idmap_mounts (const struct rt_spec *spec, const char *bundle, struct rt_fd_list *out,
                 rt_error_t *err)
{
  if (geteuid () == 0)
    return 0;
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct rt_mount *m = &spec->mounts[i];
      cleanup_free char *source = NULL;
      char *list;
      int fd;

      if (!rt_idmap_by_rt (spec, m))
        continue;
      source = m->source[0] == '/' ? xstrdup (m->source) : xasprintf ("%s/%s", bundle, m->source);
      if ((fd = rt_idmap_tree (spec, m, source, err)) < 0)
        return -1;
      out->fds = xrealloc (out->fds, (out->n + 1) * sizeof (int));
      out->fds[out->n++] = fd;
      list = xasprintf ("%s%s%zu:%d", out->list ? out->list : "", out->list ? "," : "", i, fd);
      free (out->list);
      out->list = list;
    }
  return 0;
}

void
rt_fd_list_clear (struct rt_fd_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    close (l->fds[i]);
  free (l->fds);
  free (l->list);
  *l = (struct rt_fd_list){ 0 };
}
