/* The bootstrap message: the first thing on the init socket.  rt builds it
   (frontend/bootstrap_build.c for create/run, frontend/exec.c for exec) and sends it with
   the init config right behind it (session.c); nsinit's constructor (stage 0, nsexec.c)
   reads exactly this message before main() and acts on it in stages 0-2: namespaces to
   join or create, id maps (through newuidmap/newgidmap when rootless), setgroups,
   oom_score_adj, time offsets.  Wire form: runc's netlink format (INIT_MSG 62000, runc's
   attribute numbers) plus rt's own attributes from 27300; PROTOCOL_VERSION is always sent
   and must equal nsinit's (rt and nsinit come from one build).  MOUNT_SOURCES (runc's
   27290) is known only so that rt-bootstrap-dump reads runc's blobs (dump.c): rt never
   sends it and nsinit ignores it; rt passes bind sources in RT_MSG_MOUNT_SOURCES and
   idmapped mounts in the init config instead (sync.h, initconfig.h).  The encoder uses
   libnl-3 (bootstrap_encode.c); the strict decoder (bootstrap_decode.c) needs only libc. */
#ifndef RT_BOOTSTRAP_H
#define RT_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"

#define RT_INIT_MSG 62000

#define RT_ATTR_CLONE_FLAGS 27281
#define RT_ATTR_NS_PATHS 27282
#define RT_ATTR_UIDMAP 27283
#define RT_ATTR_GIDMAP 27284
#define RT_ATTR_SETGROUP 27285
#define RT_ATTR_OOM_SCORE_ADJ 27286
#define RT_ATTR_ROOTLESS_EUID 27287
#define RT_ATTR_UIDMAPPATH 27288
#define RT_ATTR_GIDMAPPATH 27289
#define RT_ATTR_MOUNT_SOURCES 27290
#define RT_ATTR_PROTOCOL_VERSION 27300 /* rt's own: u32 */
#define RT_ATTR_TIME_OFFSETS 27301     /* rt's own: bytes, /proc/PID/timens_offsets text */

#define RT_PROTOCOL_VERSION 1

/* A decoded (or to-be-encoded) bootstrap message.  After decoding, pointers point into
   the caller's buffer.  Strings (ns_paths, uidmappath, gidmappath) are NUL-terminated in
   the blob; byte payloads (uidmap, gidmap, oom_score_adj, mount_sources) are not, and carry
   their length. */
struct rt_bootstrap
{
  bool has_clone_flags;
  uint32_t clone_flags;
  const char *ns_paths; /* "net:/proc/42/ns/net,ipc:..." or NULL */
  const char *uidmap;
  size_t uidmap_len;
  const char *gidmap;
  size_t gidmap_len;
  bool has_setgroup;
  bool setgroup; /* true: "allow", false: "deny" */
  const char *oom_score_adj;
  size_t oom_score_adj_len;
  bool has_rootless_euid;
  bool rootless_euid;
  const char *uidmappath, *gidmappath;
  const void *mount_sources;
  size_t mount_sources_len;
  bool has_version;
  uint32_t version;
  const char *time_offsets; /* written after unsharing the time namespace */
  size_t time_offsets_len;
};

/* Encode with libnl-3: an nlmsghdr of type RT_INIT_MSG, then each attribute that is set
   (has_* or non-NULL), the protocol version always last.  A payload that would not fit a
   16-bit nla_len is refused (CVE-2021-43784).  *out is malloc'ed. */
int rt_bootstrap_encode (const struct rt_bootstrap *b, void **out, size_t *len, rt_error_t *err);

/* Strict decode: rejects a short header, a wrong type, an nlmsg_len that disagrees with
   LEN, an attribute shorter than its header or running past the end, an unknown
   attribute, a duplicate, a wrong payload size, an unterminated string.  Messages name
   the byte offset and the attribute ("offset 40: attribute UIDMAP (27283): ...").
   Does not allocate; does not check the protocol version (the caller does). */
int rt_bootstrap_decode (const void *buf, size_t len, struct rt_bootstrap *b, char *errbuf,
                         size_t errlen);

/* A u16 or u32 at any offset of a blob (netlink numbers are in host order, unaligned
   where a payload is odd-sized): for the decoder and the dump tool. */
static inline uint16_t
rt_blob_u16 (const void *p)
{
  uint16_t v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline uint32_t
rt_blob_u32 (const void *p)
{
  uint32_t v;
  memcpy (&v, p, sizeof v);
  return v;
}

/* "CLONE_FLAGS", "NS_PATHS", ... or NULL. */
const char *rt_bootstrap_attr_name (int type);

/* "CLONE_NEWNS|CLONE_NEWPID" into BUF (unknown bits as 0x...). */
const char *rt_clone_flags_string (uint32_t flags, char *buf, size_t len);

#endif
