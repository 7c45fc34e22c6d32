/* OCI hooks run by rt (prestart, createRuntime, poststart, poststop): each list in
   order through the shared runner (proto/hook.c), a hook without env getting rt's own
   environment, as Go's exec does. */
#define _GNU_SOURCE
#include "rt.h"
#include "hook.h"

static const char *const kind_names[RT_HOOK_KINDS] = {
  [RT_HOOK_PRESTART] = "prestart",
  [RT_HOOK_CREATE_RUNTIME] = "createRuntime",
  [RT_HOOK_CREATE_CONTAINER] = "createContainer",
  [RT_HOOK_START_CONTAINER] = "startContainer",
  [RT_HOOK_POSTSTART] = "poststart",
  [RT_HOOK_POSTSTOP] = "poststop",
};

/* Run the hooks of KIND in order.  ALL: a failure is a warning and the rest still run
   (poststop, runtime.md step 13); otherwise the first failure stops the list. */
static int
run_kind (const struct rt_spec *spec, enum rt_hook_kind kind, const char *state_json, bool all,
          rt_error_t *err)
{
  if (spec == NULL || (unsigned) kind >= RT_HOOK_KINDS || spec->hooks.n_hooks[kind] == 0)
    return 0;
  for (size_t i = 0; i < spec->hooks.n_hooks[kind]; i++)
    {
      const struct rt_hook *h = &spec->hooks.hooks[kind][i];
      cleanup_free char *what = xasprintf ("%s hook #%zu (%s)", kind_names[kind], i, h->path);
      cleanup_free char *output = NULL;
      cleanup_error rt_error_t herr = NULL;

      rt_log (RT_LOG_DEBUG, "running %s", what);
      if (rt_hook_exec (h, what, state_json, -1, NULL, &output, all ? &herr : err) < 0)
        {
          if (!all)
            return -1;
          rt_log (RT_LOG_WARN, "%s", herr->msg);
        }
      else if (*output != '\0')
        rt_log (RT_LOG_DEBUG, "%s%s", what, output);
    }
  return 0;
}

int
rt_hooks_run (const struct rt_spec *spec, enum rt_hook_kind kind, const char *state_json,
              rt_error_t *err)
{
  return run_kind (spec, kind, state_json, false, err);
}

void
rt_hooks_run_all (const struct rt_spec *spec, enum rt_hook_kind kind, const char *state_json)
{
  run_kind (spec, kind, state_json, true, NULL);
}
