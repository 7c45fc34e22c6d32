/* Names for the bootstrap message: attribute numbers and clone flags.  libc only (nsinit's
   constructor uses these in its error messages). */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "util.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const char *
rt_bootstrap_attr_name (int type)
{
  switch (type)
    {
      case RT_ATTR_CLONE_FLAGS:
        return "CLONE_FLAGS";
      case RT_ATTR_NS_PATHS:
        return "NS_PATHS";
      case RT_ATTR_UIDMAP:
        return "UIDMAP";
      case RT_ATTR_GIDMAP:
        return "GIDMAP";
      case RT_ATTR_SETGROUP:
        return "SETGROUP";
      case RT_ATTR_OOM_SCORE_ADJ:
        return "OOM_SCORE_ADJ";
      case RT_ATTR_ROOTLESS_EUID:
        return "ROOTLESS_EUID";
      case RT_ATTR_UIDMAPPATH:
        return "UIDMAPPATH";
      case RT_ATTR_GIDMAPPATH:
        return "GIDMAPPATH";
      case RT_ATTR_MOUNT_SOURCES:
        return "MOUNT_SOURCES";
      case RT_ATTR_PROTOCOL_VERSION:
        return "PROTOCOL_VERSION";
      case RT_ATTR_TIME_OFFSETS:
        return "TIME_OFFSETS";
      default:
        return NULL;
    }
}

static const struct
{
  uint32_t flag;
  const char *name;
} clone_flag_names[] = {
  { CLONE_NEWNS, "CLONE_NEWNS" },         { CLONE_NEWUTS, "CLONE_NEWUTS" },
  { CLONE_NEWIPC, "CLONE_NEWIPC" },       { CLONE_NEWUSER, "CLONE_NEWUSER" },
  { CLONE_NEWPID, "CLONE_NEWPID" },       { CLONE_NEWNET, "CLONE_NEWNET" },
  { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" }, { CLONE_NEWTIME, "CLONE_NEWTIME" },
};

/* Append "|WORD" (or "WORD" first) to BUF at *POS; on overflow the result is truncated
   but stays NUL-terminated. */
static void
append (char *buf, size_t len, size_t *pos, const char *word)
{
  int n;

  if (*pos >= len)
    return;
  n = snprintf (buf + *pos, len - *pos, "%s%s", *pos ? "|" : "", word);
  if (n > 0)
    *pos += (size_t) n;
}

const char *
rt_clone_flags_string (uint32_t flags, char *buf, size_t len)
{
  size_t pos = 0, i;
  uint32_t unknown = flags;
  char hex[16];

  if (buf == NULL || len == 0)
    return buf;
  buf[0] = '\0';
  if (flags == 0)
    {
      snprintf (buf, len, "0");
      return buf;
    }
  for (i = 0; i < ARRAY_SIZE (clone_flag_names); i++)
    if (flags & clone_flag_names[i].flag)
      {
        append (buf, len, &pos, clone_flag_names[i].name);
        unknown &= ~clone_flag_names[i].flag;
      }
  if (unknown)
    {
      snprintf (hex, sizeof hex, "0x%x", unknown);
      append (buf, len, &pos, hex);
    }
  return buf;
}
