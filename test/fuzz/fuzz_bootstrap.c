/* libFuzzer target: the strict bootstrap decoder (rt_bootstrap_decode), which runs in
   nsinit's constructor on bytes from the init pipe.  Whatever it accepts must point inside
   the input, and must survive encode -> decode unchanged (decode -> encode -> decode). */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "fuzz_common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* P .. P+N lies inside BUF .. BUF+LEN. */
static void
check_inside (const void *buf, size_t len, const void *p, size_t n)
{
  const char *b = buf, *q = p;

  if (q == NULL)
    return;
  FUZZ_ASSERT (q >= b && q <= b + len && n <= (size_t) (b + len - q));
}

static void
check_strings (const void *buf, size_t len, const struct rt_bootstrap *b)
{
  const char *s[] = { b->ns_paths, b->uidmappath, b->gidmappath };

  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
    if (s[i])
      check_inside (buf, len, s[i], strnlen (s[i], len) + 1);
  check_inside (buf, len, b->uidmap, b->uidmap_len);
  check_inside (buf, len, b->gidmap, b->gidmap_len);
  check_inside (buf, len, b->oom_score_adj, b->oom_score_adj_len);
  check_inside (buf, len, b->mount_sources, b->mount_sources_len);
}

/* The same rejection into an errbuf of every size up to the message: a truncated prefix
   of it, always terminated; and none at all. */
static void
check_short_errbuf (const uint8_t *data, size_t size, const char *full)
{
  struct rt_bootstrap b;
  char small[256];
  size_t n = strlen (full);

  for (size_t len = 1; len <= n + 1 && len <= sizeof small; len += 1 + len / 4)
    {
      memset (small, 'x', sizeof small);
      FUZZ_ASSERT (rt_bootstrap_decode (data, size, &b, small, len) < 0);
      FUZZ_ASSERT (memchr (small, '\0', len) != NULL);
      FUZZ_ASSERT (strncmp (small, full, strlen (small)) == 0);
    }
  FUZZ_ASSERT (rt_bootstrap_decode (data, size, &b, NULL, 0) < 0);
  FUZZ_ASSERT (rt_bootstrap_decode (data, size, &b, small, 0) < 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct rt_bootstrap b, again;
  rt_error_t err = NULL;
  char errbuf[256];
  void *blob = NULL;
  size_t len = 0;

  if (rt_bootstrap_decode (data, size, &b, errbuf, sizeof errbuf) < 0)
    {
      /* Every rejection says where; a short errbuf (or none) changes nothing else. */
      FUZZ_ASSERT (strncmp (errbuf, "offset ", 7) == 0);
      check_short_errbuf (data, size, errbuf);
      return 0;
    }
  check_strings (data, size, &b);

  if (rt_bootstrap_encode (&b, &blob, &len, &err) < 0)
    {
      /* Only a payload at the very edge of nla_len may be refused on the way back. */
      FUZZ_ASSERT (size > UINT16_MAX - 8);
      rt_error_free (&err);
      return 0;
    }
  FUZZ_ASSERT (rt_bootstrap_decode (blob, len, &again, errbuf, sizeof errbuf) == 0);
  if (!b.has_version)
    {
      /* The encoder always writes the version. */
      FUZZ_ASSERT (again.has_version && again.version == RT_PROTOCOL_VERSION);
      again.has_version = false;
      again.version = 0;
    }
  FUZZ_ASSERT (fuzz_bootstrap_equal (&b, &again));
  free (blob);
  return 0;
}
