/* Shared by the libFuzzer targets: an assertion that crashes the fuzzer with a message,
   and field-by-field equality of two bootstrap messages. */
#ifndef RT_FUZZ_COMMON_H
#define RT_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"

#define FUZZ_ASSERT(cond)                                                                          \
  do                                                                                               \
    {                                                                                              \
      if (!(cond))                                                                                 \
        {                                                                                          \
          fprintf (stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);             \
          abort ();                                                                                \
        }                                                                                          \
    }                                                                                              \
  while (0)

static inline bool
fuzz_str_equal (const char *a, const char *b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp (a, b) == 0);
}

static inline bool
fuzz_bytes_equal (const void *a, size_t alen, const void *b, size_t blen)
{
  if (a == NULL || b == NULL)
    return a == b;
  return alen == blen && (alen == 0 || memcmp (a, b, alen) == 0);
}

static inline bool
fuzz_bootstrap_equal (const struct rt_bootstrap *a, const struct rt_bootstrap *b)
{
  return a->has_clone_flags == b->has_clone_flags && a->clone_flags == b->clone_flags
         && fuzz_str_equal (a->ns_paths, b->ns_paths)
         && fuzz_bytes_equal (a->uidmap, a->uidmap_len, b->uidmap, b->uidmap_len)
         && fuzz_bytes_equal (a->gidmap, a->gidmap_len, b->gidmap, b->gidmap_len)
         && a->has_setgroup == b->has_setgroup && a->setgroup == b->setgroup
         && fuzz_bytes_equal (a->oom_score_adj, a->oom_score_adj_len, b->oom_score_adj,
                              b->oom_score_adj_len)
         && a->has_rootless_euid == b->has_rootless_euid && a->rootless_euid == b->rootless_euid
         && fuzz_str_equal (a->uidmappath, b->uidmappath)
         && fuzz_str_equal (a->gidmappath, b->gidmappath)
         && fuzz_bytes_equal (a->mount_sources, a->mount_sources_len, b->mount_sources,
                              b->mount_sources_len)
         && a->has_version == b->has_version && a->version == b->version;
}

#endif
