/* Container statistics as `events` prints them: runc 1.1's types.Stats encoded the way
   Go's encoding/json does it (field order, omitempty, maps sorted by key), and the
   parsers for the cgroup files both managers read them from. */
#define _GNU_SOURCE
#include "cgroup/cgroup_internal.h"
#include "jsongen.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

/* `json:"K,omitempty"` */
static void
kv_omit (yajl_gen g, const char *k, uint64_t v)
{
  if (v != 0)
    rt_json_key_u64 (g, k, v);
}

/* `json:"K,omitempty"` of a list of N unsigned numbers, each of SIZE bytes: the cpu times
   are uint64, the cpuset's cpus and mems uint16 (runc's types). */
static void
uint_list_sized (yajl_gen g, const char *k, const void *v, size_t size, size_t n)
{
  if (n == 0)
    return;
  rt_json_str (g, k);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    rt_json_u64 (g,
                 size == sizeof (uint16_t) ? ((const uint16_t *) v)[i] : ((const uint64_t *) v)[i]);
  yajl_gen_array_close (g);
}
#define uint_list(g, k, v, n) uint_list_sized (g, k, v, sizeof *(v), n)

static void
gen_cpu (yajl_gen g, const struct rt_stats *s)
{
  rt_json_str (g, "cpu");
  yajl_gen_map_open (g);
  rt_json_str (g, "usage");
  yajl_gen_map_open (g);
  kv_omit (g, "total", s->cpu.total);
  uint_list (g, "percpu", s->cpu.percpu, s->cpu.n_percpu);
  uint_list (g, "percpu_kernel", s->cpu.percpu_kernel, s->cpu.n_percpu_kernel);
  uint_list (g, "percpu_user", s->cpu.percpu_user, s->cpu.n_percpu_user);
  rt_json_key_u64 (g, "kernel", s->cpu.kernel);
  rt_json_key_u64 (g, "user", s->cpu.user);
  yajl_gen_map_close (g);
  rt_json_str (g, "throttling");
  yajl_gen_map_open (g);
  kv_omit (g, "periods", s->cpu.periods);
  kv_omit (g, "throttledPeriods", s->cpu.throttled_periods);
  kv_omit (g, "throttledTime", s->cpu.throttled_time);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static void
gen_cpuset (yajl_gen g, const struct rt_stats *s)
{
  rt_json_str (g, "cpuset");
  yajl_gen_map_open (g);
  uint_list (g, "cpus", s->cpuset.cpus, s->cpuset.n_cpus);
  rt_json_key_u64 (g, "cpu_exclusive", s->cpuset.cpu_exclusive);
  uint_list (g, "mems", s->cpuset.mems, s->cpuset.n_mems);
  rt_json_key_u64 (g, "mem_hardwall", s->cpuset.mem_hardwall);
  rt_json_key_u64 (g, "mem_exclusive", s->cpuset.mem_exclusive);
  rt_json_key_u64 (g, "memory_migrate", s->cpuset.memory_migrate);
  rt_json_key_u64 (g, "memory_spread_page", s->cpuset.memory_spread_page);
  rt_json_key_u64 (g, "memory_spread_slab", s->cpuset.memory_spread_slab);
  rt_json_key_u64 (g, "memory_pressure", s->cpuset.memory_pressure);
  rt_json_key_u64 (g, "sched_load_balance", s->cpuset.sched_load_balance);
  rt_json_key_int (g, "sched_relax_domain_level", s->cpuset.sched_relax_domain_level);
  yajl_gen_map_close (g);
}

static void
mem_entry (yajl_gen g, const char *k, const struct rt_mem_entry *e)
{
  rt_json_str (g, k);
  yajl_gen_map_open (g);
  rt_json_key_u64 (g, "limit", e->limit);
  kv_omit (g, "usage", e->usage);
  kv_omit (g, "max", e->max);
  rt_json_key_u64 (g, "failcnt", e->failcnt);
  yajl_gen_map_close (g);
}

static void
gen_memory (yajl_gen g, const struct rt_stats *s)
{
  rt_json_str (g, "memory");
  yajl_gen_map_open (g);
  kv_omit (g, "cache", s->memory.cache);
  mem_entry (g, "usage", &s->memory.usage);
  mem_entry (g, "swap", &s->memory.swap);
  mem_entry (g, "kernel", &s->memory.kernel);
  mem_entry (g, "kernelTCP", &s->memory.kernel_tcp);
  if (s->memory.n_raw > 0)
    {
      rt_json_str (g, "raw");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < s->memory.n_raw; i++)
        rt_json_key_u64 (g, s->memory.raw[i].key, s->memory.raw[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

static void
gen_blkio (yajl_gen g, const struct rt_stats *s)
{
  static const char *const names[RT_BLKIO_KINDS] = {
    [RT_BLKIO_SERVICE_BYTES] = "ioServiceBytesRecursive",
    [RT_BLKIO_SERVICED] = "ioServicedRecursive",
    [RT_BLKIO_QUEUED] = "ioQueueRecursive",
    [RT_BLKIO_SERVICE_TIME] = "ioServiceTimeRecursive",
    [RT_BLKIO_WAIT_TIME] = "ioWaitTimeRecursive",
    [RT_BLKIO_MERGED] = "ioMergedRecursive",
    [RT_BLKIO_TIME] = "ioTimeRecursive",
    [RT_BLKIO_SECTORS] = "sectorsRecursive",
  };

  rt_json_str (g, "blkio");
  yajl_gen_map_open (g);
  for (int k = 0; k < RT_BLKIO_KINDS; k++)
    {
      if (s->blkio[k].n == 0)
        continue;
      rt_json_str (g, names[k]);
      yajl_gen_array_open (g);
      for (size_t i = 0; i < s->blkio[k].n; i++)
        {
          const struct rt_blkio_entry *e = &s->blkio[k].e[i];
          yajl_gen_map_open (g);
          kv_omit (g, "major", e->major);
          kv_omit (g, "minor", e->minor);
          if (e->op[0] != '\0')
            {
              rt_json_key_str (g, "op", e->op);
            }
          kv_omit (g, "value", e->value);
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
    }
  yajl_gen_map_close (g);
}

static void
gen_hugetlb (yajl_gen g, const struct rt_stats *s)
{
  rt_json_str (g, "hugetlb");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    {
      rt_json_str (g, s->hugetlb[i].page_size);
      yajl_gen_map_open (g);
      kv_omit (g, "usage", s->hugetlb[i].usage);
      kv_omit (g, "max", s->hugetlb[i].max);
      rt_json_key_u64 (g, "failcnt", s->hugetlb[i].failcnt);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

char *
rt_stats_event_json (const char *id, const struct rt_stats *s)
{
  yajl_gen g = yajl_gen_alloc (NULL);

  yajl_gen_map_open (g);
  rt_json_key_str (g, "type", "stats");
  rt_json_key_str (g, "id", id);
  rt_json_str (g, "data");
  yajl_gen_map_open (g);
  gen_cpu (g, s);
  gen_cpuset (g, s);
  gen_memory (g, s);
  rt_json_str (g, "pids");
  yajl_gen_map_open (g);
  kv_omit (g, "current", s->pids.current);
  kv_omit (g, "limit", s->pids.limit);
  yajl_gen_map_close (g);
  gen_blkio (g, s);
  gen_hugetlb (g, s);
  rt_json_str (g, "intel_rdt"); /* no Intel RDT here: runc prints an empty object */
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  rt_json_str (g, "network_interfaces");
  yajl_gen_null (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  return rt_json_take (g, NULL);
}

void
rt_stats_clear (struct rt_stats *s)
{
  free (s->cpu.percpu);
  free (s->cpu.percpu_kernel);
  free (s->cpu.percpu_user);
  free (s->cpuset.cpus);
  free (s->cpuset.mems);
  for (size_t i = 0; i < s->memory.n_raw; i++)
    free (s->memory.raw[i].key);
  free (s->memory.raw);
  for (int k = 0; k < RT_BLKIO_KINDS; k++)
    free (s->blkio[k].e);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    free (s->hugetlb[i].page_size);
  free (s->hugetlb);
  memset (s, 0, sizeof *s);
}

/* ---- parsers ---- */

int
cg_parse_cpu_list (const char *s, uint16_t **out, size_t *n)
{
  const char *p = s;

  *out = NULL;
  *n = 0;
  while (*p)
    {
      char *end;
      unsigned long lo = strtoul (p, &end, 10), hi;
      if (end == p || lo > 65535)
        return -1;
      hi = lo;
      p = end;
      if (*p == '-')
        {
          hi = strtoul (p + 1, &end, 10);
          if (end == p + 1 || hi < lo || hi > 65535)
            return -1;
          p = end;
        }
      for (unsigned long c = lo; c <= hi; c++)
        {
          *out = xrealloc (*out, (*n + 1) * sizeof **out);
          (*out)[(*n)++] = (uint16_t) c;
        }
      if (*p == ',')
        p++;
      else if (*p != '\0' && !isspace ((unsigned char) *p))
        return -1;
      while (isspace ((unsigned char) *p))
        p++;
    }
  return 0;
}

static int
kv_cmp (const void *a, const void *b)
{
  return strcmp (((const struct rt_stat_kv *) a)->key, ((const struct rt_stat_kv *) b)->key);
}

void
cg_parse_keyed (const char *text, struct rt_stat_kv **out, size_t *n)
{
  cleanup_free char *copy = xstrdup (text);
  char *save = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *sp = strchr (line, ' '), *end;
      unsigned long long v;
      if (sp == NULL)
        continue;
      *sp = '\0';
      v = strtoull (sp + 1, &end, 10);
      if (end == sp + 1)
        continue;
      *out = xrealloc (*out, (*n + 1) * sizeof **out);
      (*out)[*n].key = xstrdup (line);
      (*out)[(*n)++].value = v;
    }
  if (*n > 1)
    qsort (*out, *n, sizeof **out, kv_cmp);
}

/* runc's getBlkioStat: "MAJ:MIN OP VALUE" or "MAJ:MIN VALUE"; "Total N" lines skipped. */
int
cg_parse_blkio (const char *text, struct rt_blkio_entry **out, size_t *n)
{
  cleanup_free char *copy = xstrdup (text);
  char *save = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      struct rt_blkio_entry e = { 0 };
      unsigned long long major, minor, v;
      char op[16];
      if (sscanf (line, "%llu:%llu %15s %llu", &major, &minor, op, &v) == 4)
        snprintf (e.op, sizeof e.op, "%s", op);
      else if (sscanf (line, "%llu:%llu %llu", &major, &minor, &v) != 3)
        {
          if (strncmp (line, "Total ", 6) == 0)
            continue;
          return -1;
        }
      e.major = major;
      e.minor = minor;
      e.value = v;
      *out = xrealloc (*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = e;
    }
  return 0;
}

static void
add_entry (struct rt_stats *st, enum rt_blkio_stat k, uint64_t major, uint64_t minor,
           const char *op, uint64_t v)
{
  struct rt_blkio_entry *e;

  st->blkio[k].e = xrealloc (st->blkio[k].e, (st->blkio[k].n + 1) * sizeof *e);
  e = &st->blkio[k].e[st->blkio[k].n++];
  memset (e, 0, sizeof *e);
  e->major = major;
  e->minor = minor;
  e->value = v;
  snprintf (e->op, sizeof e->op, "%s", op);
}

/* runc's statIo: rbytes/wbytes into bytes, rios/wios into ios; the rest is ignored. */
void
cg_parse_io_stat (const char *text, struct rt_stats *st)
{
  cleanup_free char *copy = xstrdup (text);
  char *save = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      unsigned long long major, minor;
      char *s2 = NULL;
      int off = 0;
      if (sscanf (line, "%llu:%llu%n", &major, &minor, &off) != 2)
        continue;
      for (char *it = strtok_r (line + off, " ", &s2); it; it = strtok_r (NULL, " ", &s2))
        {
          char *eq = strchr (it, '=');
          uint64_t v;
          if (eq == NULL)
            continue;
          *eq = '\0';
          v = strtoull (eq + 1, NULL, 10);
          if (strcmp (it, "rbytes") == 0 || strcmp (it, "wbytes") == 0)
            add_entry (st, RT_BLKIO_SERVICE_BYTES, major, minor, *it == 'r' ? "Read" : "Write", v);
          else if (strcmp (it, "rios") == 0 || strcmp (it, "wios") == 0)
            add_entry (st, RT_BLKIO_SERVICED, major, minor, *it == 'r' ? "Read" : "Write", v);
        }
    }
}
