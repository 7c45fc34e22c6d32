/* linux.intelRdt (config-linux.md "IntelRdt"): the spec requires an error when no resctrl
   file system is mounted in the runtime's mount namespace. */
#define _GNU_SOURCE
#include "linux_fields.h"
#include "util.h"

#include <string.h>

/* The mount point of a resctrl file system (/proc/self/mountinfo), or NULL. */
static char *
resctrl_mount (void)
{
  cleanup_fclose FILE *f = fopen ("/proc/self/mountinfo", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  while (f && getline (&line, &cap, f) > 0)
    {
      char mnt[4096];
      const char *sep = strstr (line, " - ");
      if (sep && strncmp (sep + 3, "resctrl ", 8) == 0
          && sscanf (line, "%*s %*s %*s %*s %4095s", mnt) == 1)
        return xstrdup (mnt);
    }
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
