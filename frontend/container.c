/* The container lifecycle on the front end: create (launch nsinit, drive the bootstrap
   and the init protocol, write the state), start (release exec.fifo) and run. */
#define _GNU_SOURCE
#include "rt.h"
#include "initconfig.h"
#include "launch.h"
#include "mount_sources.h"
#include "linux_fields.h"
#include "seccomp_filter.h"
#include "seccomp_notify.h"
#include "session.h"
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

/* Everything one create owns.  Released when it goes out of scope (cleanup_create_ctx),
   which is before run waits for the container: the lock, rt's ends of the init socket
   and of the log pipe, nsinit's end of the console.  Undoing a failed create is
   behaviour, not release: undo_create, explicitly, before that. */
struct create_ctx
{
  const struct rt_create_opts *o;
  struct rt_container *c; /* the caller's */
  struct rt_cgroup *cg;
  struct rt_session s;
  int fifo;         /* O_PATH exec.fifo, handed to nsinit */
  int console;      /* nsinit's end: --console-socket, or our own pair's other end */
  int console_ours; /* our end of the pair for a foreground terminal, or -1 */
  int *master;      /* the caller's: the pty master received on it, kept for run's wait */
  int lock;
  bool dir_made;
  int n_fds;         /* fds 3.. passed on: LISTEN_FDS, then --preserve-fds */
  char *nsinit_json; /* the config nsinit gets, when it differs from c->config */
  size_t nsinit_len;
  struct rt_notify *notify; /* the caller's: NOTIFY_SOCKET, bound for run */
  bool resources_set;
  char *seccomp; /* RT_MSG_SECCOMP_PROG's payload, or NULL */
  size_t seccomp_len;
  struct rt_fd_list idmap; /* idmapped mounts made here for nsinit */
};

static void
create_ctx_release (struct create_ctx *x)
{
  rt_session_close (&x->s);
  rt_cleanup_closep (&x->fifo);
  rt_cleanup_closep (&x->console);
  rt_cleanup_closep (&x->console_ours);
  rt_cleanup_closep (&x->lock);
  free (x->nsinit_json);
  free (x->seccomp);
  rt_fd_list_clear (&x->idmap);
  rt_cgroup_free (x->cg);
}
#define cleanup_create_ctx __attribute__ ((cleanup (create_ctx_release)))

/* ---- set-up steps (in create_steps' order) ---- */

static int
check_request (struct create_ctx *x, rt_error_t *err)
{
  if (!rt_id_valid (x->c->id))
    return rt_error (err, 0,
                     "invalid container id \"%s\": only letters, digits, \"_\", \".\" "
                     "and \"-\", 1 to 1024 characters",
                     x->c->id);
  x->n_fds = rt_listen_fds () + x->o->preserve_fds;
  return rt_check_preserved_fds (x->n_fds, err);
}

static int
load_bundle (struct create_ctx *x, rt_error_t *err)
{
  char bundle[PATH_MAX], rootfs[PATH_MAX];
  cleanup_free char *config = NULL, *root = NULL;
  struct rt_container *c = x->c;
  struct rt_spec **spec = &c->spec;

  if (realpath (x->o->bundle ? x->o->bundle : ".", bundle) == NULL)
    return rt_error (err, errno, "bundle \"%s\"", x->o->bundle ? x->o->bundle : ".");
  config = xasprintf ("%s/config.json", bundle);
  if (read_input (config, &c->config, &c->config_len, err) < 0)
    return -1;
  /* the tree is kept: state.json gets the config from it (rt_state_save) */
  if (rt_spec_load_tree (c->config, c->config_len, &c->tree, err) < 0
      || rt_spec_from_tree (c->tree, spec, err) < 0)
    return -1;
  if (rt_spec_validate (*spec, err) < 0 || rt_linux_check (*spec, err) < 0)
    return -1;
  root = (*spec)->root_path[0] == '/' ? xstrdup ((*spec)->root_path)
                                      : xasprintf ("%s/%s", bundle, (*spec)->root_path);
  if (realpath (root, rootfs) == NULL)
    return rt_error (err, errno, "rootfs \"%s\"", root);
  c->bundle = xstrdup (bundle);
  c->rootfs = xstrdup (rootfs);
  return 0;
}

static int
check_config (struct create_ctx *x, rt_error_t *err)
{
  const struct rt_spec *spec = x->c->spec;

  if (rt_check_terminal (!x->o->run || x->o->detach, spec->process.terminal, x->o->console_socket,
                         err)
      < 0)
    return -1;
  return rt_seccomp_compile_early (spec->linux_.seccomp, &x->seccomp, &x->seccomp_len, err);
}

/* <root>/<id>, locked until create returns: a concurrent delete waits for a whole
   container. */
static int
make_dir (struct create_ctx *x, rt_error_t *err)
{
  struct rt_container *c = x->c;

  if (rt_state_create_dir (c->id, err) < 0)
    return -1;
  x->dir_made = true;
  if (rt_state_lock (c->id, &x->lock, err) < 0)
    return -1;
  c->dir = rt_container_dir (c->id);
  c->created = rt_timestamp_now ();
  c->owner = xstrdup ("");
  return 0;
}

/* runc's checks of a cgroup that is already there: processes in it get a warning (runc
   1.1 still runs the container), a frozen one is refused (the init would wait frozen
   for ever).  On refusal the cgroup is not ours: nothing of it is undone. */
static int
check_existing_cgroup (struct create_ctx *x, rt_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  cleanup_error rt_error_t ignored = NULL;
  bool frozen = false;
  size_t n = 0;

  if (x->cg->ops->pids (x->cg, &pids, &n, &ignored) == 0 && n > 0)
    rt_log (RT_LOG_WARN, "container's cgroup is not empty: %zu process(es) found", n);
  if (x->cg->ops->frozen (x->cg, &frozen, &ignored) < 0 || !frozen)
    return 0;
  rt_cgroup_free (take_ptr (&x->cg));
  return rt_error (err, 0, "container's cgroup unexpectedly frozen");
}

/* state.json as delete needs it (the cgroup path, pid 0 = "creating"). */
static int
record_cgroup (struct create_ctx *x, rt_error_t *err)
{
  const struct rt_spec *spec = x->c->spec;

  if (rt_cgroup_new (spec->has_linux ? spec->linux_.cgroups_path : NULL, x->c->id, &x->cg, err) < 0
      || check_existing_cgroup (x, err) < 0)
    return -1;
  x->c->cgroup_path = xstrdup (x->cg->path);
  return rt_state_save (x->c, err);
}

/* LISTEN_FDS and NOTIFY_SOCKET in rt's environment (notify.c): what the config nsinit gets
   has on top, and for run the notify socket, bound before the container can send. */
static int
pass_environment (struct create_ctx *x, rt_error_t *err)
{
  int listen = rt_listen_fds ();
  const char *host = rt_notify_host ();
  cleanup_free char *fds = NULL, *dir = NULL;
  char *env[3];
  struct rt_spec_patch p = { .env = env };

  if (listen > 0)
    {
      env[p.n_env++] = fds = xasprintf ("LISTEN_FDS=%d", listen);
      env[p.n_env++] = "LISTEN_PID=1";
    }
  if (host)
    {
      dir = rt_notify_dir (x->c->dir);
      if (mkdir (dir, 0755) < 0)
        return rt_error (err, errno, "mkdir \"%s\"", dir);
      env[p.n_env++] = "NOTIFY_SOCKET=" RT_NOTIFY_SOCKET_IN_CONTAINER;
      p.bind_source = dir;
      p.bind_dest = RT_NOTIFY_DIR_IN_CONTAINER;
      /* foreground, rt is the main process for systemd (runc) */
      if (x->o->run && rt_notify_listen (x->notify, x->c->dir, host, getpid (), err) < 0)
        return -1;
    }
  if (p.n_env == 0)
    return 0;
  x->nsinit_json = rt_spec_json_patch (x->c->tree, &p, &x->nsinit_len);
  return 0;
}

/* create only: run's init does not wait for start. */
static int
make_fifo (struct create_ctx *x, rt_error_t *err)
{
  cleanup_free char *path = NULL;
  mode_t old;
  int r;

  if (x->o->run)
    return 0;
  path = xasprintf ("%s/exec.fifo", x->c->dir);
  old = umask (0);
  r = mkfifo (path, 0622);
  umask (old);
  if (r < 0)
    return rt_error (err, errno, "mkfifo \"%s\"", path);
  x->fifo = open (path, O_PATH | O_CLOEXEC);
  if (x->fifo < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  return 0;
}

static int
open_console (struct create_ctx *x, rt_error_t *err)
{
  if (x->o->console_socket && (x->console = rt_connect_console (x->o->console_socket, err)) < 0)
    return -1;
  /* foreground run with a terminal and no console socket: rt is the terminal's other end */
  if (x->c->spec->process.terminal && x->o->console_socket == NULL)
    return rt_console_pair (&x->console_ours, &x->console, err);
  return 0;
}

/* Launch nsinit into the cgroup and hand it the init config. */
static int
launch (struct create_ctx *x, rt_error_t *err)
{
  struct rt_spec *spec = x->c->spec;
  cleanup_free void *blob = NULL;
  cleanup_free int *extra = NULL;
  int n_extra = 0;
  size_t blob_len;

  if (rt_bootstrap_build (spec, &blob, &blob_len, err) < 0
      || rt_idmap_mounts (spec, x->c->bundle, &x->idmap, err) < 0)
    return -1;
  extra = xcalloc (2 + x->idmap.n, sizeof (int));
  for (size_t i = 0; i < x->idmap.n; i++)
    extra[n_extra++] = x->idmap.fds[i];
  if (x->fifo >= 0)
    extra[n_extra++] = x->fifo;
  if (x->console >= 0)
    extra[n_extra++] = x->console;

  struct rt_init_config ic = { .id = x->c->id,
                               .rootfs = x->c->rootfs,
                               .bundle = x->c->bundle,
                               .no_pivot = x->o->no_pivot,
                               .no_new_keyring = x->o->no_new_keyring,
                               .console_fd = x->console,
                               .preserve_fds = x->n_fds,
                               .fifo_fd = x->fifo,
                               .mount_sources = rt_mount_sources_wanted (spec) };
  cleanup_free char *config = NULL;

  rt_linux_init_opts (spec, &ic);
  ic.idmap_fds = x->idmap.list;
  size_t config_len;

  if (rt_init_config_encode (&ic, x->nsinit_json ? x->nsinit_json : x->c->config,
                             x->nsinit_json ? x->nsinit_len : x->c->config_len, &config,
                             &config_len, err)
      < 0)
    return -1;

  struct rt_session_opts so
      = { .inittype = "standard",
          .blob = blob,
          .blob_len = blob_len,
          .extra_fds = extra,
          .n_extra_fds = n_extra,
          .preserve_fds = x->n_fds,
          .cwd = x->c->bundle,
          .cg = x->cg,
          /* always: without linux.resources the default device rules still apply */
          .resources = &spec->linux_.resources,
          .cgroup_default = !spec->linux_.cgroups_path || !*spec->linux_.cgroups_path,
          .config = config,
          .config_len = config_len,
          .cpu_affinity = spec->process.exec_cpu_affinity_initial };
  int started = rt_session_start (&x->s, &so, err);
  if (x->s.no_cgroup) /* rootless without a delegated cgroup: it runs without one */
    {
      rt_cgroup_free (take_ptr (&x->cg));
      free (take_ptr (&x->c->cgroup_path));
    }
  if (started < 0)
    return -1;
  if (ic.mount_sources && rt_mount_sources_send (spec, x->c->bundle, x->s.pid, x->s.sock, err) < 0)
    return -1;
  x->c->pid = x->s.pid;
  x->c->start_time = proc_start_time (x->c->pid);
  return 0;
}

static int
run_hooks (struct rt_container *c, enum rt_hook_kind kind, rt_error_t *err)
{
  cleanup_free char *state = NULL;

  if (c->spec->hooks.n_hooks[kind] == 0)
    return 0;
  state = rt_container_state_json (c, false);
  return rt_hooks_run (c->spec, kind, state, err);
}

/* linux.resources and the default device rules, once: at the hooks (which may rely on
   them) or at READY, while the init is already setting the container up. */
static int
set_resources (struct create_ctx *x, rt_error_t *err)
{
  struct rt_session_opts so = { .cg = x->cg, .resources = &x->c->spec->linux_.resources };

  if (x->resources_set)
    return 0;
  x->resources_set = true;
  return rt_session_set_resources (&x->s, &so, err);
}

/* The slow part of setting the resources, and the seccomp filter, while the init sets the
   container up. */
static int
prepare (struct create_ctx *x, rt_error_t *err)
{
  struct rt_session_opts so = { .cg = x->cg, .resources = &x->c->spec->linux_.resources };

  if (rt_session_prepare_resources (&x->s, &so, err) < 0
      || rt_netdev_move (x->c->spec, x->c->pid, err) < 0
      || rt_intel_rdt_apply (x->c->spec, x->c->id, x->c->pid, err) < 0)
    return -1;
  if (x->seccomp != NULL) /* compiled before the launch */
    return 0;
  return rt_seccomp_compile (x->c->spec->linux_.seccomp, &x->seccomp, &x->seccomp_len, err);
}

static int
reap_stages (struct create_ctx *x, rt_error_t *err)
{
  return rt_session_reap_stages (&x->s, err);
}

/* Serve the init until it closes the socket (set up, waiting on exec.fifo or exec'ing),
   then forward the rest of its log. */
static int
serve_init (struct create_ctx *x, rt_error_t *err)
{
  bool ready = false;

  for (;;)
    {
      cleanup_free char *data = NULL;
      cleanup_free char *state = NULL;
      struct rt_msg_hdr hdr;
      int r = rt_session_recv (&x->s, &hdr, &data, err);

      if (r < 0)
        return -1;
      if (r == 1 && !ready)
        return rt_session_failed (&x->s, "before the container was ready", err);
      if (r == 1)
        {
          rt_session_drain_logs (&x->s);
          return 0;
        }
      switch (hdr.type)
        {
          case RT_MSG_HOOKS:
            if (set_resources (x, err) < 0 || run_hooks (x->c, RT_HOOK_PRESTART, err) < 0
                || run_hooks (x->c, RT_HOOK_CREATE_RUNTIME, err) < 0)
              return -1;
            state = rt_container_state_json (x->c, false);
            if (rt_msg_send (x->s.sock, RT_MSG_HOOKS_DONE, 0, state, strlen (state)) < 0)
              return rt_session_lost (&x->s, "resume after the hooks", err);
            break;
          case RT_MSG_READY:
            if (set_resources (x, err) < 0
                || rt_console_take_master (x->console_ours, x->master, err) < 0)
              return -1;
            ready = true;
            x->c->creating = false; /* startContainer hooks see "created" */
            state = rt_container_state_json (x->c, false);
            rt_trace_mark ("ready received, resources set");
            if (rt_session_send_run (&x->s, x->seccomp, x->seccomp_len, state, err) < 0)
              return -1;
            /* After RUN, as runc saves its state after procRun: the files are written
               while the init finishes (a failure still undoes the whole create). */
            if (rt_state_save (x->c, err) < 0
                || (x->o->pid_file && rt_write_pid_file (x->o->pid_file, x->c->pid, err) < 0))
              return -1;
            rt_trace_mark ("run sent, state.json saved");
            break;
          case RT_MSG_SECCOMP:
            if (rt_seccomp_notify (&x->s, x->c, x->c->pid, err) < 0)
              return rt_error_wrap (err, "unable to start container process");
            break;
          case RT_MSG_ERROR:
            rt_session_drain_logs (&x->s);
            return rt_error (err, 0, "unable to start container process: %s", data);
          default:
            return rt_error (err, 0, "unexpected message %u from the init", hdr.type);
        }
    }
}

static int
take_master (struct create_ctx *x, rt_error_t *err)
{
  return rt_console_take_master (x->console_ours, x->master, err);
}

/* ---- the order of create ----

   Every step, in the order it runs; rt's safety and its speed (rt/crun in README's
   benchmark) both come from this order.  `rt --debug create` prints each step's mark
   below, session.c's ("cgroup made", "nsinit spawned") and nsinit's, with their times. */
static const struct create_step
{
  int (*run) (struct create_ctx *x, rt_error_t *err);
  const char *mark; /* --debug timing mark when it is done, or NULL */
} create_steps[] = {
  /* Refuse before acting: everything the request, the config and the host can tell is
     checked before anything exists, so a refusal leaves nothing behind.  The preserved
     fds first: none of rt's own may be taken for the caller's.  A seccomp profile that
     could be too big for the kernel is compiled here, to be refused; any other is
     compiled while the init sets up (prepare). */
  { check_request, NULL },
  { load_bundle, "config loaded and checked" },
  { check_config, NULL },
  /* Leave nothing: <root>/<id> (locked), then state.json saying "creating" (pid 0) with
     the cgroup path, then the cgroup and processes: whatever exists can be found from
     what came before it, so `delete -f` undoes a create killed at any moment
     (leftovers.bats).  Few inodes (0.3-1 ms each on ext4 here): the directory itself is
     locked, and state.json holds the config. */
  { make_dir, "state dir made and locked" },
  { record_cgroup, "cgroup path recorded in state.json" },
  /* What nsinit inherits: the config's additions (LISTEN_FDS; NOTIFY_SOCKET, whose
     directory is in the state dir), exec.fifo and the console. */
  { pass_environment, NULL },
  { make_fifo, NULL },
  { open_console, NULL },
  /* The cgroup made and nsinit started inside it (v2: CLONE_INTO_CGROUP, no migration
     and its RCU grace period), the bootstrap message and the init config in one sendmsg:
     the init never waits on rt to go on. */
  { launch, "pids received" },
  /* Overlap: while the init mounts the rootfs, rt's slow work that needs nothing from it
     (the v2 device program, netDevices, intelRdt, the seccomp filter).  The stub's
     stages exit meanwhile: reaped only after that work. */
  { prepare, "device program and seccomp filter compiled" },
  { reap_stages, NULL },
  /* The init protocol: resources at HOOKS or READY, RUN, and only then state.json
     ("created") and the pid file, written while the init finishes (runc's order). */
  { serve_init, "init running: created" },
  { take_master, NULL },
};

static int
do_create (struct create_ctx *x, rt_error_t *err)
{
  for (size_t i = 0; i < ARRAY_SIZE (create_steps); i++)
    {
      if (create_steps[i].run (x, err) < 0)
        return -1;
      if (create_steps[i].mark)
        rt_trace_mark (create_steps[i].mark);
    }
  rt_trace_report (x->o->run ? "run" : "create");
  return 0;
}

/* Undo a failed create: no process, cgroup or state dir may survive it.  Best effort: a
   step that fails leaves the others to do. */
static void
undo_create (struct create_ctx *x)
{
  cleanup_error rt_error_t ignored = NULL;

  rt_session_kill (&x->s);
  if (x->cg)
    {
      x->cg->ops->kill (x->cg, SIGKILL, &ignored);
      x->cg->ops->destroy (x->cg, &ignored);
    }
  if (x->dir_made)
    rt_state_remove (x->c->id, &ignored);
  if (x->c->spec)
    rt_intel_rdt_remove (x->c->spec, x->c->id);
  if (x->o->pid_file && x->c->pid > 0)
    unlink (x->o->pid_file);
  /* runtime.md: a failed create hook stops the container and continues at step 12
     (destroy, then poststop); as runc, any failure once the init existed does */
  if (x->c->pid > 0 && x->c->spec != NULL)
    {
      cleanup_free char *state = NULL;

      x->c->creating = false;
      state = rt_container_state_json (x->c, false);
      rt_hooks_run_all (x->c->spec, RT_HOOK_POSTSTOP, state);
    }
}

/* Create C, undone if it fails; everything but C, *MASTER and *NOTIFY released when it
   returns. */
static int
create (const struct rt_create_opts *opts, struct rt_container *c, int *master,
        struct rt_notify *notify, rt_error_t *err)
{
  cleanup_create_ctx struct create_ctx x = { .o = opts,
                                             .c = c,
                                             .fifo = -1,
                                             .console = -1,
                                             .console_ours = -1,
                                             .master = master,
                                             .lock = -1,
                                             .notify = notify };

  rt_session_init (&x.s);
  if (do_create (&x, err) == 0)
    return 0;
  undo_create (&x);
  return -1;
}

/* A failed poststart hook (the caller holds its error) stops the container; run without
   --keep also deletes it, running the poststop hooks.  Returns -1. */
static int
poststart_failed (struct rt_container *c, bool delete)
{
  cleanup_error rt_error_t err = NULL;

  if (rt_container_stop (c, &err) < 0 || (delete &&rt_container_delete (c, true, &err) < 0))
    rt_log (RT_LOG_WARN, "after the poststart hook failed: %s", err->msg);
  return -1;
}

/* run in the foreground: wait for the container (forwarding signals), then delete it. */
static int
wait_and_delete (struct rt_container *c, const struct rt_create_opts *opts, int master,
                 struct rt_notify *notify, int *exit_status, rt_error_t *err)
{
  struct rt_wait w = { .pid = c->pid, .master = master, .notify = notify };
  int ret = rt_wait_forwarding_signals (&w, exit_status, err);

  rt_trace_mark ("container exited");
  if (ret == 0 && !opts->keep)
    ret = rt_container_delete (c, true, err);
  rt_trace_mark ("deleted");
  rt_trace_report ("run's wait and delete");
  return ret;
}

int
rt_container_create (const struct rt_create_opts *opts, int *exit_status, rt_error_t *err)
{
  cleanup_container struct rt_container *c = xcalloc (1, sizeof *c);
  cleanup_close int master = -1;
  cleanup_notify struct rt_notify notify = { .sock = -1, .out = -1 };
  int ret;

  if (opts->run && !opts->detach)
    rt_signals_capture (); /* a signal sent to rt from now on reaches the container */
  c->id = xstrdup (opts->id);
  c->creating = true;
  *exit_status = 0;
  ret = create (opts, c, &master, &notify, err);
  c->creating = false;
  if (ret < 0 || !opts->run)
    return ret;
  if (run_hooks (c, RT_HOOK_POSTSTART, err) < 0)
    return poststart_failed (c, !opts->keep);
  if (!opts->detach)
    return wait_and_delete (c, opts, master, &notify, exit_status, err);
  if (notify.sock >= 0)
    {
      notify.mainpid = c->pid;
      rt_notify_wait_ready (&notify, c->pid, c->start_time);
    }
  return 0;
}

/* ---- start ---- */

static bool
init_alive (const struct rt_container *c)
{
  return c->pid > 0 && proc_start_time (c->pid) == c->start_time;
}

/* With startContainer hooks the init keeps exec.fifo open while they run and writes the
   error of one that failed there (runtime.md: start fails, the container stops); EOF,
   when its fds close before execve, is success. */
static int
start_hooks_result (int fd, rt_error_t *err)
{
  char msg[1024];
  size_t len = 0;
  ssize_t n;

  fcntl (fd, F_SETFL, 0);
  while (len < sizeof msg - 1
         && ((n = read (fd, msg + len, sizeof msg - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0)
      len += (size_t) n;
  if (len == 0)
    return 0;
  msg[len] = '\0';
  return rt_error (err, 0, "%s", msg);
}

/* Open exec.fifo for reading: the init blocked on its write end wakes, writes a byte,
   and execs the user process.  Non-blocking so a dead init cannot hang us. */
static int
release_fifo (const struct rt_container *c, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/exec.fifo", c->dir);
  cleanup_close int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  char byte;

  if (fd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      int r = poll (&p, 1, 100);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return rt_error (err, errno, "poll exec.fifo");
      if (r > 0 && (p.revents & POLLIN))
        break;
      if (!init_alive (c))
        return rt_error (err, 0, "the container's init exited before start");
    }
  if (read (fd, &byte, 1) != 1)
    return rt_error (err, errno, "read exec.fifo");
  if (unlink (path) < 0)
    return rt_error (err, errno, "remove \"%s\"", path);
  if (c->spec->hooks.n_hooks[RT_HOOK_START_CONTAINER] > 0)
    return start_hooks_result (fd, err);
  return 0;
}

/* NOTIFY_SOCKET at start: bound before the process runs, when create made the directory
   the container sees (a create without NOTIFY_SOCKET gave it nothing to send to). */
static int
listen_notify (const struct rt_container *c, struct rt_notify *n, rt_error_t *err)
{
  const char *host = rt_notify_host ();
  cleanup_free char *dir = rt_notify_dir (c->dir);

  if (host == NULL || access (dir, F_OK) < 0)
    return 0;
  return rt_notify_listen (n, c->dir, host, c->pid, err);
}

int
rt_container_start (const char *id, rt_error_t *err)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_notify struct rt_notify notify = { .sock = -1, .out = -1 };
  cleanup_close int lock = -1;
  cleanup_free char *state = NULL;
  int ret;

  if (rt_state_lock (id, &lock, err) < 0 || rt_state_load (id, &c, err) < 0)
    return -1;
  switch (rt_container_status (c))
    {
      case RT_STATUS_CREATED:
        break;
      case RT_STATUS_STOPPED:
        return rt_error (err, 0, "cannot start a container that has stopped");
      default:
        return rt_error (err, 0, "cannot start an already running container");
    }
  ret = rt_container_spec (c, err);
  if (ret == 0)
    ret = listen_notify (c, &notify, err);
  if (ret == 0)
    ret = release_fifo (c, err);
  if (ret == 0 && c->spec->hooks.n_hooks[RT_HOOK_POSTSTART] > 0)
    {
      state = rt_container_state_json (c, false);
      if ((ret = rt_hooks_run (c->spec, RT_HOOK_POSTSTART, state, err)) < 0)
        poststart_failed (c, false);
    }
  /* runc: start returns once the container says READY=1 (or is gone) */
  close (take_fd (&lock));
  if (ret == 0 && notify.sock >= 0)
    rt_notify_wait_ready (&notify, c->pid, c->start_time);
  return ret;
}
