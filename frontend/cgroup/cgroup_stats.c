/* Reading a container's statistics from its cgroup, v1 (runc's fs GetStats) and v2
   (runc's fs2 GetStats).  A controller that is not there leaves its figures at zero. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A u64 file, 0 when it is missing or not a number. */
static uint64_t
u64_of (const char *dir, const char *file)
{
  uint64_t v = 0;
  cleanup_error rt_error_t err = NULL;

  if (cg_read_u64 (dir, file, UINT64_MAX, &v, &err) < 0)
    return 0;
  return v;
}

static char *
text_of (const char *dir, const char *file)
{
  cleanup_error rt_error_t ignored = NULL; /* a file this kernel lacks: no figures */
  char *text = NULL;

  return cg_read (dir, file, &text, &ignored) < 0 ? NULL : text;
}

static void
u64_fields (const char *text, uint64_t **out, size_t *n)
{
  char *end;

  for (const char *p = text; *p;)
    {
      unsigned long long v = strtoull (p, &end, 10);
      if (end == p)
        break;
      *out = xrealloc (*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = v;
      p = end;
    }
}

/* ---- v1 ---- */

static void
v1_cpuacct (const char *dir, struct rt_stats *st)
{
  cleanup_free char *percpu = text_of (dir, "cpuacct.usage_percpu");
  cleanup_free char *all = text_of (dir, "cpuacct.usage_all");
  cleanup_free char *stat = text_of (dir, "cpuacct.stat");
  long ticks = sysconf (_SC_CLK_TCK);
  uint64_t user = 0, system = 0;

  st->cpu.total = u64_of (dir, "cpuacct.usage");
  if (percpu != NULL)
    u64_fields (percpu, &st->cpu.percpu, &st->cpu.n_percpu);
  /* "cpu user system" then one line per cpu */
  for (char *line = all ? strchr (all, '\n') : NULL; line != NULL; line = strchr (line, '\n'))
    {
      unsigned long long cpu, u, s;
      line++;
      if (sscanf (line, "%llu %llu %llu", &cpu, &u, &s) != 3)
        break;
      st->cpu.percpu_user = xrealloc (st->cpu.percpu_user, (st->cpu.n_percpu_user + 1) * 8);
      st->cpu.percpu_user[st->cpu.n_percpu_user++] = u;
      st->cpu.percpu_kernel = xrealloc (st->cpu.percpu_kernel, (st->cpu.n_percpu_kernel + 1) * 8);
      st->cpu.percpu_kernel[st->cpu.n_percpu_kernel++] = s;
    }
  if (stat != NULL && ticks > 0)
    {
      cg_keyed (stat, "user", &user);
      cg_keyed (stat, "system", &system);
      st->cpu.user = user * 1000000000ULL / (uint64_t) ticks;
      st->cpu.kernel = system * 1000000000ULL / (uint64_t) ticks;
    }
}

static void
v1_cpu (const char *dir, struct rt_stats *st)
{
  cleanup_free char *stat = text_of (dir, "cpu.stat");

  if (stat == NULL)
    return;
  cg_keyed (stat, "nr_periods", &st->cpu.periods);
  cg_keyed (stat, "nr_throttled", &st->cpu.throttled_periods);
  cg_keyed (stat, "throttled_time", &st->cpu.throttled_time);
}

static void
v1_cpuset (const char *dir, struct rt_stats *st)
{
  cleanup_free char *cpus = text_of (dir, "cpuset.cpus");
  cleanup_free char *mems = text_of (dir, "cpuset.mems");
  cleanup_free char *relax = text_of (dir, "cpuset.sched_relax_domain_level");

  if (cpus != NULL)
    cg_parse_cpu_list (cpus, &st->cpuset.cpus, &st->cpuset.n_cpus);
  if (mems != NULL)
    cg_parse_cpu_list (mems, &st->cpuset.mems, &st->cpuset.n_mems);
  st->cpuset.cpu_exclusive = u64_of (dir, "cpuset.cpu_exclusive");
  st->cpuset.mem_hardwall = u64_of (dir, "cpuset.mem_hardwall");
  st->cpuset.mem_exclusive = u64_of (dir, "cpuset.mem_exclusive");
  st->cpuset.memory_migrate = u64_of (dir, "cpuset.memory_migrate");
  st->cpuset.memory_spread_page = u64_of (dir, "cpuset.memory_spread_page");
  st->cpuset.memory_spread_slab = u64_of (dir, "cpuset.memory_spread_slab");
  st->cpuset.memory_pressure = u64_of (dir, "cpuset.memory_pressure");
  st->cpuset.sched_load_balance = u64_of (dir, "cpuset.sched_load_balance");
  st->cpuset.sched_relax_domain_level = relax ? strtoll (relax, NULL, 10) : 0;
}

/* memory.PREFIXusage_in_bytes, max_usage_in_bytes, failcnt, limit_in_bytes */
static void
v1_mem_entry (const char *dir, const char *prefix, struct rt_mem_entry *e)
{
  cleanup_free char *usage = xasprintf ("memory.%susage_in_bytes", prefix);
  cleanup_free char *max = xasprintf ("memory.%smax_usage_in_bytes", prefix);
  cleanup_free char *failcnt = xasprintf ("memory.%sfailcnt", prefix);
  cleanup_free char *limit = xasprintf ("memory.%slimit_in_bytes", prefix);

  e->usage = u64_of (dir, usage);
  e->max = u64_of (dir, max);
  e->failcnt = u64_of (dir, failcnt);
  e->limit = u64_of (dir, limit);
}

static void
v1_memory (const char *dir, struct rt_stats *st)
{
  cleanup_free char *stat = text_of (dir, "memory.stat");

  if (stat != NULL)
    cg_parse_keyed (stat, &st->memory.raw, &st->memory.n_raw);
  for (size_t i = 0; i < st->memory.n_raw; i++)
    if (strcmp (st->memory.raw[i].key, "cache") == 0)
      st->memory.cache = st->memory.raw[i].value;
  v1_mem_entry (dir, "", &st->memory.usage);
  v1_mem_entry (dir, "memsw.", &st->memory.swap);
  v1_mem_entry (dir, "kmem.", &st->memory.kernel);
  v1_mem_entry (dir, "kmem.tcp.", &st->memory.kernel_tcp);
}

struct blk_file
{
  const char *file;
  enum rt_blkio_stat kind;
};

static const struct blk_file bfq_debug[] = {
  { "blkio.bfq.sectors_recursive", RT_BLKIO_SECTORS },
  { "blkio.bfq.io_service_time_recursive", RT_BLKIO_SERVICE_TIME },
  { "blkio.bfq.io_wait_time_recursive", RT_BLKIO_WAIT_TIME },
  { "blkio.bfq.io_merged_recursive", RT_BLKIO_MERGED },
  { "blkio.bfq.io_queued_recursive", RT_BLKIO_QUEUED },
  { "blkio.bfq.time_recursive", RT_BLKIO_TIME },
  { "blkio.bfq.io_serviced_recursive", RT_BLKIO_SERVICED },
  { "blkio.bfq.io_service_bytes_recursive", RT_BLKIO_SERVICE_BYTES },
};
static const struct blk_file bfq[] = {
  { "blkio.bfq.io_serviced_recursive", RT_BLKIO_SERVICED },
  { "blkio.bfq.io_service_bytes_recursive", RT_BLKIO_SERVICE_BYTES },
};
static const struct blk_file cfq[] = {
  { "blkio.sectors_recursive", RT_BLKIO_SECTORS },
  { "blkio.io_service_time_recursive", RT_BLKIO_SERVICE_TIME },
  { "blkio.io_wait_time_recursive", RT_BLKIO_WAIT_TIME },
  { "blkio.io_merged_recursive", RT_BLKIO_MERGED },
  { "blkio.io_queued_recursive", RT_BLKIO_QUEUED },
  { "blkio.time_recursive", RT_BLKIO_TIME },
  { "blkio.io_serviced_recursive", RT_BLKIO_SERVICED },
  { "blkio.io_service_bytes_recursive", RT_BLKIO_SERVICE_BYTES },
};
static const struct blk_file throttle_recursive[] = {
  { "blkio.throttle.io_serviced_recursive", RT_BLKIO_SERVICED },
  { "blkio.throttle.io_service_bytes_recursive", RT_BLKIO_SERVICE_BYTES },
};
static const struct blk_file throttle[] = {
  { "blkio.throttle.io_serviced", RT_BLKIO_SERVICED },
  { "blkio.throttle.io_service_bytes", RT_BLKIO_SERVICE_BYTES },
};

/* runc's order: the first group whose first file has entries is the one read (BFQ with
   its debug files, BFQ, CFQ, throttling recursive, throttling); a later file of that
   group without entries ends the reading there. */
static void
v1_blkio (const char *dir, struct rt_stats *st)
{
  static const struct
  {
    const struct blk_file *f;
    size_t n;
  } groups[] = {
    { bfq_debug, ARRAY_SIZE (bfq_debug) },
    { bfq, ARRAY_SIZE (bfq) },
    { cfq, ARRAY_SIZE (cfq) },
    { throttle_recursive, ARRAY_SIZE (throttle_recursive) },
    { throttle, ARRAY_SIZE (throttle) },
  };

  for (size_t g = 0; g < ARRAY_SIZE (groups); g++)
    for (size_t i = 0; i < groups[g].n; i++)
      {
        const struct blk_file *f = &groups[g].f[i];
        cleanup_free char *text = text_of (dir, f->file);
        struct rt_blkio_entry *e = NULL;
        size_t n = 0;

        if (text == NULL || cg_parse_blkio (text, &e, &n) < 0 || n == 0)
          {
            free (e);
            if (i == 0)
              break; /* next group */
            return;
          }
        free (st->blkio[f->kind].e);
        st->blkio[f->kind].e = e;
        st->blkio[f->kind].n = n;
        if (i + 1 == groups[g].n)
          return;
      }
}

static void
add_hugetlb (struct rt_stats *st, const char *size, uint64_t usage, uint64_t max, uint64_t fail)
{
  struct rt_hugetlb_stat *h;

  st->hugetlb = xrealloc (st->hugetlb, (st->n_hugetlb + 1) * sizeof *st->hugetlb);
  h = &st->hugetlb[st->n_hugetlb++];
  h->page_size = xstrdup (size);
  h->usage = usage;
  h->max = max;
  h->failcnt = fail;
}

static void
v1_hugetlb (const char *dir, struct rt_stats *st)
{
  cleanup_strv char **sizes = cg_hugepage_sizes ();

  for (size_t i = 0; sizes[i]; i++)
    {
      cleanup_free char *u = xasprintf ("hugetlb.%s.usage_in_bytes", sizes[i]);
      cleanup_free char *m = xasprintf ("hugetlb.%s.max_usage_in_bytes", sizes[i]);
      cleanup_free char *f = xasprintf ("hugetlb.%s.failcnt", sizes[i]);
      if (cg_exists (dir, u))
        add_hugetlb (st, sizes[i], u64_of (dir, u), u64_of (dir, m), u64_of (dir, f));
    }
}

void
cg_v2_hugetlb_stats (const char *dir, struct rt_stats *st)
{
  cleanup_strv char **sizes = cg_hugepage_sizes ();

  for (size_t i = 0; sizes[i]; i++)
    {
      cleanup_free char *cur = xasprintf ("hugetlb.%s.current", sizes[i]);
      cleanup_free char *ev = xasprintf ("hugetlb.%s.events", sizes[i]);
      cleanup_free char *events = NULL;
      uint64_t fail = 0;
      if (!cg_exists (dir, cur))
        continue;
      events = text_of (dir, ev);
      if (events != NULL)
        cg_keyed (events, "max", &fail);
      add_hugetlb (st, sizes[i], u64_of (dir, cur), 0, fail);
    }
}

int
cg_v1_stats (struct rt_cgroup *cg, struct rt_stats *st, rt_error_t *err)
{
  static const struct
  {
    const char *controller;
    void (*read) (const char *dir, struct rt_stats *st);
  } readers[] = {
    { "cpuacct", v1_cpuacct }, { "cpu", v1_cpu },     { "cpuset", v1_cpuset },
    { "memory", v1_memory },   { "blkio", v1_blkio }, { "hugetlb", v1_hugetlb },
  };
  cleanup_error rt_error_t ignored = NULL; /* a controller not mounted: no figures */
  cleanup_free char *pids = cg_v1_dir (cg, "pids", &ignored);
  cleanup_free char *unified = cg_v1_unified_for ("hugetlb");
  bool any = false;

  for (size_t i = 0; i < ARRAY_SIZE (readers); i++)
    {
      cleanup_free char *dir = cg_v1_dir (cg, readers[i].controller, &ignored);
      if (dir == NULL || access (dir, F_OK) < 0)
        continue;
      any = true;
      readers[i].read (dir, st);
    }
  if (pids != NULL && access (pids, F_OK) == 0)
    {
      any = true;
      st->pids.current = u64_of (pids, "pids.current");
      st->pids.limit = u64_of (pids, "pids.max") == UINT64_MAX ? 0 : u64_of (pids, "pids.max");
    }
  if (unified != NULL && st->n_hugetlb == 0)
    {
      cleanup_free char *dir = xasprintf ("%s%s", unified, cg->path);
      cg_v2_hugetlb_stats (dir, st);
    }
  if (!any)
    return rt_error (err, ENOENT, "cgroup %s does not exist", cg->path);
  return 0;
}

/* ---- v2 ---- */

/* memory.current/max, or memory.swap.current/max */
static void
v2_mem_entry (const char *dir, const char *name, struct rt_mem_entry *e)
{
  cleanup_free char *cur = xasprintf ("memory.%scurrent", name);
  cleanup_free char *max = xasprintf ("memory.%smax", name);

  e->usage = u64_of (dir, cur);
  e->limit = u64_of (dir, max);
}

static void
v2_memory (const char *dir, struct rt_stats *st)
{
  cleanup_free char *stat = text_of (dir, "memory.stat");

  if (stat == NULL)
    return; /* no memory controller */
  cg_parse_keyed (stat, &st->memory.raw, &st->memory.n_raw);
  for (size_t i = 0; i < st->memory.n_raw; i++)
    if (strcmp (st->memory.raw[i].key, "file") == 0)
      st->memory.cache = st->memory.raw[i].value;
  v2_mem_entry (dir, "", &st->memory.usage);
  v2_mem_entry (dir, "swap.", &st->memory.swap);
  /* v1 reports swap as memory+swap: so does runc on v2 */
  st->memory.swap.usage += st->memory.usage.usage;
  if (st->memory.swap.limit == UINT64_MAX || st->memory.usage.limit == UINT64_MAX)
    st->memory.swap.limit = UINT64_MAX;
  else
    st->memory.swap.limit += st->memory.usage.limit;
}

int
cg_v2_stats (struct rt_cgroup *cg, struct rt_stats *st, rt_error_t *err)
{
  cleanup_free char *dir = cg_v2_dir (cg);
  cleanup_free char *cpu = NULL, *io = NULL;
  uint64_t v = 0;

  if (access (dir, F_OK) < 0)
    return rt_error (err, errno, "cgroup %s", cg->path);
  if ((cpu = text_of (dir, "cpu.stat")) != NULL)
    {
      if (cg_keyed (cpu, "usage_usec", &v))
        st->cpu.total = v * 1000;
      if (cg_keyed (cpu, "user_usec", &v))
        st->cpu.user = v * 1000;
      if (cg_keyed (cpu, "system_usec", &v))
        st->cpu.kernel = v * 1000;
      cg_keyed (cpu, "nr_periods", &st->cpu.periods);
      cg_keyed (cpu, "nr_throttled", &st->cpu.throttled_periods);
      if (cg_keyed (cpu, "throttled_usec", &v))
        st->cpu.throttled_time = v * 1000;
    }
  v2_memory (dir, st);
  if (cg_exists (dir, "pids.current"))
    {
      st->pids.current = u64_of (dir, "pids.current");
      st->pids.limit = u64_of (dir, "pids.max") == UINT64_MAX ? 0 : u64_of (dir, "pids.max");
    }
  else
    {
      /* no pids controller: count the processes (runc's statPidsFromCgroupProcs) */
      cleanup_free pid_t *pids = NULL;
      size_t n = 0;
      if (cg_read_pids (dir, &pids, &n, err) < 0)
        return -1;
      st->pids.current = n;
    }
  if ((io = text_of (dir, "io.stat")) != NULL)
    cg_parse_io_stat (io, st);
  cg_v2_hugetlb_stats (dir, st);
  return 0;
}
