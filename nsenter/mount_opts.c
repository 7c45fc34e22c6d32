/* The mount options of config.md "mounts" (mount(8)'s names, OCI 1.1's recursive ones,
   idmap): the one table, parsed into struct mount_opts (init.h) with no system call, so
   unit tests link it (rtinit).  scripts/gen-mount-options.sh reads the table for
   `rt features`. */
#define _GNU_SOURCE
#include "init.h"
#include "linux_attrs.h"
#include "util.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>

enum opt_kind
{
  OPT_SET,   /* set FLAG */
  OPT_CLEAR, /* clear FLAG */
  OPT_PROPAGATION,
  OPT_BIND,
  OPT_IGNORE,
  OPT_REC_SET,   /* recursive: mount_setattr attr_set FLAG (MOUNT_ATTR_*) */
  OPT_REC_CLEAR, /* recursive: attr_clr FLAG */
  OPT_REC_ATIME, /* recursive: the atime mode FLAG (attr_clr gets MOUNT_ATTR__ATIME) */
  OPT_COPYUP,
  OPT_IDMAP, /* FLAG: AT_RECURSIVE for "ridmap" */
};

struct opt
{
  const char *name;
  enum opt_kind kind;
  unsigned long flag;
};

static const struct opt mount_options[] = {
  { "defaults", OPT_IGNORE, 0 },
  { "ro", OPT_SET, MS_RDONLY },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "nodev", OPT_SET, MS_NODEV },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "sync", OPT_SET, MS_SYNCHRONOUS },
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "remount", OPT_SET, MS_REMOUNT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "noatime", OPT_SET, MS_NOATIME },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "relatime", OPT_SET, MS_RELATIME },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "strictatime", OPT_SET, MS_STRICTATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "silent", OPT_SET, MS_SILENT },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "bind", OPT_BIND, MS_BIND },
  { "rbind", OPT_BIND, MS_BIND | MS_REC },
  { "private", OPT_PROPAGATION, MS_PRIVATE },
  { "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
  { "shared", OPT_PROPAGATION, MS_SHARED },
  { "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
  { "slave", OPT_PROPAGATION, MS_SLAVE },
  { "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
  { "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
  { "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
  { "tmpcopyup", OPT_COPYUP, 0 },
  { "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
  { "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
  /* OCI 1.1 recursive options: applied to the whole subtree with mount_setattr. */
  { "rro", OPT_REC_SET, MOUNT_ATTR_RDONLY },
  { "rrw", OPT_REC_CLEAR, MOUNT_ATTR_RDONLY },
  { "rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID },
  { "rsuid", OPT_REC_CLEAR, MOUNT_ATTR_NOSUID },
  { "rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV },
  { "rdev", OPT_REC_CLEAR, MOUNT_ATTR_NODEV },
  { "rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC },
  { "rexec", OPT_REC_CLEAR, MOUNT_ATTR_NOEXEC },
  { "rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME },
  { "rdiratime", OPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME },
  { "rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "rsymfollow", OPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },
  /* The atime mode is one value, not bits: the "no" forms pick the kernel's other modes. */
  { "rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rnorelatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME },
  { "ratime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rnostrictatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "idmap", OPT_IDMAP, 0 },
  { "ridmap", OPT_IDMAP, AT_RECURSIVE },
};

static const struct opt *
opt_find (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (mount_options); i++)
    if (strcmp (mount_options[i].name, name) == 0)
      return &mount_options[i];
  return NULL;
}

void
mount_opts_add_data (struct mount_opts *o, const char *opt)
{
  char *d = o->data ? xasprintf ("%s,%s", o->data, opt) : xstrdup (opt);
  free (o->data);
  o->data = d;
}

int
mount_opts_parse (const struct rt_mount *m, struct mount_opts *o, rt_error_t *err)
{
  memset (o, 0, sizeof *o);
  o->source_fd = -1;
  o->bind = m->type && strcmp (m->type, "bind") == 0;
  /* config.md: mappings without idmap/ridmap still ask for an idmapped mount */
  if (m->n_uid_mappings || m->n_gid_mappings)
    o->idmap = m;
  for (size_t i = 0; i < m->n_options; i++)
    {
      const struct opt *opt = opt_find (m->options[i]);

      if (opt == NULL)
        {
          mount_opts_add_data (o, m->options[i]); /* for the file system to parse */
          continue;
        }
      switch (opt->kind)
        {
          case OPT_SET:
            o->flags |= opt->flag;
            break;
          case OPT_CLEAR:
            o->flags &= ~opt->flag;
            break;
          case OPT_BIND:
            o->bind = true;
            o->rec |= (opt->flag & MS_REC) != 0;
            break;
          case OPT_PROPAGATION:
            if (o->n_propagation == ARRAY_SIZE (o->propagation))
              return rt_error (err, 0, "mount \"%s\": too many propagation options",
                               m->destination);
            o->propagation[o->n_propagation++] = opt->flag;
            break;
          case OPT_REC_SET:
            o->attr_set |= opt->flag;
            o->attr_clr &= ~(uint64_t) opt->flag;
            break;
          case OPT_REC_CLEAR:
            o->attr_clr |= opt->flag;
            o->attr_set &= ~(uint64_t) opt->flag;
            break;
          case OPT_REC_ATIME:
            o->attr_set = (o->attr_set & ~(uint64_t) MOUNT_ATTR__ATIME) | opt->flag;
            o->attr_clr |= MOUNT_ATTR__ATIME;
            break;
          case OPT_IGNORE:
            break;
          case OPT_COPYUP:
            o->copyup = true;
            break;
          case OPT_IDMAP:
            o->idmap = m;
            o->idmap_rec |= opt->flag != 0;
            break;
        }
    }
  return 0;
}

void
mount_opts_free (struct mount_opts *o)
{
  free (o->data);
  o->data = NULL;
}
