/* Strict decoder for the bootstrap message.  It runs in nsinit's constructor, before
   main(): libc only, no allocation, no stdio beyond snprintf into the caller's errbuf.
   Every rejection says where: "offset 36: attribute UIDMAP (27283): ...". */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "util.h"

#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum payload_kind
{
  PAYLOAD_U32,
  PAYLOAD_BOOL,   /* rt: u8; runc's Boolmsg: a u32 in an 8-byte attribute */
  PAYLOAD_STRING, /* NUL-terminated, no NUL inside */
  PAYLOAD_BYTES,  /* length excludes one trailing NUL (runc's Bytemsg adds it) */
};

static const struct
{
  uint16_t type;
  enum payload_kind kind;
} attr_kinds[] = {
  { RT_ATTR_CLONE_FLAGS, PAYLOAD_U32 },      { RT_ATTR_NS_PATHS, PAYLOAD_STRING },
  { RT_ATTR_UIDMAP, PAYLOAD_BYTES },         { RT_ATTR_GIDMAP, PAYLOAD_BYTES },
  { RT_ATTR_SETGROUP, PAYLOAD_BOOL },        { RT_ATTR_OOM_SCORE_ADJ, PAYLOAD_BYTES },
  { RT_ATTR_ROOTLESS_EUID, PAYLOAD_BOOL },   { RT_ATTR_UIDMAPPATH, PAYLOAD_STRING },
  { RT_ATTR_GIDMAPPATH, PAYLOAD_STRING },    { RT_ATTR_MOUNT_SOURCES, PAYLOAD_BYTES },
  { RT_ATTR_PROTOCOL_VERSION, PAYLOAD_U32 }, { RT_ATTR_TIME_OFFSETS, PAYLOAD_BYTES },
};

struct decoder
{
  const unsigned char *buf;
  size_t len;
  char *errbuf;
  size_t errlen;
};

static int __attribute__ ((format (printf, 3, 4)))
fail (struct decoder *d, size_t off, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (d->errbuf == NULL || d->errlen == 0)
    return -1;
  n = snprintf (d->errbuf, d->errlen, "offset %zu: ", off);
  if (n < 0 || (size_t) n >= d->errlen)
    return -1;
  va_start (ap, fmt);
  vsnprintf (d->errbuf + n, d->errlen - n, fmt, ap);
  va_end (ap);
  return -1;
}

/* "UIDMAP (27283)", or just the number for an unknown type. */
static const char *
attr_label (unsigned type, char *buf, size_t len)
{
  const char *name = rt_bootstrap_attr_name ((int) type);

  if (name)
    snprintf (buf, len, "%s (%u)", name, type);
  else
    snprintf (buf, len, "%u", type);
  return buf;
}

/* Padding is ours to check: a length that is short by a byte or two shows up here. */
static int
check_zero (struct decoder *d, size_t from, size_t to, size_t off, const char *label)
{
  size_t i;

  for (i = from; i < to; i++)
    if (d->buf[i] != 0)
      return fail (d, off, "attribute %s: non-zero padding byte 0x%02x at offset %zu", label,
                   d->buf[i], i);
  return 0;
}

static int
check_payload (struct decoder *d, size_t off, const char *label, enum payload_kind kind,
               const unsigned char *p, size_t n)
{
  const unsigned char *nul;

  switch (kind)
    {
      case PAYLOAD_U32:
        if (n != 4)
          return fail (d, off, "attribute %s: payload of %zu bytes, want 4 (u32)", label, n);
        break;
      case PAYLOAD_BOOL:
        if (n != 1 && n != 4)
          return fail (d, off, "attribute %s: payload of %zu bytes, want 1 (u8 bool; 4 from runc)",
                       label, n);
        if ((n == 1 ? p[0] : rt_blob_u32 (p)) > 1)
          return fail (d, off, "attribute %s: boolean value %u, want 0 or 1", label,
                       n == 1 ? p[0] : rt_blob_u32 (p));
        break;
      case PAYLOAD_STRING:
        if (n == 0 || p[n - 1] != '\0')
          return fail (d, off, "attribute %s: string of %zu bytes is not NUL-terminated", label, n);
        nul = memchr (p, '\0', n - 1);
        if (nul)
          return fail (d, off, "attribute %s: string has an embedded NUL at offset %zu", label,
                       (size_t) (nul - d->buf));
        break;
      case PAYLOAD_BYTES:
        break;
    }
  return 0;
}

static void
store (struct rt_bootstrap *b, unsigned type, const unsigned char *p, size_t n)
{
  const char *s = (const char *) p;
  size_t bytes = n > 0 && p[n - 1] == '\0' ? n - 1 : n;
  bool flag = n == 1 ? p[0] != 0 : n == 4 && rt_blob_u32 (p) != 0;

  switch (type)
    {
      case RT_ATTR_CLONE_FLAGS:
        b->has_clone_flags = true;
        b->clone_flags = rt_blob_u32 (p);
        break;
      case RT_ATTR_NS_PATHS:
        b->ns_paths = s;
        break;
      case RT_ATTR_UIDMAP:
        b->uidmap = s;
        b->uidmap_len = bytes;
        break;
      case RT_ATTR_GIDMAP:
        b->gidmap = s;
        b->gidmap_len = bytes;
        break;
      case RT_ATTR_SETGROUP:
        b->has_setgroup = true;
        b->setgroup = flag;
        break;
      case RT_ATTR_OOM_SCORE_ADJ:
        b->oom_score_adj = s;
        b->oom_score_adj_len = bytes;
        break;
      case RT_ATTR_ROOTLESS_EUID:
        b->has_rootless_euid = true;
        b->rootless_euid = flag;
        break;
      case RT_ATTR_UIDMAPPATH:
        b->uidmappath = s;
        break;
      case RT_ATTR_GIDMAPPATH:
        b->gidmappath = s;
        break;
      case RT_ATTR_MOUNT_SOURCES:
        b->mount_sources = p;
        b->mount_sources_len = bytes;
        break;
      case RT_ATTR_PROTOCOL_VERSION:
        b->has_version = true;
        b->version = rt_blob_u32 (p);
        break;
      case RT_ATTR_TIME_OFFSETS:
        b->time_offsets = s;
        b->time_offsets_len = bytes;
        break;
    }
}

/* Check the attribute at OFF and store it; *NEXT is where the next one starts. */
static int
decode_attr (struct decoder *d, size_t off, unsigned *seen, struct rt_bootstrap *b, size_t *next)
{
  /* No NLA_TYPE_MASK: runc's numbers (27281 = 0x6a91) have NLA_F_NET_BYTEORDER's bit set,
     and nsexec.c compares the whole nla_type too.  A nested or flagged type is unknown. */
  uint16_t nla_len = rt_blob_u16 (d->buf + off), type = rt_blob_u16 (d->buf + off + 2);
  char label[48];
  size_t i, end;

  attr_label (type, label, sizeof label);
  if (nla_len < NLA_HDRLEN)
    return fail (d, off, "attribute %s: length %u is shorter than its header (%d bytes)", label,
                 nla_len, NLA_HDRLEN);
  if (nla_len > d->len - off)
    return fail (d, off, "attribute %s: length %u runs past the end of the message (%zu bytes)",
                 label, nla_len, d->len);
  for (i = 0; i < ARRAY_SIZE (attr_kinds) && attr_kinds[i].type != type; i++)
    ;
  if (i == ARRAY_SIZE (attr_kinds))
    return fail (d, off, "unknown attribute %u", type);
  if (*seen & (1u << i))
    return fail (d, off, "duplicate attribute %s", label);
  *seen |= 1u << i;
  if (check_payload (d, off, label, attr_kinds[i].kind, d->buf + off + NLA_HDRLEN,
                     nla_len - NLA_HDRLEN)
      < 0)
    return -1;
  /* The last attribute's padding may be left out of nlmsg_len. */
  end = off + NLA_ALIGN (nla_len);
  *next = end < d->len ? end : d->len;
  if (check_zero (d, off + nla_len, *next, off, label) < 0)
    return -1;
  store (b, type, d->buf + off + NLA_HDRLEN, nla_len - NLA_HDRLEN);
  return 0;
}

int
rt_bootstrap_decode (const void *buf, size_t len, struct rt_bootstrap *b, char *errbuf,
                     size_t errlen)
{
  struct decoder d = { .buf = buf, .len = len, .errbuf = errbuf, .errlen = errlen };
  struct nlmsghdr hdr;
  unsigned seen = 0;
  size_t off, i;

  memset (b, 0, sizeof *b);
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (buf == NULL || len < sizeof hdr)
    return fail (&d, 0, "message of %zu bytes is shorter than a netlink header (%zu bytes)",
                 buf ? len : 0, sizeof hdr);
  memcpy (&hdr, buf, sizeof hdr);
  if (hdr.nlmsg_type != RT_INIT_MSG)
    return fail (&d, 0, "message type %u, want INIT_MSG (%d)", hdr.nlmsg_type, RT_INIT_MSG);
  if (hdr.nlmsg_len != len)
    return fail (&d, 0, "nlmsg_len %u disagrees with the %zu bytes read", hdr.nlmsg_len, len);

  for (off = NLMSG_HDRLEN; len - off >= NLA_HDRLEN;)
    if (decode_attr (&d, off, &seen, b, &off) < 0)
      return -1;
  /* Fewer bytes than an attribute header: trailing padding, which must be zero. */
  for (i = off; i < len; i++)
    if (d.buf[i] != 0)
      return fail (&d, off, "%zu trailing bytes after the last attribute are not padding",
                   len - off);
  return 0;
}
