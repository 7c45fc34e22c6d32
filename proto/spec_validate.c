/* rt_spec_validate: the checks a Linux runtime needs beyond the schema.  See spec_internal.h. */
#include "spec_internal.h"

/* ------------------------------------------------------------------ validate */

static bool
is_abs (const char *p)
{
  return p != NULL && p[0] == '/';
}

static int
not_abs (struct pctx *c, const char *path, const char *value)
{
  cleanup_free char *q = spec_quote (value);
  return spec_fail (c, path, "%s is not an absolute path", q);
}

static int
validate_process (struct pctx *c, const struct rt_process *p)
{
  if (p->n_args == 0)
    return spec_fail (c, "process.args", "at least one argument is required");
  if (p->cwd != NULL && !is_abs (p->cwd))
    return not_abs (c, "process.cwd", p->cwd);
  if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
    return spec_fail (c, "process.oomScoreAdj", "%d is outside [-1000, 1000]", p->oom_score_adj);
  if (p->has_io_priority && (p->io_priority < 0 || p->io_priority > 7))
    return spec_fail (c, "process.ioPriority.priority", "%d is outside [0, 7]", p->io_priority);
  for (size_t i = 0; i < p->n_rlimits; i++)
    if (p->rlimits[i].soft > p->rlimits[i].hard)
      {
        cleanup_free char *path = xasprintf ("process.rlimits[%zu]", i);
        return spec_fail (c, path, "soft limit %" PRIu64 " is above hard limit %" PRIu64,
                          p->rlimits[i].soft, p->rlimits[i].hard);
      }
  return 0;
}

/* What the kernel takes in a uid_map or gid_map (the container's, or an idmapped mount's):
   at most 340 lines (user_namespaces(7)), and less than a page of text (a write of 4096
   bytes or more is EINVAL, even for root). */
static int
check_id_map (struct pctx *c, const char *path, const struct rt_id_mapping *m, size_t n)
{
  size_t len = 0;

  if (n > 340)
    return spec_fail (c, path, "%zu ranges, the kernel takes at most 340", n);
  for (size_t i = 0; i < n; i++)
    len += (size_t) snprintf (NULL, 0, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  if (len >= 4096)
    return spec_fail (c, path, "%zu bytes as map text, the kernel takes at most 4095", len);
  return 0;
}

static int
validate_mounts (struct pctx *c, const struct rt_spec *s)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const struct rt_mount *m = &s->mounts[i];
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);
      cleanup_free char *dest = xasprintf ("mounts[%zu].destination", i);

      if (!is_abs (m->destination))
        return not_abs (c, dest, m->destination);
      if ((m->n_uid_mappings == 0) != (m->n_gid_mappings == 0))
        return spec_fail (c, path, "uidMappings and gidMappings must be given together");
      cleanup_free char *uids = xasprintf ("mounts[%zu].uidMappings", i);
      cleanup_free char *gids = xasprintf ("mounts[%zu].gidMappings", i);
      if (check_id_map (c, uids, m->uid_mappings, m->n_uid_mappings) < 0
          || check_id_map (c, gids, m->gid_mappings, m->n_gid_mappings) < 0)
        return -1;
    }
  return 0;
}

static int
validate_hooks (struct pctx *c, const struct rt_hooks *h)
{
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    for (size_t i = 0; i < h->n_hooks[k]; i++)
      if (!is_abs (h->hooks[k][i].path))
        {
          cleanup_free char *path = xasprintf ("hooks.%s[%zu].path", spec_hooks_fields[k].name, i);
          return not_abs (c, path, h->hooks[k][i].path);
        }
  return 0;
}

/* Which namespaces the container gets, and which of them are new. */
struct ns_use
{
  int all, fresh;
  size_t user_index;
};

static int
validate_namespaces (struct pctx *c, const struct rt_linux *l, struct ns_use *ns)
{
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      const struct rt_namespace *n = &l->namespaces[i];
      cleanup_free char *path = xasprintf ("linux.namespaces[%zu]", i);

      if (ns->all & n->type)
        return spec_fail (c, path, "duplicate namespace type \"%s\"", rt_namespace_name (n->type));
      ns->all |= n->type;
      if (n->path == NULL)
        ns->fresh |= n->type;
      else if (!is_abs (n->path))
        {
          cleanup_free char *ppath = xasprintf ("linux.namespaces[%zu].path", i);
          return not_abs (c, ppath, n->path);
        }
      if (n->type == CLONE_NEWUSER)
        ns->user_index = i;
    }
  return 0;
}

static int
validate_user_uts (struct pctx *c, const struct rt_spec *s, const struct ns_use *ns)
{
  const struct rt_linux *l = &s->linux_;

  if (l->n_uid_mappings > 0 && !(ns->all & CLONE_NEWUSER))
    return spec_fail (c, "linux.uidMappings", "requires a user namespace");
  if (l->n_gid_mappings > 0 && !(ns->all & CLONE_NEWUSER))
    return spec_fail (c, "linux.gidMappings", "requires a user namespace");
  if (check_id_map (c, "linux.uidMappings", l->uid_mappings, l->n_uid_mappings) < 0
      || check_id_map (c, "linux.gidMappings", l->gid_mappings, l->n_gid_mappings) < 0)
    return -1;
  if ((ns->fresh & CLONE_NEWUSER) && (l->n_uid_mappings == 0 || l->n_gid_mappings == 0))
    {
      cleanup_free char *path = xasprintf ("linux.namespaces[%zu]", ns->user_index);
      return spec_fail (c, path,
                        "a new user namespace needs linux.uidMappings and linux.gidMappings");
    }
  /* runc: a private UTS namespace, new or joined by path (whose names then change) */
  if (s->hostname != NULL && *s->hostname != '\0' && !(ns->all & CLONE_NEWUTS))
    return spec_fail (c, "", "unable to set hostname without a private UTS namespace");
  if (s->domainname != NULL && *s->domainname != '\0' && !(ns->all & CLONE_NEWUTS))
    return spec_fail (c, "", "unable to set domainname without a private UTS namespace");
  return 0;
}

/* No mount namespace: the container inherits the caller's (config.md) and is chrooted
   into root.path, as in runc.  runc would make mounts, devices and remounts there too,
   in the caller's namespace, and leave them: rt refuses what it would have to make. */
static int
validate_no_mntns (struct pctx *c, const struct rt_spec *s, const struct ns_use *ns)
{
  const struct rt_linux *l = &s->linux_;

  if (ns->all & CLONE_NEWNS)
    return 0;
  if (l->n_masked_paths > 0 || l->n_readonly_paths > 0) /* runc's words */
    return spec_fail (c, "", "unable to restrict sys entries without a private MNT namespace");
  if (s->n_mounts > 0)
    return spec_fail (c, "mounts",
                      "need a private mount namespace (they would stay in the caller's)");
  if (l->n_devices > 0)
    return spec_fail (c, "linux.devices", "need a private mount namespace");
  if (s->root_readonly)
    return spec_fail (c, "root.readonly", "needs a private mount namespace");
  if (l->rootfs_propagation != NULL)
    return spec_fail (c, "linux.rootfsPropagation", "needs a private mount namespace");
  if (s->process.terminal)
    return spec_fail (c, "process.terminal", "needs a private mount namespace (/dev/console)");
  return 0;
}

static bool
sysctl_name_ok (const char *k)
{
  size_t n = strlen (k);
  return n > 0 && k[0] != '.' && k[n - 1] != '.' && strchr (k, '/') == NULL
         && strstr (k, "..") == NULL;
}

static int
validate_paths (struct pctx *c, const char *what, char *const *paths, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!is_abs (paths[i]))
      {
        cleanup_free char *path = xasprintf ("linux.%s[%zu]", what, i);
        return not_abs (c, path, paths[i]);
      }
  return 0;
}

/* S_IFCHR, S_IFBLK or S_IFIFO for a device type ("u" is "c"). */
static unsigned
device_type_bits (char type)
{
  return type == 'b' ? 0060000 : type == 'p' ? 0010000 : 0020000;
}

static int
validate_devices (struct pctx *c, const struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_devices; i++)
    {
      const struct rt_device *d = &l->devices[i];
      cleanup_free char *path = xasprintf ("linux.devices[%zu]", i);

      if (!is_abs (d->path))
        {
          cleanup_free char *ppath = xasprintf ("linux.devices[%zu].path", i);
          return not_abs (c, ppath, d->path);
        }
      if (d->type != 'p' && (!d->has_major || !d->has_minor))
        return spec_fail (c, path, "type \"%c\" requires major and minor", d->type);
      if (d->has_file_mode && (d->file_mode & 0170000) != 0
          && (d->file_mode & 0170000) != device_type_bits (d->type))
        return spec_fail (c, path,
                          "fileMode %#o has the type bits of another file than type \"%c\"",
                          d->file_mode, d->type);
      if (d->has_file_mode && (d->file_mode & 07000) != 0)
        return spec_fail (c, path, "fileMode %#o: setuid, setgid and sticky bits are not applied",
                          d->file_mode);
    }
  return 0;
}

static int
validate_device_cgroup (struct pctx *c, const struct rt_resources *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    {
      const struct rt_device_cgroup *d = &r->devices[i];
      cleanup_free char *path = xasprintf ("linux.resources.devices[%zu]", i);

      if (d->type != NULL && strcmp (d->type, "a") != 0 && strcmp (d->type, "b") != 0
          && strcmp (d->type, "c") != 0)
        {
          cleanup_free char *q = spec_quote (d->type);
          return spec_fail (c, path, "type %s is not one of a, b, c", q);
        }
      if (d->access != NULL && (*d->access == '\0' || d->access[strspn (d->access, "rwm")]))
        {
          cleanup_free char *q = spec_quote (d->access);
          return spec_fail (c, path, "access %s is not a combination of r, w, m", q);
        }
    }
  return 0;
}

static int
validate_seccomp (struct pctx *c, const struct rt_seccomp *s)
{
  if (s == NULL)
    return 0;
  if (s->listener_metadata != NULL && s->listener_path == NULL)
    return spec_fail (c, "linux.seccomp.listenerMetadata", "requires listenerPath");
  /* config-linux.md: an errnoRet with an action that takes none MUST fail. */
  if (s->has_default_errno_ret && strcmp (s->default_action, "SCMP_ACT_ERRNO") != 0
      && strcmp (s->default_action, "SCMP_ACT_TRACE") != 0)
    return spec_fail (c, "linux.seccomp.defaultErrnoRet", "%s takes no errno", s->default_action);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct rt_seccomp_syscall *sc = &s->syscalls[i];
      if (sc->has_errno_ret && strcmp (sc->action, "SCMP_ACT_ERRNO") != 0
          && strcmp (sc->action, "SCMP_ACT_TRACE") != 0)
        {
          cleanup_free char *path = xasprintf ("linux.seccomp.syscalls[%zu].errnoRet", i);
          return spec_fail (c, path, "%s takes no errno", sc->action);
        }
    }
  return 0;
}

static int
validate_linux (struct pctx *c, const struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_sysctl; i++)
    if (!sysctl_name_ok (l->sysctl[i].key))
      {
        cleanup_free char *q = spec_quote (l->sysctl[i].key);
        return spec_fail (c, "linux.sysctl", "invalid sysctl name %s", q);
      }
  if (validate_devices (c, l) < 0
      || validate_paths (c, "maskedPaths", l->masked_paths, l->n_masked_paths) < 0
      || validate_paths (c, "readonlyPaths", l->readonly_paths, l->n_readonly_paths) < 0
      || validate_device_cgroup (c, &l->resources) < 0 || validate_seccomp (c, l->seccomp) < 0)
    return -1;
  if (l->rootfs_propagation != NULL && !spec_enum_has (spec_propagations, l->rootfs_propagation))
    {
      cleanup_free char *q = spec_quote (l->rootfs_propagation);
      return spec_fail (c, "linux.rootfsPropagation", "unknown rootfs propagation %s", q);
    }
  return 0;
}

int
rt_spec_validate (const struct rt_spec *spec, rt_error_t *err)
{
  struct pctx c = { "config.json", err };
  struct ns_use ns = { 0 };

  if (!spec->has_process)
    return spec_fail (&c, "", "process is required to create a container");
  if (spec->has_vm)
    return spec_fail (&c, "vm", "rt runs containers in namespaces, not in virtual machines");
  if (spec->root_path == NULL)
    return spec_fail (&c, "", "root is required to create a container");
  if (*spec->root_path == '\0')
    return spec_fail (&c, "root.path", "must not be empty");
  if (validate_process (&c, &spec->process) < 0 || validate_mounts (&c, spec) < 0
      || validate_hooks (&c, &spec->hooks) < 0 || validate_namespaces (&c, &spec->linux_, &ns) < 0
      || validate_user_uts (&c, spec, &ns) < 0 || validate_linux (&c, &spec->linux_) < 0
      || validate_no_mntns (&c, spec, &ns) < 0)
    return -1;
  return 0;
}
