/* The container lifecycle on the front end: create (launch nsinit, drive the bootstrap
   and the init protocol, write the state), start (release exec.fifo) and run. */
#define _GNU_SOURCE
#include "rt.h"
#include "initconfig.h"
#include "launch.h"
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

/* Everything one create owns; released (and on failure undone) in one place. */
struct create_ctx
{
  const struct rt_create_opts *o;
  struct rt_container *c;
  char *spec_json;
  size_t spec_len;
  struct rt_cgroup *cg;
  int sock;  /* rt's end of the init socket */
  int logfd; /* read end of the log pipe */
  int fifo;  /* O_PATH exec.fifo, handed to nsinit */
  int console;
  int lock;
  pid_t stage0, stage1;
  bool dir_made;
  char *stub_error; /* last fatal line from the stub's log */
  char logbuf[8192];
  size_t loglen;
};

/* ---- the log pipe ---- */

static char *
log_line_msg (const char *line, bool *fatal)
{
  const char *lvl_path[] = { "level", NULL }, *msg_path[] = { "msg", NULL };
  yajl_val root = yajl_tree_parse (line, NULL, 0), lvl, msg;
  char *r = NULL;

  *fatal = false;
  if (root == NULL)
    return NULL;
  lvl = yajl_tree_get (root, lvl_path, yajl_t_string);
  msg = yajl_tree_get (root, msg_path, yajl_t_string);
  if (lvl && msg)
    {
      const char *l = YAJL_GET_STRING (lvl), *m = YAJL_GET_STRING (msg);
      *fatal = l && strcmp (l, "fatal") == 0;
      r = xstrdup (m ? m : "");
    }
  yajl_tree_free (root);
  return r;
}

static void
handle_log_line (struct create_ctx *x, const char *line)
{
  bool fatal;
  char *msg = log_line_msg (line, &fatal);

  if (msg && fatal)
    {
      /* The stub's fatal message becomes the error rt prints, once. */
      free (x->stub_error);
      x->stub_error = msg;
      return;
    }
  free (msg);
  rt_log_forward (line);
}

/* Read what is available; forward whole lines.  Returns false at EOF. */
static bool
drain_logs (struct create_ctx *x)
{
  ssize_t n;
  char *nl;

  if (x->logfd < 0)
    return false;
  n = read (x->logfd, x->logbuf + x->loglen, sizeof x->logbuf - 1 - x->loglen);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  if (n <= 0)
    {
      close (x->logfd);
      x->logfd = -1;
      return false;
    }
  x->loglen += n;
  x->logbuf[x->loglen] = '\0';
  while ((nl = strchr (x->logbuf, '\n')) != NULL)
    {
      *nl = '\0';
      handle_log_line (x, x->logbuf);
      x->loglen -= nl + 1 - x->logbuf;
      memmove (x->logbuf, nl + 1, x->loglen + 1);
    }
  if (x->loglen == sizeof x->logbuf - 1)
    x->loglen = 0; /* an overlong line: drop it rather than stall */
  return true;
}

static void
drain_all_logs (struct create_ctx *x)
{
  while (drain_logs (x))
    ;
}

/* Receive one frame from nsinit, forwarding logs meanwhile.  1 = EOF. */
static int
recv_msg (struct create_ctx *x, struct rt_msg_hdr *hdr, char **data, rt_error_t *err)
{
  for (;;)
    {
      struct pollfd p[2]
          = { { .fd = x->sock, .events = POLLIN }, { .fd = x->logfd, .events = POLLIN } };
      if (poll (p, x->logfd >= 0 ? 2 : 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return rt_error (err, errno, "poll");
        }
      if (x->logfd >= 0 && p[1].revents)
        drain_logs (x);
      if (p[0].revents == 0)
        continue;
      if (rt_msg_recv (x->sock, hdr, data) == 0)
        return 0;
      if (errno == EIO || errno == ECONNRESET)
        return 1;
      return rt_error (err, errno, "read from the init socket");
    }
}

/* The stub died: its fatal log line says why. */
static int
stub_failed (struct create_ctx *x, const char *when, rt_error_t *err)
{
  drain_all_logs (x);
  if (x->stub_error)
    return rt_error (err, 0, "%s", x->stub_error);
  return rt_error (err, 0, "nsinit exited %s", when);
}

/* ---- set-up steps ---- */

static int
load_bundle (struct create_ctx *x, struct rt_spec **spec, rt_error_t *err)
{
  char bundle[PATH_MAX], rootfs[PATH_MAX];
  cleanup_free char *config = NULL, *root = NULL;
  struct rt_container *c = x->c;

  if (realpath (x->o->bundle ? x->o->bundle : ".", bundle) == NULL)
    return rt_error (err, errno, "bundle \"%s\"", x->o->bundle ? x->o->bundle : ".");
  config = xasprintf ("%s/config.json", bundle);
  if (read_file (config, &x->spec_json, &x->spec_len, err) < 0)
    return -1;
  if (rt_spec_parse (x->spec_json, x->spec_len, spec, err) < 0)
    return -1;
  if (rt_spec_validate (*spec, err) < 0)
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
make_fifo (struct create_ctx *x, rt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/exec.fifo", x->c->dir);
  mode_t old = umask (0);
  int r = mkfifo (path, 0622);

  umask (old);
  if (r < 0)
    return rt_error (err, errno, "mkfifo \"%s\"", path);
  x->fifo = open (path, O_PATH | O_CLOEXEC);
  if (x->fifo < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  return 0;
}

static int
connect_console (const char *path, rt_error_t *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return rt_error (err, errno, "socket");
  if (strlen (path) >= sizeof addr.sun_path)
    return rt_error (err, ENAMETOOLONG, "console socket \"%s\"", path);
  strcpy (addr.sun_path, path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    return rt_error (err, errno, "connect to console socket \"%s\"", path);
  return take_fd (&fd);
}

static int
reap (pid_t pid, const char *name, rt_error_t *err)
{
  int status;

  while (waitpid (pid, &status, __WALL) < 0)
    if (errno != EINTR)
      return rt_error (err, errno, "wait for %s (%d)", name, pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  return -1;
}

/* Launch nsinit, place it in the cgroup, send the bootstrap message, learn the pids. */
static int
bootstrap (struct create_ctx *x, rt_error_t *err)
{
  struct rt_spec *spec = x->c->spec;
  cleanup_free void *blob = NULL;
  cleanup_free char *pids = NULL;
  cleanup_close int child_sock = -1, log_w = -1;
  int sv[2], lp[2], extra[2], n_extra = 0, stage1 = 0, stage2 = 0;
  size_t blob_len;
  struct rt_msg_hdr hdr;
  int r;

  if (rt_bootstrap_build (spec, &blob, &blob_len, err) < 0)
    return -1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return rt_error (err, errno, "socketpair");
  x->sock = sv[0];
  child_sock = sv[1];
  if (pipe2 (lp, O_CLOEXEC) < 0)
    return rt_error (err, errno, "pipe");
  x->logfd = lp[0];
  log_w = lp[1];
  fcntl (x->logfd, F_SETFL, O_NONBLOCK);
  if (x->fifo >= 0)
    extra[n_extra++] = x->fifo;
  if (x->console >= 0)
    extra[n_extra++] = x->console;

  struct rt_launch l = { .inittype = "standard",
                         .initpipe = child_sock,
                         .logpipe = log_w,
                         .extra_fds = extra,
                         .n_extra_fds = n_extra,
                         .preserve_fds = x->o->preserve_fds,
                         .cwd = x->c->bundle };
  x->stage0 = rt_launch_nsinit (&l, err);
  if (x->stage0 < 0)
    return -1;
  close (take_fd (&child_sock));
  close (take_fd (&log_w));

  /* Before the stub clones anything, so every stage starts in the container's cgroup. */
  if (rt_cgroup_new (spec->has_linux ? spec->linux_.cgroups_path : NULL, x->c->id, &x->cg, err) < 0)
    return -1;
  x->c->cgroup_path = xstrdup (x->cg->path);
  if (x->cg->ops->apply (x->cg, x->stage0, err) < 0)
    return -1;
  if (spec->linux_.has_resources && x->cg->ops->set (x->cg, &spec->linux_.resources, err) < 0)
    return -1;

  if (write_all (x->sock, blob, blob_len) < 0)
    return stub_failed (x, "before reading the bootstrap message", err);
  r = recv_msg (x, &hdr, &pids, err);
  if (r < 0)
    return -1;
  if (r == 1 || hdr.type != RT_MSG_PIDS
      || sscanf (pids, "{\"stage1_pid\":%d,\"stage2_pid\":%d}", &stage1, &stage2) != 2)
    return stub_failed (x, "during the bootstrap", err);
  x->stage1 = stage1;
  x->c->pid = stage2;
  /* Both stages are our children (CLONE_PARENT) and exit once the init runs. */
  r = reap (x->stage0, "stage-0", err);
  x->stage0 = 0;
  if (r < 0)
    return stub_failed (x, "with an error in stage 0", err);
  r = reap (x->stage1, "stage-1", err);
  x->stage1 = 0;
  if (r < 0)
    return stub_failed (x, "with an error in stage 1", err);
  x->c->start_time = proc_start_time (x->c->pid);
  return 0;
}

static int
send_config (struct create_ctx *x, rt_error_t *err)
{
  struct rt_init_config ic = { .id = x->c->id,
                               .rootfs = x->c->rootfs,
                               .bundle = x->c->bundle,
                               .no_pivot = x->o->no_pivot,
                               .no_new_keyring = x->o->no_new_keyring,
                               .console_fd = x->console,
                               .preserve_fds = x->o->preserve_fds,
                               .fifo_fd = x->fifo };
  cleanup_free char *buf = NULL;
  size_t len;

  if (rt_init_config_encode (&ic, x->spec_json, x->spec_len, &buf, &len, err) < 0)
    return -1;
  if (rt_msg_send (x->sock, RT_MSG_CONFIG, 0, buf, (uint32_t) len) < 0)
    return rt_error (err, errno, "send the init config");
  return 0;
}

static int
write_pid_file (const char *path, pid_t pid, rt_error_t *err)
{
  char buf[32], abs[PATH_MAX];
  int n = snprintf (buf, sizeof buf, "%d", pid);

  if (path[0] != '/')
    {
      if (getcwd (abs, sizeof abs) == NULL)
        return rt_error (err, errno, "getcwd");
      path = xasprintf ("%s/%s", abs, path);
      n = write_file_atomic (path, buf, n, 0644, err);
      free ((char *) path);
      return n;
    }
  return write_file_atomic (path, buf, n, 0644, err);
}

static int
run_hooks (struct create_ctx *x, enum rt_hook_kind kind, rt_error_t *err)
{
  cleanup_free char *state = NULL;

  if (x->c->spec->hooks.n_hooks[kind] == 0)
    return 0;
  state = rt_container_state_json (x->c, false);
  return rt_hooks_run (x->c->spec, kind, state, err);
}

/* Serve the init until it closes the socket (set up, waiting on exec.fifo or exec'ing). */
static int
serve_init (struct create_ctx *x, rt_error_t *err)
{
  bool ready = false;

  for (;;)
    {
      cleanup_free char *data = NULL;
      cleanup_free char *state = NULL;
      struct rt_msg_hdr hdr;
      int r = recv_msg (x, &hdr, &data, err);

      if (r < 0)
        return -1;
      if (r == 1)
        return ready ? 0 : stub_failed (x, "before the container was ready", err);
      switch (hdr.type)
        {
          case RT_MSG_HOOKS:
            if (run_hooks (x, RT_HOOK_PRESTART, err) < 0
                || run_hooks (x, RT_HOOK_CREATE_RUNTIME, err) < 0)
              return -1;
            state = rt_container_state_json (x->c, false);
            if (rt_msg_send (x->sock, RT_MSG_HOOKS_DONE, 0, state, strlen (state)) < 0)
              return rt_error (err, errno, "resume the init after hooks");
            break;
          case RT_MSG_READY:
            if (rt_state_save (x->c, err) < 0)
              return -1;
            if (x->o->pid_file && write_pid_file (x->o->pid_file, x->c->pid, err) < 0)
              return -1;
            ready = true;
            state = rt_container_state_json (x->c, false);
            if (rt_msg_send (x->sock, RT_MSG_RUN, 0, state, strlen (state)) < 0)
              return rt_error (err, errno, "tell the init to run");
            break;
          case RT_MSG_ERROR:
            drain_all_logs (x);
            return rt_error (err, 0, "%s", data);
          default:
            return rt_error (err, 0, "unexpected message %u from the init", hdr.type);
        }
    }
}

/* Undo a failed create: no process, cgroup or state dir may survive it. */
static void
undo_create (struct create_ctx *x)
{
  pid_t pids[] = { x->stage0, x->stage1, x->c->pid };
  rt_error_t ignored = NULL;

  for (size_t i = 0; i < ARRAY_SIZE (pids); i++)
    if (pids[i] > 0 && kill (pids[i], SIGKILL) == 0)
      waitpid (pids[i], NULL, __WALL);
  if (x->cg)
    {
      if (x->cg->ops->kill (x->cg, SIGKILL, &ignored) < 0)
        rt_error_free (&ignored);
      if (x->cg->ops->destroy (x->cg, &ignored) < 0)
        rt_error_free (&ignored);
    }
  if (x->dir_made && rt_state_remove (x->c->id, &ignored) < 0)
    rt_error_free (&ignored);
  if (x->o->pid_file && x->c->pid > 0)
    unlink (x->o->pid_file);
}

static void
release_ctx (struct create_ctx *x)
{
  if (x->sock >= 0)
    close (x->sock);
  if (x->logfd >= 0)
    close (x->logfd);
  if (x->fifo >= 0)
    close (x->fifo);
  if (x->console >= 0)
    close (x->console);
  if (x->lock >= 0)
    close (x->lock);
  free (x->spec_json);
  free (x->stub_error);
  rt_cgroup_free (x->cg);
}

static int
do_create (struct create_ctx *x, rt_error_t *err)
{
  struct rt_container *c = x->c;
  cleanup_free char *copy = NULL;

  if (!rt_id_valid (c->id))
    return rt_error (err, 0,
                     "invalid container id \"%s\": only letters, digits, \"_\", \".\" "
                     "and \"-\", 1 to 1024 characters",
                     c->id);
  if (load_bundle (x, &c->spec, err) < 0)
    return -1;
  if (c->spec->process.terminal && x->o->console_socket == NULL && (!x->o->run || x->o->detach))
    return rt_error (err, 0, "process.terminal requires --console-socket");
  if (rt_state_create_dir (c->id, err) < 0)
    return -1;
  x->dir_made = true;
  /* held until create returns: a concurrent delete waits for a whole container */
  if (rt_state_lock (c->id, &x->lock, err) < 0)
    return -1;
  c->dir = rt_container_dir (c->id);
  c->created = rt_timestamp_now ();
  c->owner = xstrdup ("");
  copy = xasprintf ("%s/config.json", c->dir);
  if (write_file (copy, x->spec_json, x->spec_len, 0600, err) < 0)
    return -1;
  if (!x->o->run && make_fifo (x, err) < 0)
    return -1;
  if (x->o->console_socket && (x->console = connect_console (x->o->console_socket, err)) < 0)
    return -1;
  if (bootstrap (x, err) < 0 || send_config (x, err) < 0 || serve_init (x, err) < 0)
    return -1;
  drain_all_logs (x);
  return 0;
}

/* Foreground run: forward signals to the container's init until it exits. */
static int
wait_forwarding_signals (pid_t init, int *exit_status, rt_error_t *err)
{
  sigset_t all;
  cleanup_close int sfd = -1;
  int status;

  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, NULL);
  sfd = signalfd (-1, &all, SFD_CLOEXEC);
  if (sfd < 0)
    return rt_error (err, errno, "signalfd");
  prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  for (;;)
    {
      struct signalfd_siginfo si;
      pid_t p;

      while ((p = waitpid (-1, &status, WNOHANG | __WALL)) > 0)
        if (p == init)
          {
            *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
            return 0;
          }
      if (read (sfd, &si, sizeof si) != sizeof si)
        {
          if (errno == EINTR)
            continue;
          return rt_error (err, errno, "read signalfd");
        }
      if (si.ssi_signo != SIGCHLD)
        kill (init, (int) si.ssi_signo);
    }
}

int
rt_container_create (const struct rt_create_opts *opts, int *exit_status, rt_error_t *err)
{
  struct rt_container *c = xcalloc (1, sizeof *c);
  struct create_ctx x
      = { .o = opts, .c = c, .sock = -1, .logfd = -1, .fifo = -1, .console = -1, .lock = -1 };
  int ret;

  c->id = xstrdup (opts->id);
  *exit_status = 0;
  ret = do_create (&x, err);
  if (ret < 0)
    undo_create (&x);
  release_ctx (&x);
  if (ret == 0 && opts->run)
    {
      if (run_hooks (&x, RT_HOOK_POSTSTART, err) < 0)
        ret = -1;
      else if (!opts->detach)
        {
          ret = wait_forwarding_signals (c->pid, exit_status, err);
          if (ret == 0 && !opts->keep)
            ret = rt_container_delete (c, true, err);
        }
    }
  rt_container_free (c);
  return ret;
}

/* ---- start ---- */

static bool
init_alive (const struct rt_container *c)
{
  return c->pid > 0 && proc_start_time (c->pid) == c->start_time;
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
  return 0;
}

int
rt_container_start (const char *id, rt_error_t *err)
{
  struct rt_container *c = NULL;
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
        rt_container_free (c);
        return rt_error (err, 0, "cannot start a container that has stopped");
      default:
        rt_container_free (c);
        return rt_error (err, 0, "cannot start an already running container");
    }
  ret = release_fifo (c, err);
  if (ret == 0 && rt_container_spec (c, err) < 0)
    ret = -1;
  if (ret == 0 && c->spec->hooks.n_hooks[RT_HOOK_POSTSTART] > 0)
    {
      state = rt_container_state_json (c, false);
      ret = rt_hooks_run (c->spec, RT_HOOK_POSTSTART, state, err);
    }
  rt_container_free (c);
  return ret;
}
