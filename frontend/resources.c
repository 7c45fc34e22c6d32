/* linux.resources values: the conversions runc makes between the OCI (cgroup v1)
   values and cgroup v2's, hugepage size names, and `update`'s size strings. */
#define _GNU_SOURCE
#include "cgroup/cgroup_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] maps linearly onto [1, 10000]. */
uint64_t
cg_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  return 1 + ((shares - 2) * 9999) / 262142;
}

/* runc's ConvertBlkIOToIOWeightValue: [10, 1000] onto [1, 10000]. */
uint64_t
cg_blkio_to_io_weight (uint64_t weight)
{
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  return 1 + (weight - 10) * 9999 / 990;
}

/* runc's ConvertMemorySwapToCgroupV2Value, except that swap == limit ("no swap") writes
   0 where runc writes nothing. */
int
cg_swap_to_v2 (const struct rt_resources *r, int64_t *out, bool *set, rt_error_t *err)
{
  int64_t mem = r->memory.has_limit ? r->memory.limit : 0;
  int64_t swap = r->memory.has_swap ? r->memory.swap : 0;

  *set = false;
  *out = 0;
  if (mem == -1 && swap == 0)
    {
      /* "memory unlimited" means swap too, as on v1 */
      *out = -1;
      *set = true;
      return 0;
    }
  if (swap == 0)
    return 0;
  if (swap == -1)
    {
      *out = -1;
      *set = true;
      return 0;
    }
  if (swap < -1)
    return rt_error (err, 0, "invalid memory+swap value: %lld", (long long) swap);
  if (mem == 0 || mem == -1)
    return rt_error (err, 0, "unable to set swap limit without memory limit");
  if (mem < 0)
    return rt_error (err, 0, "invalid memory value: %lld", (long long) mem);
  if (swap < mem)
    return rt_error (err, 0, "memory+swap limit should be >= memory limit");
  *out = swap - mem;
  *set = true;
  return 0;
}

/* "hugepages-2048kB" -> "2MB", the way runc (go-units CustomSize) names it. */
static char *
hugepage_name (const char *dirname)
{
  static const char *const units[] = { "B", "KB", "MB", "GB", "TB", "PB" };
  unsigned long long kb;
  double size;
  size_t u = 0;
  char *end;

  if (strncmp (dirname, "hugepages-", 10) != 0)
    return NULL;
  kb = strtoull (dirname + 10, &end, 10);
  if (end == dirname + 10 || strcmp (end, "kB") != 0)
    return NULL;
  size = (double) kb * 1024;
  while (size >= 1024 && u < ARRAY_SIZE (units) - 1)
    {
      size /= 1024;
      u++;
    }
  return xasprintf ("%g%s", size, units[u]);
}

static int
by_size (const struct dirent **a, const struct dirent **b)
{
  unsigned long long x = strtoull ((*a)->d_name + 10, NULL, 10);
  unsigned long long y = strtoull ((*b)->d_name + 10, NULL, 10);
  return x < y ? -1 : x > y;
}

static int
is_hugepage_dir (const struct dirent *d)
{
  return strncmp (d->d_name, "hugepages-", 10) == 0;
}

/* Smallest first, like the kernel's hugetlb.* files. */
char **
cg_hugepage_sizes (void)
{
  struct dirent **names = NULL;
  int n = scandir ("/sys/kernel/mm/hugepages", &names, is_hugepage_dir, by_size);
  char **out = xcalloc (n > 0 ? (size_t) n + 1 : 1, sizeof *out);
  size_t k = 0;

  for (int i = 0; i < n; i++)
    {
      char *name = hugepage_name (names[i]->d_name);
      if (name != NULL)
        out[k++] = name;
      free (names[i]);
    }
  free (names);
  return out;
}

bool
cg_hugepage_size_ok (const char *size)
{
  cleanup_strv char **sizes = cg_hugepage_sizes ();

  for (size_t i = 0; sizes[i]; i++)
    if (strcmp (sizes[i], size) == 0)
      return true;
  return false;
}

/* go-units RAMInBytes: ^(\d+(\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$, 1k = 1024. */
int
rt_parse_size (const char *s, int64_t *out)
{
  static const char units[] = "kmgtp";
  const char *p = s, *u;
  double v, mul = 1;
  char *end;

  if (!isdigit ((unsigned char) *p))
    return -1;
  while (isdigit ((unsigned char) *p))
    p++;
  if (*p == '.')
    {
      if (!isdigit ((unsigned char) p[1]))
        return -1;
      for (p++; isdigit ((unsigned char) *p); p++)
        ;
    }
  errno = 0;
  v = strtod (s, &end);
  if (errno != 0 || end != p)
    return -1;
  if (*p == ' ')
    p++;
  if (*p != '\0' && (u = strchr (units, tolower ((unsigned char) *p))) != NULL)
    {
      for (const char *k = units; k <= u; k++)
        mul *= 1024;
      p++;
    }
  if (*p == 'i' || *p == 'I')
    p++;
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0' || v * mul >= 9223372036854775808.0)
    return -1;
  *out = (int64_t) (v * mul);
  return 0;
}
