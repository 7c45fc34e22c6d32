/* rt update [flags] ID, or rt update -r FILE|- ID: change a running container's
   resources, with runc 1.1's flags and meanings (0 or absent: unchanged). */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[]
    = "NAME:\n"
      "   rt update - update container resource constraints\n"
      "\n"
      "USAGE:\n"
      "   rt update [command options] <container-id>\n"
      "\n"
      "OPTIONS:\n"
      "   --resources value, -r value  path to the file containing the resources to update or "
      "'-' to read from the standard input\n"
      "\n"
      "The accepted format is as follow (unchanged values can be omitted):\n"
      "\n"
      "{\n"
      "  \"memory\": {\n"
      "    \"limit\": 0,\n"
      "    \"reservation\": 0,\n"
      "    \"swap\": 0\n"
      "  },\n"
      "  \"cpu\": {\n"
      "    \"shares\": 0,\n"
      "    \"quota\": 0,\n"
      "    \"period\": 0,\n"
      "    \"realtimeRuntime\": 0,\n"
      "    \"realtimePeriod\": 0,\n"
      "    \"cpus\": \"\",\n"
      "    \"mems\": \"\"\n"
      "  },\n"
      "  \"blockIO\": {\n"
      "    \"weight\": 0\n"
      "  }\n"
      "}\n"
      "\n"
      "Note: if data is to be read from a file or the standard input, all\n"
      "other options are ignored.\n"
      "   --blkio-weight value        Specifies per cgroup weight, range is from 10 to 1000 "
      "(default: 0)\n"
      "   --cpu-period value          CPU CFS period to be used for hardcapping (in usecs). 0 to "
      "use system default\n"
      "   --cpu-quota value           CPU CFS hardcap limit (in usecs). Allowed cpu time in a "
      "given period\n"
      "   --cpu-share value           CPU shares (relative weight vs. other containers) (also "
      "--cpu-shares)\n"
      "   --cpu-rt-period value       CPU realtime period to be used for hardcapping (in usecs). "
      "0 to use system default\n"
      "   --cpu-rt-runtime value      CPU realtime hardcap limit (in usecs). Allowed cpu time in "
      "a given period\n"
      "   --cpuset-cpus value         CPU(s) to use\n"
      "   --cpuset-mems value         Memory node(s) to use\n"
      "   --memory value              Memory limit (in bytes)\n"
      "   --memory-reservation value  Memory reservation or soft_limit (in bytes)\n"
      "   --memory-swap value         Total memory usage (memory + swap); set '-1' to enable "
      "unlimited swap\n"
      "   --pids-limit value          Maximum number of pids allowed in the container (default: "
      "0)\n"
      "   --l3-cache-schema value     The string of Intel RDT/CAT L3 cache schema\n"
      "   --mem-bw-schema value       The string of Intel RDT/MBA memory bandwidth schema\n"
      "   --help, -h                  show help\n";

enum
{
  OPT_BLKIO_WEIGHT = 256,
  OPT_CPU_PERIOD,
  OPT_CPU_QUOTA,
  OPT_CPU_SHARE,
  OPT_CPU_RT_PERIOD,
  OPT_CPU_RT_RUNTIME,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
  OPT_MEMORY,
  OPT_MEMORY_RESERVATION,
  OPT_MEMORY_SWAP,
  OPT_PIDS_LIMIT,
  OPT_L3_CACHE,
  OPT_MEM_BW,
};

static const struct option opts[] = {
  { "resources", required_argument, NULL, 'r' },
  { "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
  { "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
  { "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
  { "cpu-share", required_argument, NULL, OPT_CPU_SHARE },
  { "cpu-shares", required_argument, NULL, OPT_CPU_SHARE },
  { "cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD },
  { "cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME },
  { "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
  { "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
  { "memory", required_argument, NULL, OPT_MEMORY },
  { "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
  { "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
  { "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
  { "l3-cache-schema", required_argument, NULL, OPT_L3_CACHE },
  { "mem-bw-schema", required_argument, NULL, OPT_MEM_BW },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

struct flags
{
  const char *resources; /* -r */
  struct rt_resources r;
  char *cpus, *mems;
  const char *rdt; /* an Intel RDT flag that was given */
};

/* The number flags, with runc's messages. */
static int
flag_u64 (const char *name, const char *v, uint64_t *out, rt_error_t *err)
{
  unsigned long n;
  if (parse_ulong (v, &n) < 0 || *v == '-' || *v == '+')
    return rt_error (
        err, 0, "invalid value for %s: strconv.ParseUint: parsing \"%s\": invalid syntax", name, v);
  *out = n;
  return 0;
}

static int
flag_i64 (const char *name, const char *v, int64_t *out, rt_error_t *err)
{
  long n;
  if (parse_long (v, &n) < 0)
    return rt_error (
        err, 0, "invalid value for %s: strconv.ParseInt: parsing \"%s\": invalid syntax", name, v);
  *out = n;
  return 0;
}

/* "-1", or a size like "100M" */
static int
flag_size (const char *name, const char *v, int64_t *out, rt_error_t *err)
{
  if (strcmp (v, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  if (rt_parse_size (v, out) < 0)
    return rt_error (err, 0, "invalid value for %s: invalid size: '%s'", name, v);
  return 0;
}

/* urfave/cli's int flags: a usage error when the value is not a number. */
static long
flag_int (const char *cmd, const char *name, const char *v)
{
  long n;
  if (parse_long (v, &n) < 0)
    rt_usage_error (cmd, "invalid value \"%s\" for flag -%s: parse error", v, name);
  return n;
}

static int
parse_flag (struct flags *f, const char *cmd, int opt, const char *v, rt_error_t *err)
{
  struct rt_resources *r = &f->r;

  switch (opt)
    {
      case OPT_BLKIO_WEIGHT:
        r->blkio.weight = (uint16_t) flag_int (cmd, "blkio-weight", v);
        r->blkio.has_weight = r->blkio.weight != 0;
        return 0;
      case OPT_CPU_PERIOD:
        r->cpu.has_period = true;
        return flag_u64 ("cpu-period", v, &r->cpu.period, err);
      case OPT_CPU_RT_PERIOD:
        r->cpu.has_realtime_period = true;
        return flag_u64 ("cpu-rt-period", v, &r->cpu.realtime_period, err);
      case OPT_CPU_SHARE:
        r->cpu.has_shares = true;
        return flag_u64 ("cpu-share", v, &r->cpu.shares, err);
      case OPT_CPU_QUOTA:
        r->cpu.has_quota = true;
        return flag_i64 ("cpu-quota", v, &r->cpu.quota, err);
      case OPT_CPU_RT_RUNTIME:
        r->cpu.has_realtime_runtime = true;
        return flag_i64 ("cpu-rt-runtime", v, &r->cpu.realtime_runtime, err);
      case OPT_CPUSET_CPUS:
        free (f->cpus);
        r->cpu.cpus = f->cpus = xstrdup (v);
        return 0;
      case OPT_CPUSET_MEMS:
        free (f->mems);
        r->cpu.mems = f->mems = xstrdup (v);
        return 0;
      case OPT_MEMORY:
        r->memory.has_limit = true;
        return flag_size ("memory", v, &r->memory.limit, err);
      case OPT_MEMORY_RESERVATION:
        r->memory.has_reservation = true;
        return flag_size ("memory-reservation", v, &r->memory.reservation, err);
      case OPT_MEMORY_SWAP:
        r->memory.has_swap = true;
        return flag_size ("memory-swap", v, &r->memory.swap, err);
      case OPT_PIDS_LIMIT:
        r->pids.limit = flag_int (cmd, "pids-limit", v);
        r->pids.has_limit = true;
        return 0;
      default: /* OPT_L3_CACHE, OPT_MEM_BW: rt has no Intel RDT (resctrl) support */
        if (*v != '\0')
          f->rdt = opt == OPT_L3_CACHE ? "Intel RDT/CAT: l3 cache schema is not enabled"
                                       : "Intel RDT/MBA: memory bandwidth schema is not enabled";
        return 0;
    }
}

/* The resources object of -r, checked as strictly as config.json's linux.resources
   (it is parsed as one), with the error paths made relative to the file. */
static int
load_resources (const char *path, struct rt_spec **spec, rt_error_t *err)
{
  static const char head[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/\"},"
                             "\"linux\":{\"resources\":";
  cleanup_free char *json = NULL, *doc = NULL;
  const char *prefix = "config.json: linux.resources";
  size_t len;

  if ((strcmp (path, "-") == 0 ? read_fd_max (0, RT_INPUT_MAX, &json, &len, err)
                               : read_input (path, &json, &len, err))
      < 0)
    return rt_error_wrap (err, "read resources");
  doc = xasprintf ("%s%s}}", head, json);
  if (rt_spec_parse (doc, strlen (doc), spec, err) == 0)
    return 0;
  if (strncmp ((*err)->msg, prefix, strlen (prefix)) == 0)
    {
      char *msg = xasprintf ("resources%s", (*err)->msg + strlen (prefix));
      free ((*err)->msg);
      (*err)->msg = msg;
    }
  else if (strncmp ((*err)->msg, "config.json", 11) == 0)
    {
      char *msg = xasprintf ("resources%s", (*err)->msg + 11);
      free ((*err)->msg);
      (*err)->msg = msg;
    }
  return -1;
}

static int
update (const char *id, struct flags *f, rt_error_t *err)
{
  cleanup_spec struct rt_spec *spec = NULL;
  cleanup_container struct rt_container *c = NULL;
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  const struct rt_resources *r = &f->r;

  if (f->resources != NULL)
    {
      if (load_resources (f->resources, &spec, err) < 0)
        return -1;
      r = &spec->linux_.resources;
    }
  else if (f->rdt != NULL)
    return rt_error (err, 0, "%s", f->rdt);
  if (rt_state_load (id, &c, err) < 0)
    return -1;
  if (rt_container_status (c) == RT_STATUS_STOPPED)
    return rt_error (err, 0, "container not running");
  if (rt_container_cgroup (c, &cg, err) < 0)
    return -1;
  cg->update = true;
  return cg->ops->set (cg, r, err);
}

int
rt_cmd_update (int argc, char **argv)
{
  struct flags f = { 0 };
  rt_error_t err = NULL;
  cleanup_error rt_error_t ferr = NULL; /* with -r, a bad flag value does not matter */
  cleanup_close int lock = -1;
  const char *id;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "r:h", opts)) != -1)
    if (opt == 'r')
      f.resources = optarg;
    else if (ferr == NULL) /* the first bad value is reported, after the usage checks */
      parse_flag (&f, argv[0], opt, optarg, &ferr);
  id = rt_arg_id (argc, argv);
  if (ferr != NULL && f.resources == NULL)
    rt_log_error_exit ("update", id, ferr);
  if (rt_state_lock (id, &lock, &err) < 0 || update (id, &f, &err) < 0)
    rt_log_error_exit ("update", id, err);
  free (f.cpus);
  free (f.mems);
  return 0;
}
