/* The init config: what rt sends nsinit's main().  Round trip, and a strict decoder. */
#define _GNU_SOURCE
#include "initconfig.h"
#include "tap.h"
#include "util.h"

#include <string.h>

static const char doc[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
                          "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]}}";

/* OPTS, a NUL, then the config document. */
static int
decode (const char *opts, struct rt_init_config **c, rt_error_t *err)
{
  size_t n = strlen (opts);
  cleanup_free char *buf = xmalloc (n + 1 + sizeof doc);
  memcpy (buf, opts, n + 1);
  memcpy (buf + n + 1, doc, sizeof doc - 1);
  return rt_init_config_decode (buf, n + sizeof doc, c, err);
}

static void
rejects (const char *opts, const char *want)
{
  cleanup_error rt_error_t err = NULL;
  struct rt_init_config *c = NULL;
  ok (decode (opts, &c, &err) < 0 && c == NULL, "rejects %s", opts);
  is_str (err ? err->msg : NULL, want, "message for %s", opts);
}

int
main (void)
{
  struct rt_init_config in = { .id = "c1",
                               .rootfs = "/b/rootfs",
                               .bundle = "/b",
                               .no_pivot = true,
                               .console_fd = 7,
                               .preserve_fds = 2,
                               .fifo_fd = 9,
                               .null_fd = -1 };
  struct rt_init_config *out = NULL;
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *buf = NULL;
  size_t len;

  ok (rt_init_config_encode (&in, doc, strlen (doc), &buf, &len, &err) == 0, "encodes");
  ok (rt_init_config_decode (buf, len, &out, &err) == 0, "decodes%s%s", err ? ": " : "",
      err ? err->msg : "");
  if (out)
    {
      is_str (out->id, "c1", "id");
      is_str (out->rootfs, "/b/rootfs", "rootfs");
      ok (out->no_pivot && !out->no_new_keyring && !out->setns, "booleans");
      ok (out->console_fd == 7 && out->preserve_fds == 2 && out->fifo_fd == 9, "fds");
      ok (out->spec && out->process == &out->spec->process, "the document is the spec");
      is_str (out->process->args[0], "sh", "process.args[0]");
    }
  rt_init_config_free (out);

  rejects ("{\"id\":\"c\",\"bogus\":1}", "init config: unknown key \"bogus\"");
  rejects ("{\"id\":\"c\",\"id\":\"d\"}", "init config: duplicate key \"id\"");
  rejects ("{\"id\":\"c\",\"setns\":1}", "init config: setns: want a boolean");
  rejects ("{\"id\":3}", "init config: id: want a string");
  rejects ("{\"id\":\"c\",\"fifoFd\":4294967296}",
           "init config: fifoFd: 4294967296 is out of range");
  rejects ("{\"id\":\"c\",\"consoleFd\":-2}", "init config: consoleFd: -2 is out of range");
  rejects ("{\"id\":\"c\",\"preserveFds\":-1}", "init config: preserveFds: -1 is out of range");
  rejects ("{\"id\":\"c\",\"preserveFds\":\"2\"}", "init config: preserveFds: want an integer");
  rejects ("{}", "init config: no id");
  rejects ("[]", "init config: not an object");
  {
    cleanup_error rt_error_t e = NULL;
    struct rt_init_config *c = NULL;
    ok (rt_init_config_decode ("{\"id\":\"c\"}", 10, &c, &e) < 0 && c == NULL,
        "no document after the options");
  }
  return tap_done ();
}
