/* libFuzzer target: the process.json parser of `rt exec --process` (rt_process_parse), and
   the serializer exec uses to send a process to nsinit (rt_process_to_json): whatever the
   parser accepts must serialize to JSON that the parser accepts again, with the same
   fields, and serializing that gives the same text. */
#define _GNU_SOURCE
#include "fuzz_common.h"
#include "spec.h"

#include <stdint.h>
#include <stdlib.h>

static bool
strv_equal (char **a, size_t na, char **b, size_t nb)
{
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (!fuzz_str_equal (a[i], b[i]))
      return false;
  return true;
}

static void
check_same (const struct rt_process *a, const struct rt_process *b)
{
  FUZZ_ASSERT (a->terminal == b->terminal && a->no_new_privileges == b->no_new_privileges);
  FUZZ_ASSERT (a->user.uid == b->user.uid && a->user.gid == b->user.gid);
  FUZZ_ASSERT (a->user.has_umask == b->user.has_umask && a->user.umask == b->user.umask);
  FUZZ_ASSERT (a->user.n_additional_gids == b->user.n_additional_gids);
  FUZZ_ASSERT (strv_equal (a->args, a->n_args, b->args, b->n_args));
  FUZZ_ASSERT (strv_equal (a->env, a->n_env, b->env, b->n_env));
  FUZZ_ASSERT (fuzz_str_equal (a->cwd, b->cwd));
  FUZZ_ASSERT (
      a->has_caps == b->has_caps
      && strv_equal (a->caps.bounding, a->caps.n_bounding, b->caps.bounding, b->caps.n_bounding)
      && strv_equal (a->caps.effective, a->caps.n_effective, b->caps.effective, b->caps.n_effective)
      && strv_equal (a->caps.inheritable, a->caps.n_inheritable, b->caps.inheritable,
                     b->caps.n_inheritable)
      && strv_equal (a->caps.permitted, a->caps.n_permitted, b->caps.permitted, b->caps.n_permitted)
      && strv_equal (a->caps.ambient, a->caps.n_ambient, b->caps.ambient, b->caps.n_ambient));
  FUZZ_ASSERT (a->n_rlimits == b->n_rlimits);
  for (size_t i = 0; i < a->n_rlimits; i++)
    FUZZ_ASSERT (a->rlimits[i].resource == b->rlimits[i].resource
                 && a->rlimits[i].hard == b->rlimits[i].hard
                 && a->rlimits[i].soft == b->rlimits[i].soft);
  FUZZ_ASSERT (a->has_oom_score_adj == b->has_oom_score_adj
               && a->oom_score_adj == b->oom_score_adj);
  FUZZ_ASSERT (fuzz_str_equal (a->apparmor_profile, b->apparmor_profile)
               && fuzz_str_equal (a->selinux_label, b->selinux_label));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct rt_process *p = NULL, *again = NULL;
  char *json = NULL, *json2 = NULL;
  size_t len, len2;
  rt_error_t err = NULL;

  if (rt_process_parse ((const char *) data, size, &p, &err) < 0)
    {
      FUZZ_ASSERT (p == NULL && err != NULL && err->msg != NULL);
      rt_error_free (&err);
      return 0;
    }
  FUZZ_ASSERT (p != NULL && err == NULL);

  FUZZ_ASSERT (rt_process_to_json (p, &json, &len) == 0);
  if (rt_process_parse (json, len, &again, &err) < 0)
    {
      fprintf (stderr, "the parser refuses the serializer's %s\n  %s\n", json, err->msg);
      abort ();
    }
  check_same (p, again);
  FUZZ_ASSERT (rt_process_to_json (again, &json2, &len2) == 0);
  FUZZ_ASSERT (len == len2 && memcmp (json, json2, len) == 0);
  free (json);
  free (json2);
  rt_process_free (again);
  rt_process_free (p);
  return 0;
}
