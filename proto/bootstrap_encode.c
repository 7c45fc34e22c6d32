/* Encoder for the bootstrap message, with libnl-3.  Strings and byte payloads carry a
   trailing NUL like runc's Bytemsg, booleans are u8, the protocol version comes last.
   libnl's nla_put does not check that NLA_HDRLEN + len fits the 16-bit nla_len (runc's
   CVE-2021-43784 was that overflow), so every size is checked here before anything is put. */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "util.h"

#include <errno.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stdint.h>
#include <string.h>

#define MAX_NLA_PAYLOAD (UINT16_MAX - NLA_HDRLEN)

enum attr_kind
{
  ATTR_U32,
  ATTR_U8,
  ATTR_STRING, /* nla_put_string: strlen + 1 */
  ATTR_BYTES,  /* DATA, LEN and a NUL */
};

struct attr
{
  int type;
  enum attr_kind kind;
  uint32_t value;
  const void *data;
  size_t len; /* without the NUL */
};

static void
nlmsg_freep (struct nl_msg **msg)
{
  if (*msg)
    nlmsg_free (*msg);
}
#define cleanup_nlmsg __attribute__ ((cleanup (nlmsg_freep)))

static size_t
add_u32 (struct attr *a, size_t n, int type, uint32_t value)
{
  a[n] = (struct attr){ .type = type, .kind = ATTR_U32, .value = value };
  return n + 1;
}

static size_t
add_u8 (struct attr *a, size_t n, int type, bool value)
{
  a[n] = (struct attr){ .type = type, .kind = ATTR_U8, .value = value ? 1 : 0 };
  return n + 1;
}

static size_t
add_data (struct attr *a, size_t n, int type, enum attr_kind kind, const void *data, size_t len)
{
  a[n] = (struct attr){ .type = type, .kind = kind, .data = data, .len = len };
  return n + 1;
}

/* The attributes to emit, in attribute-number order, the version last.  Returns the count. */
static size_t
collect (const struct rt_bootstrap *b, struct attr *a)
{
  size_t n = 0;

  if (b->has_clone_flags)
    n = add_u32 (a, n, RT_ATTR_CLONE_FLAGS, b->clone_flags);
  if (b->ns_paths)
    n = add_data (a, n, RT_ATTR_NS_PATHS, ATTR_STRING, b->ns_paths, strlen (b->ns_paths));
  if (b->uidmap)
    n = add_data (a, n, RT_ATTR_UIDMAP, ATTR_BYTES, b->uidmap, b->uidmap_len);
  if (b->gidmap)
    n = add_data (a, n, RT_ATTR_GIDMAP, ATTR_BYTES, b->gidmap, b->gidmap_len);
  if (b->has_setgroup)
    n = add_u8 (a, n, RT_ATTR_SETGROUP, b->setgroup);
  if (b->oom_score_adj)
    n = add_data (a, n, RT_ATTR_OOM_SCORE_ADJ, ATTR_BYTES, b->oom_score_adj, b->oom_score_adj_len);
  if (b->has_rootless_euid)
    n = add_u8 (a, n, RT_ATTR_ROOTLESS_EUID, b->rootless_euid);
  if (b->uidmappath)
    n = add_data (a, n, RT_ATTR_UIDMAPPATH, ATTR_STRING, b->uidmappath, strlen (b->uidmappath));
  if (b->gidmappath)
    n = add_data (a, n, RT_ATTR_GIDMAPPATH, ATTR_STRING, b->gidmappath, strlen (b->gidmappath));
  if (b->mount_sources)
    n = add_data (a, n, RT_ATTR_MOUNT_SOURCES, ATTR_BYTES, b->mount_sources, b->mount_sources_len);
  if (b->time_offsets)
    n = add_data (a, n, RT_ATTR_TIME_OFFSETS, ATTR_BYTES, b->time_offsets, b->time_offsets_len);
  return add_u32 (a, n, RT_ATTR_PROTOCOL_VERSION,
                  b->has_version ? b->version : RT_PROTOCOL_VERSION);
}

/* Payload size on the wire, or -1 with an error when it does not fit nla_len. */
static int
payload_size (const struct attr *a, size_t *size, rt_error_t *err)
{
  switch (a->kind)
    {
      case ATTR_U32:
        *size = 4;
        return 0;
      case ATTR_U8:
        *size = 1;
        return 0;
      case ATTR_STRING:
      case ATTR_BYTES:
        break;
    }
  if (a->len >= MAX_NLA_PAYLOAD) /* len + 1 > MAX_NLA_PAYLOAD, without overflow */
    return rt_error (err, 0,
                     "attribute %s (%d): %zu bytes do not fit a netlink attribute (at most %d "
                     "plus a NUL: nla_len is 16 bits, CVE-2021-43784)",
                     rt_bootstrap_attr_name (a->type), a->type, a->len, MAX_NLA_PAYLOAD - 1);
  *size = a->len + 1;
  return 0;
}

static int
put_attr (struct nl_msg *msg, const struct attr *a, rt_error_t *err)
{
  struct nlattr *nla;
  int r = 0;

  switch (a->kind)
    {
      case ATTR_U32:
        r = nla_put_u32 (msg, a->type, a->value);
        break;
      case ATTR_U8:
        r = nla_put_u8 (msg, a->type, (uint8_t) a->value);
        break;
      case ATTR_STRING:
        r = nla_put_string (msg, a->type, a->data);
        break;
      case ATTR_BYTES:
        nla = nla_reserve (msg, a->type, (int) a->len + 1);
        if (nla == NULL)
          r = -NLE_NOMEM;
        else
          {
            memcpy (nla_data (nla), a->data, a->len);
            ((char *) nla_data (nla))[a->len] = '\0';
          }
        break;
    }
  if (r < 0)
    return rt_error (err, 0, "attribute %s (%d): %s", rt_bootstrap_attr_name (a->type), a->type,
                     nl_geterror (r));
  return 0;
}

int
rt_bootstrap_encode (const struct rt_bootstrap *b, void **out, size_t *len, rt_error_t *err)
{
  cleanup_nlmsg struct nl_msg *msg = NULL;
  struct attr attrs[16];
  size_t n = collect (b, attrs), i, size;
  uint64_t total = NLMSG_HDRLEN;
  struct nlmsghdr *hdr;

  for (i = 0; i < n; i++)
    {
      if (payload_size (&attrs[i], &size, err) < 0)
        return rt_error_wrap (err, "encode bootstrap message");
      total += NLA_ALIGN (NLA_HDRLEN + size);
    }
  if (total > UINT32_MAX)
    return rt_error (err, 0, "encode bootstrap message: %llu bytes do not fit nlmsg_len",
                     (unsigned long long) total);

  /* nlmsg_alloc_simple() would cap the message at libnl's default size (a page): size it
     ourselves, with the same header (type INIT_MSG, flags, seq and pid 0). */
  msg = nlmsg_alloc_size (total);
  if (msg == NULL || nlmsg_put (msg, NL_AUTO_PID, NL_AUTO_SEQ, RT_INIT_MSG, 0, 0) == NULL)
    return rt_error (err, ENOMEM, "encode bootstrap message");
  for (i = 0; i < n; i++)
    if (put_attr (msg, &attrs[i], err) < 0)
      return rt_error_wrap (err, "encode bootstrap message");

  hdr = nlmsg_hdr (msg);
  *out = xmalloc (hdr->nlmsg_len);
  memcpy (*out, hdr, hdr->nlmsg_len);
  *len = hdr->nlmsg_len;
  return 0;
}
