/* libFuzzer target: encode -> decode round trip of the bootstrap message.  The input
   describes a struct rt_bootstrap (which fields are set, their values, payload bytes, and
   payloads inflated to the edge of the 16-bit nla_len).  Properties: the encoder refuses
   only a payload that does not fit nla_len (CVE-2021-43784), and whatever it accepts the
   strict decoder decodes to the same fields. */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "fuzz_common.h"

#include <linux/netlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A payload of LEN bytes (without the NUL the encoder adds) fits when LEN + 1 <= this. */
#define MAX_PAYLOAD (UINT16_MAX - NLA_HDRLEN)

struct reader
{
  const uint8_t *p;
  size_t n;
};

static uint32_t
take (struct reader *r, size_t bytes)
{
  uint32_t v = 0;

  for (size_t i = 0; i < bytes && r->n > 0; i++, r->p++, r->n--)
    v |= (uint32_t) r->p[0] << (8 * i);
  return v;
}

/* Payload bytes: a 16-bit header says either "the next N (< 1024) input bytes" or "a
   generated run near the nla_len limit" (MAX_PAYLOAD - 16 .. MAX_PAYLOAD + 15 bytes).
   Strings stop at their first NUL.  Returns a malloc'ed, NUL-terminated buffer. */
static char *
take_payload (struct reader *r, bool string, size_t *len)
{
  uint32_t hdr = take (r, 2);
  size_t n;
  char *buf;

  if (hdr >= 0xf000)
    {
      uint8_t fill = (uint8_t) take (r, 1);
      n = MAX_PAYLOAD - 16 + (hdr & 0x1f);
      buf = malloc (n + 1);
      FUZZ_ASSERT (buf != NULL);
      memset (buf, string && fill == 0 ? 'x' : fill, n);
    }
  else
    {
      n = hdr & 0x3ff;
      if (n > r->n)
        n = r->n;
      buf = malloc (n + 1);
      FUZZ_ASSERT (buf != NULL);
      if (n)
        memcpy (buf, r->p, n);
      r->p += n;
      r->n -= n;
    }
  buf[n] = '\0';
  *len = string ? strlen (buf) : n;
  return buf;
}

enum
{
  F_CLONE = 1 << 0,
  F_NS = 1 << 1,
  F_UIDMAP = 1 << 2,
  F_GIDMAP = 1 << 3,
  F_SETGROUP = 1 << 4,
  F_OOM = 1 << 5,
  F_ROOTLESS = 1 << 6,
  F_UIDMAPPATH = 1 << 7,
  F_GIDMAPPATH = 1 << 8,
  F_MOUNTS = 1 << 9,
  F_VERSION = 1 << 10,
};

struct input
{
  struct rt_bootstrap b;
  char *bufs[7];
  size_t lens[7];
  size_t n;
};

static char *
payload (struct input *in, struct reader *r, bool string, size_t *len)
{
  size_t dummy;
  char *p = take_payload (r, string, len ? len : &dummy);

  in->lens[in->n] = len ? *len : dummy;
  in->bufs[in->n++] = p;
  return p;
}

static void
build (struct input *in, struct reader *r)
{
  struct rt_bootstrap *b = &in->b;
  uint32_t f = take (r, 2), bools = take (r, 1);

  memset (in, 0, sizeof *in);
  b->has_clone_flags = f & F_CLONE;
  b->clone_flags = take (r, 4);
  b->has_setgroup = f & F_SETGROUP;
  b->setgroup = bools & 1;
  b->has_rootless_euid = f & F_ROOTLESS;
  b->rootless_euid = bools & 2;
  b->has_version = f & F_VERSION;
  b->version = take (r, 4);
  if (f & F_NS)
    b->ns_paths = payload (in, r, true, NULL);
  if (f & F_UIDMAP)
    b->uidmap = payload (in, r, false, &b->uidmap_len);
  if (f & F_GIDMAP)
    b->gidmap = payload (in, r, false, &b->gidmap_len);
  if (f & F_OOM)
    b->oom_score_adj = payload (in, r, false, &b->oom_score_adj_len);
  if (f & F_UIDMAPPATH)
    b->uidmappath = payload (in, r, true, NULL);
  if (f & F_GIDMAPPATH)
    b->gidmappath = payload (in, r, true, NULL);
  if (f & F_MOUNTS)
    b->mount_sources = payload (in, r, false, &b->mount_sources_len);
  /* The decoder zeroes what is absent: so must the expectation. */
  if (!b->has_clone_flags)
    b->clone_flags = 0;
  if (!b->has_setgroup)
    b->setgroup = false;
  if (!b->has_rootless_euid)
    b->rootless_euid = false;
}

static bool
fits (const struct input *in)
{
  for (size_t i = 0; i < in->n; i++)
    if (in->lens[i] + 1 > MAX_PAYLOAD)
      return false;
  return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct reader r = { data, size };
  struct rt_bootstrap got;
  struct input in;
  rt_error_t err = NULL;
  char errbuf[256];
  uint32_t nlmsg_len;
  void *blob = NULL;
  size_t len = 0;

  build (&in, &r);
  if (rt_bootstrap_encode (&in.b, &blob, &len, &err) < 0)
    {
      FUZZ_ASSERT (!fits (&in));
      FUZZ_ASSERT (err != NULL && strstr (err->msg, "CVE-2021-43784") != NULL);
      rt_error_free (&err);
    }
  else
    {
      FUZZ_ASSERT (fits (&in));
      FUZZ_ASSERT (len >= NLMSG_HDRLEN);
      memcpy (&nlmsg_len, blob, sizeof nlmsg_len);
      FUZZ_ASSERT (nlmsg_len == len);
      if (rt_bootstrap_decode (blob, len, &got, errbuf, sizeof errbuf) < 0)
        {
          fprintf (stderr, "decoder refused the encoder's blob: %s\n", errbuf);
          abort ();
        }
      if (!in.b.has_version)
        {
          in.b.has_version = true;
          in.b.version = RT_PROTOCOL_VERSION;
        }
      FUZZ_ASSERT (fuzz_bootstrap_equal (&in.b, &got));
      free (blob);
    }
  for (size_t i = 0; i < in.n; i++)
    free (in.bufs[i]);
  return 0;
}
