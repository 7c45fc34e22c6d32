/* rt spec [--bundle DIR] [--rootless]: a starter config.json, runc's defaults. */
#define _GNU_SOURCE
#include "rt.h"
#include "jsongen.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

static const char usage[]
    = "NAME:\n"
      "   rt spec - create a new specification file\n"
      "\n"
      "USAGE:\n"
      "   rt spec [command options]\n"
      "\n"
      "DESCRIPTION:\n"
      "   The spec command creates the new specification file named \"config.json\" for\n"
      "the bundle.\n"
      "\n"
      "The spec generated is just a starter file. Editing of the spec is required to\n"
      "achieve desired results. For example, the newly generated spec includes an args\n"
      "parameter that is initially set to call the \"sh\" command when the container is\n"
      "started. Calling \"sh\" may work for an ubuntu container or busybox, but will not\n"
      "work for containers that do not include the \"sh\" program.\n"
      "\n"
      "You can pass the parameter --rootless to this command to generate a proper\n"
      "rootless spec file (a user namespace mapping the current user to root, no network\n"
      "namespace, no cgroup resources).\n"
      "\n"
      "OPTIONS:\n"
      "   --bundle value, -b value  path to the root of the bundle directory\n"
      "   --rootless                generate a configuration for a rootless container\n"
      "   --help, -h                show help\n";

enum
{
  OPT_ROOTLESS = 256
};

static const struct option opts[] = {
  { "bundle", required_argument, NULL, 'b' },
  { "rootless", no_argument, NULL, OPT_ROOTLESS },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* "key": ["a", "b", ...]; the list ends with NULL. */
static void
key_strv (yajl_gen g, const char *key, const char *const *v)
{
  rt_json_str (g, key);
  yajl_gen_array_open (g);
  for (; *v; v++)
    rt_json_str (g, *v);
  yajl_gen_array_close (g);
}

static void
gen_process (yajl_gen g)
{
  static const char *const args[] = { "sh", NULL };
  static const char *const env[]
      = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL };
  static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
  static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };

  rt_json_str (g, "process");
  yajl_gen_map_open (g);
  rt_json_key_bool (g, "terminal", true);
  rt_json_str (g, "user");
  yajl_gen_map_open (g);
  rt_json_key_int (g, "uid", 0);
  rt_json_key_int (g, "gid", 0);
  yajl_gen_map_close (g);
  key_strv (g, "args", args);
  key_strv (g, "env", env);
  rt_json_key_str (g, "cwd", "/");
  rt_json_str (g, "capabilities");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < ARRAY_SIZE (sets); i++)
    key_strv (g, sets[i], caps);
  yajl_gen_map_close (g);
  rt_json_str (g, "rlimits");
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  rt_json_key_str (g, "type", "RLIMIT_NOFILE");
  rt_json_key_int (g, "hard", 1024);
  rt_json_key_int (g, "soft", 1024);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
  rt_json_key_bool (g, "noNewPrivileges", true);
  yajl_gen_map_close (g);
}

static void
gen_mount (yajl_gen g, const char *dest, const char *type, const char *src,
           const char *const *options)
{
  yajl_gen_map_open (g);
  rt_json_key_str (g, "destination", dest);
  rt_json_key_str (g, "type", type);
  rt_json_key_str (g, "source", src);
  if (options != NULL)
    key_strv (g, "options", options);
  yajl_gen_map_close (g);
}

/* Rootless: devpts without gid=5 (no such group mapped), /sys bind-mounted (sysfs
   cannot be mounted without a network namespace of one's own). */
static void
gen_mounts (yajl_gen g, bool rootless)
{
  static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
  static const char *const pts[]
      = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL };
  static const char *const shm[]
      = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
  static const char *const mq[] = { "nosuid", "noexec", "nodev", NULL };
  static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const sys_bind[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const cgroup[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };
  const char *pts_rootless[ARRAY_SIZE (pts)];

  memcpy (pts_rootless, pts, sizeof pts);
  pts_rootless[5] = NULL;
  rt_json_str (g, "mounts");
  yajl_gen_array_open (g);
  gen_mount (g, "/proc", "proc", "proc", NULL);
  gen_mount (g, "/dev", "tmpfs", "tmpfs", dev);
  gen_mount (g, "/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts);
  gen_mount (g, "/dev/shm", "tmpfs", "shm", shm);
  gen_mount (g, "/dev/mqueue", "mqueue", "mqueue", mq);
  if (rootless)
    gen_mount (g, "/sys", "none", "/sys", sys_bind);
  else
    gen_mount (g, "/sys", "sysfs", "sysfs", sys);
  gen_mount (g, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup);
  yajl_gen_array_close (g);
}

static void
gen_mapping (yajl_gen g, const char *key, unsigned id)
{
  rt_json_str (g, key);
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  rt_json_key_int (g, "containerID", 0);
  rt_json_key_int (g, "hostID", id);
  rt_json_key_int (g, "size", 1);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
}

static void
gen_linux (yajl_gen g, bool rootless)
{
  static const char *const ns[] = { "pid", "network", "ipc", "uts", "mount" };
  static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "user" };
  static const char *const masked[] = { "/proc/acpi",
                                        "/proc/asound",
                                        "/proc/kcore",
                                        "/proc/keys",
                                        "/proc/latency_stats",
                                        "/proc/timer_list",
                                        "/proc/timer_stats",
                                        "/proc/sched_debug",
                                        "/sys/firmware",
                                        "/proc/scsi",
                                        NULL };
  static const char *const ro[]
      = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };

  rt_json_str (g, "linux");
  yajl_gen_map_open (g);
  if (rootless)
    {
      gen_mapping (g, "uidMappings", geteuid ());
      gen_mapping (g, "gidMappings", getegid ());
    }
  else
    {
      /* deny every device; the default devices are added by the runtime */
      rt_json_str (g, "resources");
      yajl_gen_map_open (g);
      rt_json_str (g, "devices");
      yajl_gen_array_open (g);
      yajl_gen_map_open (g);
      rt_json_key_bool (g, "allow", false);
      rt_json_key_str (g, "access", "rwm");
      yajl_gen_map_close (g);
      yajl_gen_array_close (g);
      yajl_gen_map_close (g);
    }
  rt_json_str (g, "namespaces");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < ARRAY_SIZE (ns); i++)
    {
      yajl_gen_map_open (g);
      rt_json_key_str (g, "type", rootless ? ns_rootless[i] : ns[i]);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  key_strv (g, "maskedPaths", masked);
  key_strv (g, "readonlyPaths", ro);
  yajl_gen_map_close (g);
}

/* The whole document, tab-indented like runc's. */
static char *
gen_spec (bool rootless)
{
  yajl_gen g = yajl_gen_alloc (NULL);

  if (g == NULL)
    return NULL;
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "\t");
  yajl_gen_map_open (g);
  rt_json_key_str (g, "ociVersion", RT_SPEC_VERSION);
  gen_process (g);
  rt_json_str (g, "root");
  yajl_gen_map_open (g);
  rt_json_key_str (g, "path", "rootfs");
  rt_json_key_bool (g, "readonly", true);
  yajl_gen_map_close (g);
  rt_json_key_str (g, "hostname", "rt");
  gen_mounts (g, rootless);
  gen_linux (g, rootless);
  yajl_gen_map_close (g);
  return rt_json_take (g, NULL);
}

static int
write_spec (const char *bundle, bool rootless, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/config.json", bundle ? bundle : ".");
  cleanup_free char *json = gen_spec (rootless);
  cleanup_close int fd = -1;

  if (json == NULL)
    return rt_error (err, ENOMEM, "generate config.json");
  if (bundle != NULL && access (bundle, F_OK) < 0)
    return rt_error (err, errno, "bundle \"%s\"", bundle);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0 && errno == EEXIST)
    return rt_error (err, 0, "File config.json exists. Remove it first");
  if (fd < 0)
    return rt_error (err, errno, "create \"%s\"", path);
  if (write_all (fd, json, strlen (json)) < 0)
    return rt_error (err, errno, "write \"%s\"", path);
  return 0;
}

int
rt_cmd_spec (int argc, char **argv)
{
  const char *bundle = NULL;
  bool rootless = false;
  rt_error_t err = NULL;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "b:h", opts)) != -1)
    if (opt == 'b')
      bundle = optarg;
    else /* OPT_ROOTLESS */
      rootless = true;
  rt_check_args (argv[0], argc - optind, 0, 0);
  if (write_spec (bundle, rootless, &err) < 0)
    rt_log_error_exit ("spec", NULL, err);
  return 0;
}
