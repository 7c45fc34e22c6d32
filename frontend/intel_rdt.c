/* linux.intelRdt (config-linux.md "IntelRdt") through the resctrl file system: the
   container's CLOS group is closID (or the container id, made by rt and removed at
   delete), its schemata are written, the init joins its tasks, and enableMonitoring adds
   a MON group named after the container.  With no resctrl mounted the spec requires an
   error: refused before anything is made.  (This machine has no resctrl: the apply path
   is not exercised by the tests here.) */
#define _GNU_SOURCE
#include "linux_fields.h"
#include "mountinfo.h"
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The mount point of a resctrl file system, or NULL. */
static char *
resctrl_mount (void)
{
  return rt_mountinfo_fstype_mount ("resctrl");
}

static bool
has_schemata (const struct rt_intel_rdt *r)
{
  return r->l3_cache_schema || r->mem_bw_schema || r->n_schemata > 0;
}

/* The CLOS group's directory ("/" is the root group). */
static char *
clos_dir (const char *mnt, const struct rt_intel_rdt *r, const char *id)
{
  const char *clos = r->clos_id ? r->clos_id : id;

  if (strcmp (clos, "/") == 0)
    return xstrdup (mnt);
  return xasprintf ("%s/%s", mnt, clos);
}

int
rt_intel_rdt_check (const struct rt_spec *spec, rt_error_t *err)
{
  const struct rt_intel_rdt *r = spec->linux_.intel_rdt;
  cleanup_free char *mnt = NULL, *dir = NULL;

  if (r == NULL)
    return 0;
  mnt = resctrl_mount ();
  if (mnt == NULL)
    return rt_error (
        err, 0,
        "linux.intelRdt: no resctrl file system is mounted on this host (the "
        "kernel's Intel RDT interface, e.g. mount -t resctrl resctrl /sys/fs/resctrl)");
  if (r->clos_id && (strchr (r->clos_id, '/') && strcmp (r->clos_id, "/") != 0))
    return rt_error (err, 0, "linux.intelRdt.closID \"%s\": not a group name", r->clos_id);
  if (r->clos_id && !has_schemata (r))
    {
      /* a pre-configured group must exist */
      dir = clos_dir (mnt, r, NULL);
      if (access (dir, F_OK) < 0)
        return rt_error (err, errno, "linux.intelRdt.closID: resctrl group \"%s\"", dir);
    }
  return 0;
}

static int
write_schema (const char *dir, const char *line, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/schemata", dir);
  cleanup_free char *text = xasprintf ("%s\n", line);

  if (write_file (path, text, strlen (text), 0, err) < 0)
    return rt_error_wrap (err, "linux.intelRdt: schemata \"%s\"", line);
  return 0;
}

static int
join_group (const char *dir, pid_t pid, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/tasks", dir);
  cleanup_free char *text = xasprintf ("%d", pid);

  if (write_file (path, text, strlen (text), 0, err) < 0)
    return rt_error_wrap (err, "linux.intelRdt: join resctrl group \"%s\"", dir);
  return 0;
}

/* An existing group named by closID keeps its schemata: the spec asks for an error when
   they differ from the config's (compared line by line as the kernel prints them). */
static int
check_schema (const char *dir, const char *line, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/schemata", dir);
  cleanup_free char *text = NULL;
  size_t len, n = strlen (line);

  if (read_file (path, &text, &len, err) < 0)
    return rt_error_wrap (err, "linux.intelRdt");
  for (const char *p = text; p && *p; p = strchr (p, '\n') ? strchr (p, '\n') + 1 : NULL)
    {
      while (*p == ' ')
        p++;
      if (strncmp (p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
        return 0;
    }
  return rt_error (err, 0, "linux.intelRdt: resctrl group \"%s\" has other schemata than \"%s\"",
                   dir, line);
}

static int
schema (const char *dir, bool existing, const char *line, rt_error_t *err)
{
  return existing ? check_schema (dir, line, err) : write_schema (dir, line, err);
}

int
rt_intel_rdt_apply (const struct rt_spec *spec, const char *id, pid_t pid, rt_error_t *err)
{
  const struct rt_intel_rdt *r = spec->linux_.intel_rdt;
  cleanup_free char *mnt = NULL, *dir = NULL, *mon = NULL;
  bool existing;

  if (r == NULL)
    return 0;
  if ((mnt = resctrl_mount ()) == NULL)
    return rt_error (err, 0, "linux.intelRdt: no resctrl file system is mounted");
  dir = clos_dir (mnt, r, id);
  existing = mkdir (dir, 0755) < 0;
  if (existing && errno != EEXIST)
    return rt_error (err, errno, "linux.intelRdt: mkdir \"%s\"", dir);
  existing = existing && r->clos_id != NULL;
  /* the spec's order: l3CacheSchema, memBwSchema, then schemata */
  if ((r->l3_cache_schema && schema (dir, existing, r->l3_cache_schema, err) < 0)
      || (r->mem_bw_schema && schema (dir, existing, r->mem_bw_schema, err) < 0))
    return -1;
  for (size_t i = 0; i < r->n_schemata; i++)
    if (schema (dir, existing, r->schemata[i], err) < 0)
      return -1;
  if (join_group (dir, pid, err) < 0)
    return -1;
  if (!r->enable_monitoring)
    return 0;
  mon = xasprintf ("%s/mon_groups/%s", dir, id);
  if (mkdir (mon, 0755) < 0 && errno != EEXIST)
    return rt_error (err, errno, "linux.intelRdt: MON group \"%s\"", mon);
  return join_group (mon, pid, err);
}

void
rt_intel_rdt_remove (const struct rt_spec *spec, const char *id)
{
  const struct rt_intel_rdt *r = spec ? spec->linux_.intel_rdt : NULL;
  cleanup_free char *mnt = NULL, *dir = NULL, *mon = NULL;

  if (r == NULL || (mnt = resctrl_mount ()) == NULL)
    return;
  dir = clos_dir (mnt, r, id);
  if (r->enable_monitoring)
    {
      mon = xasprintf ("%s/mon_groups/%s", dir, id);
      if (rmdir (mon) < 0 && errno != ENOENT)
        rt_log (RT_LOG_WARN, "linux.intelRdt: remove \"%s\": %s", mon, strerror (errno));
    }
  /* only the group rt made (no closID) goes */
  if (r->clos_id == NULL && rmdir (dir) < 0 && errno != ENOENT)
    rt_log (RT_LOG_WARN, "linux.intelRdt: remove \"%s\": %s", dir, strerror (errno));
}
