/* linux.intelRdt (config-linux.md "IntelRdt"): the spec requires an error when no resctrl
   file system is mounted in the runtime's mount namespace. */
#define _GNU_SOURCE
#include "linux_fields.h"
#include "mountinfo.h"
#include "util.h"

#include <string.h>

/* The mount point of a resctrl file system, or NULL. */
static char *
resctrl_mount (void)
{
  cleanup_fclose FILE *f = fopen ("/proc/self/mountinfo", "re");
  cleanup_free char *line = NULL;
  struct rt_mountinfo m;
  size_t cap = 0;

  while (f && rt_mountinfo_next (f, &line, &cap, &m) == 1)
    if (strcmp (m.fstype, "resctrl") == 0)
      return xstrdup (m.mountpoint);
  return NULL;
}

int
rt_intel_rdt_check (const struct rt_spec *spec, rt_error_t *err)
{
  cleanup_free char *mnt = NULL;

  if (spec->linux_.intel_rdt == NULL)
    return 0;
  mnt = resctrl_mount ();
  if (mnt == NULL)
    return rt_error (
        err, 0,
        "linux.intelRdt: no resctrl file system is mounted on this host (the "
        "kernel's Intel RDT interface, e.g. mount -t resctrl resctrl /sys/fs/resctrl)");
  return rt_error (err, 0, "linux.intelRdt: rt does not write resctrl groups (resctrl at %s)", mnt);
}
