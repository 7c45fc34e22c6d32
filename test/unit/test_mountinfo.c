/* The one mountinfo reader: fields, the optional tags, and the kernel's \ooo escapes. */
#define _GNU_SOURCE
#include "mountinfo.h"
#include "tap.h"

#include <stdlib.h>

int
main (void)
{
  struct rt_mountinfo m;
  char l1[] = "36 35 98:0 /mnt1 /mnt\\040with\\040space rw,noatime master:1 shared:7 - ext3 "
              "/dev/root rw,errors=continue\n";
  char l2[] = "22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw";
  char l3[] = "40 30 0:5 /a\\134b /x\\011y\\012z rw - tmpfs a\\040b rw";
  char bad1[] = "36 35 98:0 /mnt1 /mnt rw";
  char bad2[] = "x 35 98:0 / /mnt rw - tmpfs tmpfs rw";

  ok (rt_mountinfo_parse (l1, &m) == 0, "a line with optional fields parses");
  ok (m.id == 36 && m.parent == 35, "ids");
  is_str (m.dev, "98:0", "device");
  is_str (m.root, "/mnt1", "root");
  is_str (m.mountpoint, "/mnt with space", "mount point: \\040 is a space");
  is_str (m.options, "rw,noatime", "per-mount options");
  is_str (m.optional, "master:1 shared:7", "optional fields");
  is_str (m.fstype, "ext3", "fstype");
  is_str (m.source, "/dev/root", "source");
  is_str (m.superopts, "rw,errors=continue", "super options, without the newline");

  ok (rt_mountinfo_parse (l2, &m) == 0, "a line without optional fields parses");
  is_str (m.optional, "", "no optional fields");
  is_str (m.mountpoint, "/sys", "mount point");

  ok (rt_mountinfo_parse (l3, &m) == 0, "escaped backslash, tab and newline");
  is_str (m.root, "/a\\b", "\\134 is a backslash");
  is_str (m.mountpoint, "/x\ty\nz", "\\011 and \\012");
  is_str (m.source, "a b", "the source is unescaped too");

  ok (rt_mountinfo_parse (bad1, &m) < 0, "no separator: malformed");
  ok (rt_mountinfo_parse (bad2, &m) < 0, "a non-numeric id: malformed");

  /* this process's own mounts: proc is at /proc, and no file system is called "nosuchfs" */
  {
    char *proc = rt_mountinfo_fstype_mount ("proc"), *none = rt_mountinfo_fstype_mount ("nosuchfs");
    is_str (proc, "/proc", "the first proc mount is /proc");
    ok (none == NULL, "no mount of an unknown fstype");
    free (proc);
  }

  /* the reader: every entry of this process's mountinfo, the root among them */
  {
    cleanup_mountinfo struct rt_mountinfo_reader r = { 0 };
    rt_error_t err = NULL;
    int n = 0, root = 0;

    ok (rt_mountinfo_open (&r, &err) == 0 && err == NULL, "open /proc/self/mountinfo");
    while (rt_mountinfo_next (&r, &m))
      {
        n++;
        root += strcmp (m.mountpoint, "/") == 0;
      }
    ok (n > 1 && root >= 1, "entries read (%d), / among them", n);
    ok (rt_mountinfo_next (&r, &m) == 0, "0 at the end, again");
  }
  return tap_done ();
}
