/* The hooks that run inside the container's namespaces, from its init: createContainer
   (before pivot_root, in the rootfs as runc) and startContainer (just before the user
   process), through the shared runner (proto/hook.c).  Each hook gets the OCI state on
   stdin, with the pid as the container sees it. */
#define _GNU_SOURCE
#include "hook.h"
#include "init.h"
#include "nslog.h"
#include "util.h"

#include <string.h>
#include <unistd.h>

/* rt sends the state with the init's host pid; runtime.md: hooks in the container
   namespace get the pid as seen by the container.  rt writes "pid" right after "id" (a
   validated id: no quote in it), so the first "pid": key is the one. */
static char *
state_in_container (const char *state)
{
  const char *key = state ? strstr (state, "\"pid\":") : NULL;
  const char *num, *end;

  if (key == NULL)
    return xstrdup (state ? state : "");
  num = key + strlen ("\"pid\":");
  end = num + strspn (num, "0123456789");
  return xasprintf ("%.*s%d%s", (int) (num - state), state, (int) getpid (), end);
}

int
hooks_run (const struct rt_hook *hooks, size_t n, const char *kind, const char *state, int cwd_fd,
           char *const *env, rt_error_t *err)
{
  cleanup_free char *ours = n > 0 ? state_in_container (state) : NULL;
  char *const empty_env[] = { NULL };

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
