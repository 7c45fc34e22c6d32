/* The Linux fields of the spec that are checked against the host before anything is made,
   and those the front end applies itself (linux_fields.c, netdev.c). */
#ifndef RT_LINUX_FIELDS_H
#define RT_LINUX_FIELDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "initconfig.h"
#include "spec.h"

/* Everything of SPEC's linux object, mounts and process that this host cannot apply, or
   that is wrong in a way only a Linux runtime sees: refused here, before anything exists. */
int rt_linux_check (const struct rt_spec *spec, rt_error_t *err);
/* The same for a process alone (exec). */
int rt_process_check (const struct rt_process *p, rt_error_t *err);
/* linux.personality and linux.memoryPolicy for nsinit (checked values, or -1). */
void rt_linux_init_opts (const struct rt_spec *spec, struct rt_init_config *ic);

/* Is OPT one of nsinit's mount options (its table, listed at build time)? */
bool rt_mount_option_known (const char *opt);

/* Fds made for nsinit (idmapped mounts: with their list for the init config,
   "MOUNT:FD,..."; exec: the init's namespaces). */
struct rt_fd_list
{
  int *fds;
  size_t n;
  char *list;
};
/* Is M an idmapped mount rt makes (the container has a user namespace)? */
bool rt_idmap_by_rt (const struct rt_spec *spec, const struct rt_mount *m);
/* A detached copy (open_tree) of SOURCE's mount with M's idmapping set, for nsinit to
   attach; cloned in rt's current mount namespace. */
int rt_idmap_tree (const struct rt_spec *spec, const struct rt_mount *m, const char *source,
                   rt_error_t *err);
/* Rootless rt: the idmapped mounts, made in rt's own mount namespace. */
int rt_idmap_mounts (const struct rt_spec *spec, const char *bundle, struct rt_fd_list *out,
                     rt_error_t *err);
void rt_fd_list_clear (struct rt_fd_list *l);

/* ---- netdev.c: linux.netDevices ---- */
int rt_netdev_check (const struct rt_spec *spec, rt_error_t *err);
/* Move the devices into the network namespace of PID, renamed, up, with their permanent
   global addresses. */
int rt_netdev_move (const struct rt_spec *spec, pid_t pid, rt_error_t *err);

/* ---- intel_rdt.c: linux.intelRdt through resctrl ---- */
int rt_intel_rdt_check (const struct rt_spec *spec, rt_error_t *err);
/* The CLOS group (made if needed), its schemata, PID in it (and in the MON group). */
int rt_intel_rdt_apply (const struct rt_spec *spec, const char *id, pid_t pid, rt_error_t *err);
/* At delete: the MON group, and the CLOS group if rt made it (no closID). */
void rt_intel_rdt_remove (const struct rt_spec *spec, const char *id);

#endif
