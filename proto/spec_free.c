/* Releasing what the fill functions allocated.  See spec_internal.h. */
#include "spec_internal.h"

/* ------------------------------------------------------------------ free */

static void
free_keyvals (struct rt_keyval *kv, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

static void
process_clear (struct rt_process *p)
{
  free (p->user.additional_gids);
  free (p->user.username);
  strv_free (p->args);
  free (p->command_line);
  strv_free (p->env);
  free (p->cwd);
  strv_free (p->caps.bounding);
  strv_free (p->caps.effective);
  strv_free (p->caps.inheritable);
  strv_free (p->caps.permitted);
  strv_free (p->caps.ambient);
  for (size_t i = 0; i < p->n_rlimits; i++)
    free (p->rlimits[i].type);
  free (p->rlimits);
  free (p->apparmor_profile);
  free (p->selinux_label);
  free (p->io_priority_class);
  free (p->scheduler_policy);
  strv_free (p->scheduler_flags);
  free (p->exec_cpu_affinity_initial);
  free (p->exec_cpu_affinity_final);
}

void
rt_process_free (struct rt_process *p)
{
  if (p == NULL)
    return;
  process_clear (p);
  free (p);
}

static void
seccomp_free (struct rt_seccomp *s)
{
  if (s == NULL)
    return;
  free (s->default_action);
  strv_free (s->architectures);
  strv_free (s->flags);
  free (s->listener_path);
  free (s->listener_metadata);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      strv_free (s->syscalls[i].names);
      free (s->syscalls[i].action);
      for (size_t j = 0; j < s->syscalls[i].n_args; j++)
        free (s->syscalls[i].args[j].op);
      free (s->syscalls[i].args);
    }
  free (s->syscalls);
  free (s);
}

static void
resources_clear (struct rt_resources *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    {
      free (r->devices[i].type);
      free (r->devices[i].access);
    }
  free (r->devices);
  free (r->cpu.cpus);
  free (r->cpu.mems);
  free (r->blkio.weight_device);
  free (r->blkio.throttle_read_bps);
  free (r->blkio.throttle_write_bps);
  free (r->blkio.throttle_read_iops);
  free (r->blkio.throttle_write_iops);
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    free (r->hugepage_limits[i].page_size);
  free (r->hugepage_limits);
  for (size_t i = 0; i < r->network.n_priorities; i++)
    free (r->network.priorities[i].name);
  free (r->network.priorities);
  for (size_t i = 0; i < r->n_rdma; i++)
    free (r->rdma[i].device);
  free (r->rdma);
  free_keyvals (r->unified, r->n_unified);
}

static void
linux_clear (struct rt_linux *l)
{
  for (size_t i = 0; i < l->n_namespaces; i++)
    free (l->namespaces[i].path);
  free (l->namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  for (size_t i = 0; i < l->n_devices; i++)
    free (l->devices[i].path);
  free (l->devices);
  free (l->cgroups_path);
  resources_clear (&l->resources);
  free (l->rootfs_propagation);
  strv_free (l->masked_paths);
  strv_free (l->readonly_paths);
  free (l->mount_label);
  free_keyvals (l->sysctl, l->n_sysctl);
  seccomp_free (l->seccomp);
  free (l->personality_domain);
  strv_free (l->personality_flags);
  free (l->memory_policy_mode);
  free (l->memory_policy_nodes);
  strv_free (l->memory_policy_flags);
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      free (l->net_devices[i].host_name);
      free (l->net_devices[i].name);
    }
  free (l->net_devices);
  if (l->intel_rdt)
    {
      free (l->intel_rdt->clos_id);
      free (l->intel_rdt->l3_cache_schema);
      free (l->intel_rdt->mem_bw_schema);
      strv_free (l->intel_rdt->schemata);
      free (l->intel_rdt);
    }
}

void
rt_spec_free (struct rt_spec *s)
{
  if (s == NULL)
    return;
  free (s->oci_version);
  free (s->root_path);
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      free (s->mounts[i].destination);
      free (s->mounts[i].source);
      free (s->mounts[i].type);
      strv_free (s->mounts[i].options);
      free (s->mounts[i].uid_mappings);
      free (s->mounts[i].gid_mappings);
    }
  free (s->mounts);
  process_clear (&s->process);
  free (s->hostname);
  free (s->domainname);
  for (int k = 0; k < RT_HOOK_KINDS; k++)
    {
      for (size_t i = 0; i < s->hooks.n_hooks[k]; i++)
        {
          free (s->hooks.hooks[k][i].path);
          strv_free (s->hooks.hooks[k][i].args);
          strv_free (s->hooks.hooks[k][i].env);
        }
      free (s->hooks.hooks[k]);
    }
  free_keyvals (s->annotations, s->n_annotations);
  linux_clear (&s->linux_);
  free (s);
}
