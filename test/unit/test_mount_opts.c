/* The init's mount option parser (nsenter/mount_opts.c, linked through rtinit): flags set
   and cleared in order, bind and rbind, propagation in order, OCI 1.1's recursive
   options, tmpcopyup, idmap, and what is left for the file system. */
#define _GNU_SOURCE
#include "init.h"
#include "tap.h"
#include "util.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>

/* Parse the options OPTS (NULL-terminated) of a mount of TYPE. */
static int
parse (const char *type, char **opts, struct mount_opts *o)
{
  struct rt_mount m = { .destination = "/mnt", .type = (char *) type, .options = opts };
  cleanup_error rt_error_t err = NULL;

  m.n_options = strv_len (opts);
  return mount_opts_parse (&m, o, &err);
}

int
main (void)
{
  struct mount_opts o;
  char *flags[] = { "ro", "nosuid", "nodev", "rw", "noexec", NULL };
  char *bind[] = { "rbind", "rprivate", "shared", NULL };
  char *data[] = { "mode=755", "nosuid", "size=64k", "defaults", NULL };
  char *rec[] = { "rro", "rnosuid", "rrw", "rnoatime", NULL };
  char *misc[] = { "tmpcopyup", "ridmap", "nosymfollow", NULL };
  char *many[10] = { "private", "private", "private", "private", "private",
                     "private", "private", "private", "private", NULL };

  ok (parse ("tmpfs", flags, &o) == 0 && o.flags == (MS_NOSUID | MS_NODEV | MS_NOEXEC) && !o.bind
          && o.data == NULL,
      "flags set and cleared in order: ro then rw is rw");
  mount_opts_free (&o);

  ok (parse (NULL, bind, &o) == 0 && o.bind && o.rec && o.n_propagation == 2
          && o.propagation[0] == (MS_PRIVATE | MS_REC) && o.propagation[1] == MS_SHARED,
      "rbind is a recursive bind; propagation kept in order");
  mount_opts_free (&o);

  ok (parse ("bind", (char *[]){ NULL }, &o) == 0 && o.bind && !o.rec && o.source_fd == -1,
      "type bind without options is a bind, not recursive, with no source fd");
  mount_opts_free (&o);

  ok (parse ("tmpfs", data, &o) == 0 && o.flags == MS_NOSUID, "known options are flags");
  is_str (o.data, "mode=755,size=64k", "unknown options are the file system's data, in order");
  mount_opts_free (&o);
  ok (o.data == NULL, "mount_opts_free clears the data");

  ok (parse (NULL, rec, &o) == 0 && o.attr_set == (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME)
          && o.attr_clr == (MOUNT_ATTR_RDONLY | MOUNT_ATTR__ATIME) && o.flags == 0,
      "recursive options: rrw undoes rro; rnoatime replaces the atime mode");
  mount_opts_free (&o);

  ok (parse (NULL, misc, &o) == 0 && o.copyup && o.idmap != NULL && o.idmap_rec
          && o.flags == MS_NOSYMFOLLOW,
      "tmpcopyup, ridmap and nosymfollow");
  mount_opts_free (&o);

  ok (parse (NULL, many, &o) < 0, "more propagation options than there is room for: an error");
  mount_opts_free (&o);
  return tap_done ();
}
