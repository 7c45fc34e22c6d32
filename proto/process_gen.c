/* Serialize a process object back to OCI JSON: exec builds its process from the
   container's config plus command-line flags and sends it to nsinit, whose parser
   (rt_process_parse) reads it with the same rules as config.json's "process". */
#define _GNU_SOURCE
#include "spec.h"
#include "jsongen.h"
#include "util.h"

#include <string.h>
#include <yajl/yajl_gen.h>

/* omitempty: no key for a NULL string */
static void
str (yajl_gen g, const char *k, const char *v)
{
  if (v != NULL)
    rt_json_key_str (g, k, v);
}

static void
strv (yajl_gen g, const char *k, char **v, size_t n)
{
  rt_json_str (g, k);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    rt_json_str (g, v[i]);
  yajl_gen_array_close (g);
}

static void
gen_user (yajl_gen g, const struct rt_user *u)
{
  rt_json_str (g, "user");
  yajl_gen_map_open (g);
  rt_json_key_u64 (g, "uid", u->uid);
  rt_json_key_u64 (g, "gid", u->gid);
  if (u->has_umask)
    rt_json_key_u64 (g, "umask", u->umask);
  if (u->n_additional_gids)
    {
      rt_json_str (g, "additionalGids");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < u->n_additional_gids; i++)
        yajl_gen_integer (g, u->additional_gids[i]);
      yajl_gen_array_close (g);
    }
  str (g, "username", u->username);
  yajl_gen_map_close (g);
}

static void
gen_caps (yajl_gen g, const struct rt_caps *c)
{
  rt_json_str (g, "capabilities");
  yajl_gen_map_open (g);
  strv (g, "bounding", c->bounding, c->n_bounding);
  strv (g, "effective", c->effective, c->n_effective);
  strv (g, "inheritable", c->inheritable, c->n_inheritable);
  strv (g, "permitted", c->permitted, c->n_permitted);
  strv (g, "ambient", c->ambient, c->n_ambient);
  yajl_gen_map_close (g);
}

static void
gen_rlimits (yajl_gen g, const struct rt_process *p)
{
  rt_json_str (g, "rlimits");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      yajl_gen_map_open (g);
      str (g, "type", p->rlimits[i].type);
      rt_json_key_u64 (g, "hard", p->rlimits[i].hard);
      rt_json_key_u64 (g, "soft", p->rlimits[i].soft);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

static void
gen_scheduler (yajl_gen g, const struct rt_process *p)
{
  rt_json_str (g, "scheduler");
  yajl_gen_map_open (g);
  str (g, "policy", p->scheduler_policy);
  rt_json_key_int (g, "nice", p->scheduler_nice);
  rt_json_key_int (g, "priority", p->scheduler_priority);
  if (p->n_scheduler_flags)
    strv (g, "flags", p->scheduler_flags, p->n_scheduler_flags);
  rt_json_key_u64 (g, "runtime", p->scheduler_runtime);
  rt_json_key_u64 (g, "deadline", p->scheduler_deadline);
  rt_json_key_u64 (g, "period", p->scheduler_period);
  yajl_gen_map_close (g);
}

int
rt_process_to_json (const struct rt_process *p, char **out, size_t *len)
{
  yajl_gen g = yajl_gen_alloc (NULL);

  if (g == NULL)
    return -1;
  yajl_gen_map_open (g);
  rt_json_key_bool (g, "terminal", p->terminal);
  if (p->has_console_size)
    {
      rt_json_str (g, "consoleSize");
      yajl_gen_map_open (g);
      rt_json_key_u64 (g, "height", p->console_height);
      rt_json_key_u64 (g, "width", p->console_width);
      yajl_gen_map_close (g);
    }
  gen_user (g, &p->user);
  strv (g, "args", p->args, p->n_args);
  str (g, "commandLine", p->command_line);
  strv (g, "env", p->env, p->n_env);
  str (g, "cwd", p->cwd ? p->cwd : "/");
  if (p->has_caps)
    gen_caps (g, &p->caps);
  if (p->n_rlimits)
    gen_rlimits (g, p);
  rt_json_key_bool (g, "noNewPrivileges", p->no_new_privileges);
  str (g, "apparmorProfile", p->apparmor_profile);
  if (p->has_oom_score_adj)
    {
      rt_json_key_int (g, "oomScoreAdj", p->oom_score_adj);
    }
  str (g, "selinuxLabel", p->selinux_label);
  if (p->has_io_priority)
    {
      rt_json_str (g, "ioPriority");
      yajl_gen_map_open (g);
      str (g, "class", p->io_priority_class);
      rt_json_key_int (g, "priority", p->io_priority);
      yajl_gen_map_close (g);
    }
  if (p->has_scheduler)
    gen_scheduler (g, p);
  if (p->exec_cpu_affinity_initial || p->exec_cpu_affinity_final)
    {
      rt_json_str (g, "execCPUAffinity");
      yajl_gen_map_open (g);
      str (g, "initial", p->exec_cpu_affinity_initial);
      str (g, "final", p->exec_cpu_affinity_final);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  *out = rt_json_take (g, len);
  return 0;
}
