/* /proc/PID/mountinfo, read one way by rt and nsinit (proc(5)):
   "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS".
   The kernel escapes space, tab, newline and backslash in paths as \ooo; every field
   handed out here is unescaped. */
#ifndef RT_MOUNTINFO_H
#define RT_MOUNTINFO_H

#include <stdio.h>

struct rt_mountinfo
{
  int id, parent;
  const char *dev; /* "MAJ:MIN" */
  const char *root, *mountpoint, *options;
  const char *optional; /* "shared:1 master:2", or "" */
  const char *fstype, *source, *superopts;
};

/* The next entry of F (opened on a mountinfo file); its strings live in *LINE (getline's
   buffer, *CAP its size) until the next call.  1 = an entry, 0 = end of file.  Malformed
   lines are skipped. */
int rt_mountinfo_next (FILE *f, char **line, size_t *cap, struct rt_mountinfo *m);

/* The mount point of the first FSTYPE mount in /proc/self/mountinfo (malloc'ed), or NULL. */
char *rt_mountinfo_fstype_mount (const char *fstype);

/* Parse one line in place (exposed for the unit test).  0, or -1 if malformed. */
int rt_mountinfo_parse (char *line, struct rt_mountinfo *m);

/* Undo the kernel's \ooo escapes in place. */
void rt_mountinfo_unescape (char *s);

#endif
