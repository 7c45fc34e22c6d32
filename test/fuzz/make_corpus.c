/* Writes the seed blobs of test/fuzz/corpus that only rt's encoders can make:
     fuzz-make-corpus OUTDIR CONFIG.json PROCESS.json
   OUTDIR/bootstrap:  bootstrap messages from rt_bootstrap_encode (create, exec, rootless);
   OUTDIR/bootstrap_roundtrip:  inputs in fuzz_bootstrap_roundtrip.c's format;
   OUTDIR/init_config:  rt_init_config_encode of a standard and a setns init. */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "initconfig.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int
put (const char *dir, const char *sub, const char *name, const void *data, size_t len)
{
  cleanup_free char *d = xasprintf ("%s/%s", dir, sub);
  cleanup_free char *path = xasprintf ("%s/%s", d, name);
  rt_error_t err = NULL;

  if (mkdir_p (d, 0755, &err) < 0 || write_file (path, data, len, 0644, &err) < 0)
    {
      fprintf (stderr, "fuzz-make-corpus: %s\n", err->msg);
      rt_error_free (&err);
      return -1;
    }
  return 0;
}

static int
put_blob (const char *dir, const char *name, const struct rt_bootstrap *b)
{
  cleanup_free void *blob = NULL;
  rt_error_t err = NULL;
  size_t len;

  if (rt_bootstrap_encode (b, &blob, &len, &err) < 0)
    {
      fprintf (stderr, "fuzz-make-corpus: %s: %s\n", name, err->msg);
      rt_error_free (&err);
      return -1;
    }
  return put (dir, "bootstrap", name, blob, len);
}

static int
bootstrap_seeds (const char *dir)
{
  static const char uidmap[] = "0 1000 1\n1 100000 65536\n", gidmap[] = "0 1000 1\n";
  const struct rt_bootstrap create
      = { .has_clone_flags = true,
          .clone_flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET,
          .oom_score_adj = "-500",
          .oom_score_adj_len = 4 };
  const struct rt_bootstrap exec
      = { .has_clone_flags = true,
          .ns_paths = "user:/proc/42/ns/user,ipc:/proc/42/ns/ipc,uts:/proc/42/ns/uts,"
                      "net:/proc/42/ns/net,pid:/proc/42/ns/pid,mnt:/proc/42/ns/mnt" };
  const struct rt_bootstrap rootless = { .has_clone_flags = true,
                                         .clone_flags = CLONE_NEWUSER | CLONE_NEWNS,
                                         .uidmap = uidmap,
                                         .uidmap_len = strlen (uidmap),
                                         .gidmap = gidmap,
                                         .gidmap_len = strlen (gidmap),
                                         .has_setgroup = true,
                                         .setgroup = false,
                                         .has_rootless_euid = true,
                                         .rootless_euid = true,
                                         .uidmappath = "/usr/bin/newuidmap",
                                         .gidmappath = "/usr/bin/newgidmap",
                                         .mount_sources = "\0\0",
                                         .mount_sources_len = 2 };
  const struct rt_bootstrap empty = { 0 };

  return put_blob (dir, "create.bin", &create) | put_blob (dir, "exec.bin", &exec)
         | put_blob (dir, "rootless.bin", &rootless) | put_blob (dir, "empty.bin", &empty);
}

/* fuzz_bootstrap_roundtrip.c's format: u16 field bits, u8 bools, u32 clone flags, u32
   version, then per set payload field a u16 header (< 0xf000: that many bytes follow;
   >= 0xf000: a generated run at the nla_len limit, one fill byte follows). */
static int
roundtrip_seeds (const char *dir)
{
  static const unsigned char all[] = {
    0xff, 0x07, 0x01, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x00, 0x00, /* all, flags, v1 */
    4,    0,    'n',  'e',  't',  ':',                                /* ns_paths */
    6,    0,    '0',  ' ',  '0',  ' ',  '1',  '\n',                   /* uidmap */
    6,    0,    '0',  ' ',  '0',  ' ',  '1',  '\n',                   /* gidmap */
    3,    0,    '-',  '1',  '0',                                      /* oom_score_adj */
    2,    0,    '/',  'u',                                            /* uidmappath */
    2,    0,    '/',  'g',                                            /* gidmappath */
    2,    0,    0,    1,                                              /* mount_sources */
  };
  /* uidmap at 65530 bytes (fits exactly) and gidmap at 65531 (one too many). */
  static const unsigned char edge[]
      = { 0x0c, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xf0, 'a', 0x10, 0xf0, 'b' };
  static const unsigned char fits[] = { 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xf0, 'a' };

  return put (dir, "bootstrap_roundtrip", "all.bin", all, sizeof all)
         | put (dir, "bootstrap_roundtrip", "edge.bin", edge, sizeof edge)
         | put (dir, "bootstrap_roundtrip", "fits.bin", fits, sizeof fits);
}

static int
init_config_seed (const char *dir, const char *name, const struct rt_init_config *c,
                  const char *doc_path)
{
  cleanup_free char *doc = NULL, *buf = NULL;
  rt_error_t err = NULL;
  size_t doc_len, len;

  if (read_file (doc_path, &doc, &doc_len, &err) < 0
      || rt_init_config_encode (c, doc, doc_len, &buf, &len, &err) < 0)
    {
      fprintf (stderr, "fuzz-make-corpus: %s\n", err->msg);
      rt_error_free (&err);
      return -1;
    }
  return put (dir, "init_config", name, buf, len);
}

int
main (int argc, char **argv)
{
  struct rt_init_config standard = { .id = "ctr1",
                                     .rootfs = "/var/lib/rt/bundle/rootfs",
                                     .bundle = "/var/lib/rt/bundle",
                                     .console_fd = -1,
                                     .fifo_fd = 5,
                                     .null_fd = -1 };
  struct rt_init_config setns = { .id = "ctr1",
                                  .setns = true,
                                  .no_new_keyring = true,
                                  .console_fd = 7,
                                  .preserve_fds = 2,
                                  .fifo_fd = -1,
                                  .null_fd = -1 };

  if (argc != 4)
    {
      fprintf (stderr, "usage: fuzz-make-corpus OUTDIR CONFIG.json PROCESS.json\n");
      return 2;
    }
  return bootstrap_seeds (argv[1]) | roundtrip_seeds (argv[1])
         | init_config_seed (argv[1], "standard.bin", &standard, argv[2])
         | init_config_seed (argv[1], "setns.bin", &setns, argv[3]);
}
