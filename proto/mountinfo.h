/* /proc/PID/mountinfo, read one way by rt and nsinit (proc(5)):
   "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS".
   The kernel escapes space, tab, newline and backslash in paths as \ooo; every field
   handed out here is unescaped. */
#ifndef RT_MOUNTINFO_H
#define RT_MOUNTINFO_H

#include "error.h"

#include <stdio.h>

struct rt_mountinfo
{
  int id, parent;
  const char *dev; /* "MAJ:MIN" */
  const char *root, *mountpoint, *options;
  const char *optional; /* "shared:1 master:2", or "" */
  const char *fstype, *source, *superopts;
};

/* /proc/self/mountinfo opened for reading entry by entry, with getline's buffer. */
struct rt_mountinfo_reader
{
  FILE *f;
  char *line;
  size_t cap;
};

/* 0, or -1 with ERR ("open /proc/self/mountinfo: ..."). */
int rt_mountinfo_open (struct rt_mountinfo_reader *r, rt_error_t *err);

/* The next entry; its strings live in the reader's buffer until the next call.  1 = an
   entry, 0 = end of file.  Malformed lines are skipped. */
int rt_mountinfo_next (struct rt_mountinfo_reader *r, struct rt_mountinfo *m);

void rt_mountinfo_close (struct rt_mountinfo_reader *r);
#define cleanup_mountinfo __attribute__ ((cleanup (rt_mountinfo_close)))

/* The mount point of the first FSTYPE mount in /proc/self/mountinfo (malloc'ed), or NULL. */
char *rt_mountinfo_fstype_mount (const char *fstype);

/* Parse one line in place (exposed for the unit test).  0, or -1 if malformed. */
int rt_mountinfo_parse (char *line, struct rt_mountinfo *m);

/* Undo the kernel's \ooo escapes in place. */
void rt_mountinfo_unescape (char *s);

#endif
