/* The hooks that run inside the container's namespaces, from its init: createContainer
   (before pivot_root, in the rootfs as runc) and startContainer (just before the user
   process), through the shared runner (proto/hook.c).  Each hook gets the OCI state on
   stdin, with the pid as the container sees it. */
#define _GNU_SOURCE
#include "hook.h"
#include "init.h"
#include "jsongen.h"
#include "nslog.h"
#include "util.h"

#include <string.h>
#include <unistd.h>

/* rt sends the state with the init's host pid; runtime.md: hooks in the container
   namespace get the pid as seen by the container.  The same document with that pid. */
static int
state_in_container (const char *state, char **out, rt_error_t *err)
{
  char errbuf[128] = "";
  yajl_val root = yajl_tree_parse (state ? state : "", errbuf, sizeof errbuf);
  yajl_gen g;

  if (!YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      errbuf[strcspn (errbuf, "\n")] = '\0';
      return rt_error (err, 0, "the state from rt: %s", errbuf[0] ? errbuf : "not an object");
    }
  g = yajl_gen_alloc (NULL);
  yajl_gen_map_open (g);
  for (size_t i = 0; i < root->u.object.len; i++)
    {
      rt_json_str (g, root->u.object.keys[i]);
      if (strcmp (root->u.object.keys[i], "pid") == 0)
        yajl_gen_integer (g, getpid ());
      else
        rt_json_value (g, root->u.object.values[i]);
    }
  yajl_gen_map_close (g);
  yajl_tree_free (root);
  *out = rt_json_take (g, NULL);
  return 0;
}

int
hooks_run (const struct rt_hook *hooks, size_t n, const char *kind, const char *state, int cwd_fd,
           char *const *env, rt_error_t *err)
{
  cleanup_free char *ours = NULL;
  char *const empty_env[] = { NULL };

  if (n > 0 && state_in_container (state, &ours, err) < 0)
    return rt_error_wrap (err, "%s hooks", kind);
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *what = xasprintf ("%s hook %zu (%s)", kind, i, hooks[i].path);
      cleanup_free char *output = NULL;

      nsdebug ("running %s", what);
      if (rt_hook_exec (&hooks[i], what, ours, cwd_fd, env ? env : empty_env, &output, err) < 0)
        return -1;
      if (*output != '\0')
        nsdebug ("%s%s", what, output);
    }
  return 0;
}
