/* rt exec: the same stub as create, with init type "setns": the bootstrap message
   carries the paths of the container init's namespaces (user first), nsinit joins them
   and its init applies the process (user, caps, rlimits, no_new_privs, cwd) and execs.
   The process lands in the container's cgroup through stage 0, before any clone. */
#define _GNU_SOURCE
#include "rt.h"
#include "launch.h"
#include "linux_fields.h"
#include "seccomp_filter.h"
#include "seccomp_notify.h"
#include "session.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Every namespace the container has (made or joined), taken through the init's pidfd
   (the init checked by pid and start time, so never a process that reused its pid) and
   handed to nsinit as fds. */
static int
open_namespaces (const struct rt_container *c, struct rt_fd_list *ns, rt_error_t *err)
{
  const struct rt_linux *l = &c->spec->linux_;
  cleanup_close int pidfd = -1;

  ns->fds = xcalloc (l->n_namespaces + 1, sizeof (int));
  if (rt_container_pidfd (c, &pidfd, err) < 0)
    return -1;
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      int fd = rt_pidfd_ns (pidfd, c->pid, l->namespaces[i].type, err);

      if (fd < 0)
        return rt_error_wrap (err, "join the container's namespaces");
      ns->fds[ns->n++] = fd;
    }
  return 0;
}

static int
exec_bootstrap (const struct rt_container *c, const struct rt_process *p, const int *ns_fds,
                void **blob, size_t *len, rt_error_t *err)
{
  const struct rt_linux *l = &c->spec->linux_;
  struct rt_bootstrap b
      = { .has_clone_flags = true, .has_version = true, .version = RT_PROTOCOL_VERSION };
  cleanup_free char *paths = rt_ns_join_paths (l, ns_fds), *oom = NULL;

  b.ns_paths = paths;
  if (p->has_oom_score_adj)
    {
      oom = xasprintf ("%d", p->oom_score_adj);
      b.oom_score_adj = oom;
      b.oom_score_adj_len = strlen (oom);
    }
  if (rt_bootstrap_encode (&b, blob, len, err) < 0)
    return rt_error_wrap (err, "encode bootstrap message");
  return rt_bootstrap_dump_env (*blob, *len, err);
}

static int
parse_user (const char *s, struct rt_user *u, rt_error_t *err)
{
  cleanup_free char *copy = xstrdup (s);
  char *colon = strchr (copy, ':');
  uint32_t uid, gid = u->gid;
  int r;

  if (colon)
    *colon = '\0';
  r = parse_user_id (copy, &uid);
  if (r == 0 && colon)
    r = parse_user_id (colon + 1, &gid);
  if (r == -ERANGE)
    return rt_error (err, 0, "--user %s: %s", s, RT_ID_RANGE_MSG);
  if (r < 0)
    return rt_error (err, 0, "invalid --user \"%s\": want UID[:GID] (numbers)", s);
  u->uid = uid;
  u->gid = gid;
  return 0;
}

/* -e KEY=VALUE replaces KEY where the config has it, else is appended: runc's init sets
   them one by one with Go's os.Setenv. */
static int
merge_env (char **base, size_t n_base, char **add, size_t n_add, char ***out, size_t *n,
           rt_error_t *err)
{
  char **r = xcalloc (n_base + n_add + 1, sizeof (char *));
  size_t k = n_base;

  memcpy (r, base, n_base * sizeof (char *));
  for (size_t i = 0; i < n_add; i++)
    {
      size_t len = strcspn (add[i], "=");
      size_t j = 0;

      if (add[i][len] != '=' || len == 0)
        {
          free (r);
          return rt_error (err, 0, "invalid environment variable \"%s\": want KEY=VALUE", add[i]);
        }
      while (j < k && !(strncmp (r[j], add[i], len) == 0 && r[j][len] == '='))
        j++;
      r[j] = add[i];
      if (j == k)
        k++;
    }
  *out = r;
  *n = k;
  return 0;
}

static char **
concat (char **a, size_t na, char **b, size_t nb, size_t *n)
{
  char **r = xcalloc (na + nb + 1, sizeof (char *));
  memcpy (r, a, na * sizeof (char *));
  memcpy (r + na, b, nb * sizeof (char *));
  *n = na + nb;
  return r;
}

/* The process from the container's config with the flags on top (runc's getProcess).
   Only the arrays built here are owned; everything else points into the spec. */
struct built_process
{
  struct rt_process p;
  char **env, **bounding, **effective, **permitted;
};

static int
build_process (const struct rt_exec_opts *o, const struct rt_process *base,
               struct built_process *bp, rt_error_t *err)
{
  struct rt_process *p = &bp->p;

  *p = *base;
  p->args = o->args;
  p->n_args = o->n_args;
  p->terminal = o->tty;
  p->has_console_size = false;
  if (o->tty && isatty (0))
    {
      struct winsize ws;
      if (ioctl (0, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        {
          p->has_console_size = true;
          p->console_height = ws.ws_row;
          p->console_width = ws.ws_col;
        }
    }
  if (o->n_env
      && merge_env (base->env, base->n_env, o->env, o->n_env, &bp->env, &p->n_env, err) < 0)
    return -1;
  if (o->n_env)
    p->env = bp->env;
  if (o->cwd)
    p->cwd = (char *) o->cwd;
  if (o->user && parse_user (o->user, &p->user, err) < 0)
    return -1;
  for (size_t i = 0; i < o->n_additional_gids; i++)
    if (o->additional_gids[i] > RT_ID_MAX)
      return rt_error (err, 0, "--additional-gids: %s", RT_ID_RANGE_MSG);
  if (o->n_additional_gids)
    {
      p->user.additional_gids = o->additional_gids;
      p->user.n_additional_gids = o->n_additional_gids;
    }
  if (o->n_caps)
    {
      p->has_caps = true;
      p->caps.bounding = bp->bounding = concat (base->caps.bounding, base->caps.n_bounding, o->caps,
                                                o->n_caps, &p->caps.n_bounding);
      p->caps.effective = bp->effective = concat (base->caps.effective, base->caps.n_effective,
                                                  o->caps, o->n_caps, &p->caps.n_effective);
      p->caps.permitted = bp->permitted = concat (base->caps.permitted, base->caps.n_permitted,
                                                  o->caps, o->n_caps, &p->caps.n_permitted);
    }
  if (o->no_new_privs)
    p->no_new_privileges = true;
  if (o->apparmor)
    p->apparmor_profile = (char *) o->apparmor;
  if (o->process_label)
    p->selinux_label = (char *) o->process_label;
  return 0;
}

static void
built_process_free (struct built_process *bp)
{
  free (bp->env);
  free (bp->bounding);
  free (bp->effective);
  free (bp->permitted);
}
#define cleanup_built_process __attribute__ ((cleanup (built_process_free)))

/* The process JSON to send: --process as given (checked by the same parser nsinit
   uses), or built from the config and flags. */
static int
process_json (const struct rt_exec_opts *o, const struct rt_container *c, char **json, size_t *len,
              struct rt_process **parsed, rt_error_t *err)
{
  cleanup_built_process struct built_process bp = { 0 };

  if (o->process_file)
    {
      if (read_input (o->process_file, json, len, err) < 0)
        return -1;
      return rt_process_parse (*json, *len, parsed, err);
    }
  if (o->n_args == 0)
    return rt_error (err, 0, "exec needs a command (or --process)");
  if (build_process (o, &c->spec->process, &bp, err) < 0)
    return -1;
  if (rt_process_to_json (&bp.p, json, len) < 0)
    return rt_error (err, ENOMEM, "serialize the process");
  return rt_process_parse (*json, *len, parsed, err);
}

static const char paused_msg[]
    = "cannot exec in a paused container (use --ignore-paused to override)";

/* A frozen cgroup would freeze the stub as soon as it joined: whoever froze it (pause, or
   anything else), exec fails instead of hanging. */
static int
check_frozen (struct rt_cgroup *cg, const struct rt_exec_opts *o, rt_error_t *err)
{
  cleanup_error rt_error_t ignored = NULL;
  bool frozen = false;

  if (cg == NULL || o->ignore_paused || cg->ops->frozen (cg, &frozen, &ignored) < 0 || !frozen)
    return 0;
  return rt_error (err, 0, "%s", paused_msg);
}

static int
check_status (const struct rt_container *c, const struct rt_exec_opts *o, rt_error_t *err)
{
  switch (rt_container_status (c))
    {
      case RT_STATUS_STOPPED:
        return rt_error (err, 0, "cannot exec in a stopped container");
      case RT_STATUS_PAUSED:
        if (!o->ignore_paused)
          return rt_error (err, 0, "%s", paused_msg);
        return 0;
      case RT_STATUS_CREATING:
        return rt_error (err, 0, "cannot exec in a container that is being created");
      default:
        return 0;
    }
}

/* Everything one exec owns.  Released when it goes out of scope (cleanup_exec_ctx), which
   is before a foreground exec waits for its process: rt's ends of the init socket and of
   the log pipe, nsinit's end of the console, the namespace fds. */
struct exec_ctx
{
  struct rt_session s;
  struct rt_cgroup *cg;
  char **cg_sub; /* --cgroup, parsed (cg points into it) */
  int console, console_ours;
  int *master;   /* the caller's: the pty master received, kept for the wait */
  char *seccomp; /* the container's filter (RT_MSG_SECCOMP_PROG), or NULL */
  size_t seccomp_len;
  struct rt_fd_list ns; /* the init's namespaces, one per linux.namespaces entry */
};

static void
exec_ctx_release (struct exec_ctx *x)
{
  rt_session_close (&x->s);
  rt_cleanup_closep (&x->console);
  rt_cleanup_closep (&x->console_ours);
  free (x->seccomp);
  rt_fd_list_clear (&x->ns);
  rt_cgroup_free (x->cg);
  strv_free (x->cg_sub);
}
#define cleanup_exec_ctx __attribute__ ((cleanup (exec_ctx_release)))

/* Serve the init until it closes its end: READY -> pid file, RUN. */
static int
serve (struct exec_ctx *x, const struct rt_exec_opts *o, struct rt_container *c, rt_error_t *err)
{
  bool ready = false;

  for (;;)
    {
      cleanup_free char *data = NULL;
      struct rt_msg_hdr hdr;
      int r = rt_session_recv (&x->s, &hdr, &data, err);

      if (r < 0)
        return -1;
      if (r == 1)
        return ready ? 0 : rt_session_failed (&x->s, "before the process was ready", err);
      if (hdr.type == RT_MSG_ERROR) /* runc's words, which clients match */
        return rt_error (err, 0, "unable to start container process: %s", data);
      if (hdr.type == RT_MSG_SECCOMP)
        {
          if (rt_seccomp_notify (&x->s, c, x->s.pid, err) < 0)
            return rt_error_wrap (err, "unable to start container process");
          continue;
        }
      if (hdr.type != RT_MSG_READY)
        return rt_error (err, 0, "unexpected message %u from the init", hdr.type);
      if (rt_console_take_master (x->console_ours, x->master, err) < 0)
        return -1;
      if (o->pid_file && rt_write_pid_file (o->pid_file, x->s.pid, err) < 0)
        return -1;
      ready = true;
      if (rt_session_send_run (&x->s, x->seccomp, x->seccomp_len, NULL, err) < 0)
        return -1;
    }
}

/* The process as nsinit gets it (JSON, checked), and its console. */
static int
exec_process (struct exec_ctx *x, const struct rt_exec_opts *o, struct rt_container *c, char **json,
              size_t *len, struct rt_process **parsed, rt_error_t *err)
{
  if (process_json (o, c, json, len, parsed, err) < 0 || rt_process_check (*parsed, err) < 0
      || rt_check_terminal (o->detach, (*parsed)->terminal, o->console_socket, err) < 0)
    return -1;
  if (!(*parsed)->terminal)
    return 0;
  if (o->console_socket == NULL)
    return rt_console_pair (&x->console_ours, &x->console, err);
  x->console = rt_connect_console (o->console_socket, err);
  return x->console < 0 ? -1 : 0;
}

static int
do_exec (struct exec_ctx *x, const struct rt_exec_opts *o, struct rt_container *c, rt_error_t *err)
{
  cleanup_free char *json = NULL;
  cleanup_free void *blob = NULL;
  cleanup_process struct rt_process *parsed = NULL;
  size_t json_len, blob_len;
  cleanup_free int *extra = NULL;
  size_t n_extra = 0;

  if (check_status (c, o, err) < 0
      || (c->cgroup_path && rt_cgroup_new (c->cgroup_path, c->id, &x->cg, err) < 0)
      || check_frozen (x->cg, o, err) < 0 || rt_container_spec (c, err) < 0)
    return -1;
  if (o->n_cgroups > 0
      && (x->cg == NULL ? rt_error (err, 0, "--cgroup: the container has no cgroup")
                        : rt_cgroup_set_sub (x->cg, o->cgroups, o->n_cgroups, &x->cg_sub, err))
             < 0)
    return -1;
  if (open_namespaces (c, &x->ns, err) < 0
      || exec_process (x, o, c, &json, &json_len, &parsed, err) < 0
      || exec_bootstrap (c, parsed, x->ns.fds, &blob, &blob_len, err) < 0
      || rt_seccomp_compile_early (c->spec->linux_.seccomp, &x->seccomp, &x->seccomp_len, err) < 0)
    return -1;
  extra = xcalloc (x->ns.n + 1, sizeof *extra);
  for (size_t i = 0; i < x->ns.n; i++)
    extra[n_extra++] = x->ns.fds[i];
  if (x->console >= 0)
    extra[n_extra++] = x->console;

  struct rt_init_config ic = { .id = c->id,
                               .setns = true,
                               .rootfs = c->rootfs,
                               .bundle = c->bundle,
                               .console_fd = x->console,
                               .preserve_fds = o->preserve_fds,
                               .fifo_fd = -1,
                               .null_fd = -1 };
  cleanup_free char *msg = NULL;
  size_t msg_len;

  rt_linux_init_opts (c->spec, &ic);
  if (rt_init_config_encode (&ic, json, json_len, &msg, &msg_len, err) < 0)
    return -1;
  struct rt_session_opts so = { .inittype = "setns",
                                .blob = blob,
                                .blob_len = blob_len,
                                .extra_fds = extra,
                                .n_extra_fds = n_extra,
                                .preserve_fds = o->preserve_fds,
                                .cg = x->cg,
                                .config = msg,
                                .config_len = msg_len,
                                .cpu_affinity = parsed->exec_cpu_affinity_initial };
  /* the filter compiles while the process joins the container */
  if (rt_session_start (&x->s, &so, err) < 0
      || (x->seccomp == NULL
          && rt_seccomp_compile (c->spec->linux_.seccomp, &x->seccomp, &x->seccomp_len, err) < 0)
      || rt_session_reap_stages (&x->s, err) < 0 || serve (x, o, c, err) < 0)
    return -1;
  rt_session_drain_logs (&x->s);
  rt_trace_mark ("process running");
  rt_trace_report ("exec");
  return rt_console_take_master (x->console_ours, x->master, err);
}

/* Start the process in C; *PID is its pid, *MASTER its terminal (foreground -t).  On
   failure no process of it is left; everything else is released when it returns. */
static int
start_process (const struct rt_exec_opts *o, struct rt_container *c, pid_t *pid, int *master,
               rt_error_t *err)
{
  cleanup_exec_ctx struct exec_ctx x = { .console = -1, .console_ours = -1, .master = master };

  rt_session_init (&x.s);
  if (do_exec (&x, o, c, err) < 0)
    {
      rt_session_kill (&x.s);
      return -1;
    }
  *pid = x.s.pid;
  return 0;
}

int
rt_container_exec (const struct rt_exec_opts *o, int *exit_status, rt_error_t *err)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_close int master = -1;
  pid_t pid = 0;

  *exit_status = 0;
  if (rt_check_preserved_fds (o->preserve_fds, err) < 0)
    return -1;
  if (!o->detach)
    rt_signals_capture (); /* a signal sent to rt from now on reaches the process */
  if (rt_state_load (o->id, &c, err) < 0 || start_process (o, c, &pid, &master, err) < 0)
    return -1;
  if (o->detach)
    return 0;
  struct rt_wait w = { .pid = pid, .master = master };
  return rt_wait_forwarding_signals (&w, exit_status, err);
}
