/* The Features structure of runtime-spec features.md and features-linux.md, from the
   tables rt works with: the parser's names (proto/spec_schema*.c), nsinit's mount option table
   (generated from nsenter/mount_opts.c at build time), libcap's capability names, the
   seccomp flags the filter passes on.  A table that grows shows up here by itself. */
#define _GNU_SOURCE
#include "rt.h"
#include "jsongen.h"
#include "linux_fields.h"
#include "seccomp_filter.h"

#include "mount_option_names.h"

#include <ctype.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <yajl/yajl_gen.h>

/* KEY: [names...] from an accessor returning NULL past the end. */
static void
key_names (yajl_gen g, const char *key, const char *(*name) (size_t))
{
  const char *n;

  rt_json_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; (n = name (i)) != NULL; i++)
    rt_json_str (g, n);
  yajl_gen_array_close (g);
}

static void
key_spec_names (yajl_gen g, const char *key, enum rt_spec_names t)
{
  const char *n;

  rt_json_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; (n = rt_spec_name (t, i)) != NULL; i++)
    rt_json_str (g, n);
  yajl_gen_array_close (g);
}

static const char *
mount_option (size_t i)
{
  return rt_mount_option_names[i];
}

/* Every capability libcap was built to name (the kernel's list at rt's build time), as
   process.capabilities spells them: "CAP_CHOWN". */
static void
key_capabilities (yajl_gen g)
{
  rt_json_str (g, "capabilities");
  yajl_gen_array_open (g);
  for (cap_value_t v = 0; v <= CAP_LAST_CAP; v++)
    {
      char *n = cap_to_name (v), buf[64];
      size_t i;

      if (n != NULL && !isdigit ((unsigned char) n[0]))
        {
          snprintf (buf, sizeof buf, "CAP_%s", strncmp (n, "cap_", 4) == 0 ? n + 4 : n);
          for (i = 0; buf[i]; i++)
            buf[i] = (char) toupper ((unsigned char) buf[i]);
          rt_json_str (g, buf);
        }
      cap_free (n);
    }
  yajl_gen_array_close (g);
}

static void
gen_seccomp (yajl_gen g)
{
  rt_json_str (g, "seccomp");
  yajl_gen_map_open (g);
  rt_json_key_bool (g, "enabled", true);
  key_spec_names (g, "actions", RT_NAMES_SECCOMP_ACTIONS);
  key_spec_names (g, "operators", RT_NAMES_SECCOMP_OPERATORS);
  /* an architecture libseccomp does not know is skipped with a warning: still recognized */
  key_spec_names (g, "archs", RT_NAMES_SECCOMP_ARCHS);
  key_spec_names (g, "knownFlags", RT_NAMES_SECCOMP_FLAGS);
  key_names (g, "supportedFlags", rt_seccomp_supported_flag);
  yajl_gen_map_close (g);
}

struct flag
{
  const char *key;
  bool on;
};

/* KEY: {"name": true|false, ...} */
static void
key_flags (yajl_gen g, const char *key, const struct flag *f, size_t n)
{
  rt_json_str (g, key);
  yajl_gen_map_open (g);
  for (size_t i = 0; i < n; i++)
    rt_json_key_bool (g, f[i].key, f[i].on);
  yajl_gen_map_close (g);
}

static void
gen_object_enabled (yajl_gen g, const char *key, bool enabled)
{
  const struct flag f = { "enabled", enabled };

  key_flags (g, key, &f, 1);
}

static void
gen_linux (yajl_gen g)
{
  static const struct flag cgroup[] = {
    { "v1", true },           { "v2", true },
    { "systemd", false }, /* --systemd-cgroup is refused */
    { "systemdUser", false }, { "rdma", true },
  };
  /* intel_rdt.c: the CLOS group with its schemata, a MON group for enableMonitoring */
  static const struct flag intel_rdt[] = {
    { "enabled", true },
    { "schemata", true },
    { "monitoring", true },
  };

  rt_json_str (g, "linux");
  yajl_gen_map_open (g);
  key_spec_names (g, "namespaces", RT_NAMES_NAMESPACES);
  key_capabilities (g);
  key_flags (g, "cgroup", cgroup, ARRAY_SIZE (cgroup));
  gen_seccomp (g);
  gen_object_enabled (g, "apparmor", true);
  gen_object_enabled (g, "selinux", true);
  key_flags (g, "intelRdt", intel_rdt, ARRAY_SIZE (intel_rdt));
  rt_json_str (g, "memoryPolicy");
  yajl_gen_map_open (g);
  key_spec_names (g, "modes", RT_NAMES_MPOL_MODES);
  key_spec_names (g, "flags", RT_NAMES_MPOL_FLAGS);
  yajl_gen_map_close (g);
  rt_json_str (g, "mountExtensions");
  yajl_gen_map_open (g);
  gen_object_enabled (g, "idmap", rt_mount_option_known ("idmap"));
  yajl_gen_map_close (g);
  gen_object_enabled (g, "netDevices", true);
  yajl_gen_map_close (g);
}

char *
rt_features_json (void)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  char libseccomp[32];

  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "    ");
  yajl_gen_map_open (g);
  rt_json_key_str (g, "ociVersionMin", "1.0.0");
  rt_json_key_str (g, "ociVersionMax", RT_SPEC_VERSION);
  key_spec_names (g, "hooks", RT_NAMES_HOOKS);
  key_names (g, "mountOptions", mount_option);
  gen_linux (g);
  rt_json_str (g, "annotations");
  yajl_gen_map_open (g);
  snprintf (libseccomp, sizeof libseccomp, "%u.%u.%u", seccomp_version ()->major,
            seccomp_version ()->minor, seccomp_version ()->micro);
  rt_json_key_str (g, "io.github.seccomp.libseccomp.version", libseccomp);
  rt_json_key_str (g, "org.opencontainers.rt.checkpoint.enabled", "false");
  rt_json_key_str (g, "org.opencontainers.rt.version", RT_VERSION);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  return rt_json_take (g, NULL);
}
