/* nsinit's main(): the container's init after the constructor (nsexec.c) has put it in
   its namespaces (runc's standard_init_linux.go and setns_init_linux.go).  It talks to rt
   over the init pipe: config in, hooks/ready/run handshakes, errors out as data; then it
   waits on exec.fifo and execs the user's process. */
#define _GNU_SOURCE
#include "init.h"
#include "nslog.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
env_int (const char *name, int *out)
{
  const char *v = getenv (name);
  long n;

  if (v == NULL || parse_long (v, &n) < 0 || n < 0 || n > 1 << 20)
    return -1;
  *out = (int) n;
  return 0;
}

static void
cloexec (int fd)
{
  int flags = fcntl (fd, F_GETFD);
  if (flags >= 0)
    fcntl (fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Exchange one handshake: send SEND (empty), expect WANT back; before it may come the
   seccomp program (RT_MSG_SECCOMP_PROG). */
static int
handshake (struct init_ctx *ctx, uint32_t send, uint32_t want, char **data, rt_error_t *err)
{
  struct rt_msg_hdr hdr;

  if (rt_msg_send (ctx->initpipe, send, 0, NULL, 0) < 0)
    return rt_error (err, errno, "write to the init pipe");
  for (;;)
    {
      if (rt_msg_recv (ctx->initpipe, &hdr, data) < 0)
        return rt_error (err, errno, "read from the init pipe");
      if (hdr.type != RT_MSG_SECCOMP_PROG)
        break;
      if (seccomp_filter_take (ctx, take_ptr (data), hdr.len, err) < 0)
        return -1;
    }
  if (hdr.type != want)
    return rt_error (err, 0, "init pipe: unexpected message %u", hdr.type);
  return 0;
}

static int
recv_config (struct init_ctx *ctx, rt_error_t *err)
{
  cleanup_free char *data = NULL;
  struct rt_msg_hdr hdr;

  if (rt_msg_recv (ctx->initpipe, &hdr, &data) < 0)
    return rt_error (err, errno, "read the init config");
  if (hdr.type != RT_MSG_CONFIG)
    return rt_error (err, 0, "init pipe: expected the config, got message %u", hdr.type);
  if (rt_init_config_decode (data, hdr.len, &ctx->config, err) < 0)
    return rt_error_wrap (err, "init config");
  ctx->process = ctx->config->process;
  if (ctx->process == NULL)
    return rt_error (err, 0, "init config: no process");
  /* Inherited without O_CLOEXEC so that they survived rt's exec of nsinit; the hooks
     we run must not get them. */
  if (ctx->config->fifo_fd >= 0)
    cloexec (ctx->config->fifo_fd);
  if (ctx->config->console_fd >= 0)
    cloexec (ctx->config->console_fd);
  return 0;
}

/* The bind sources rt cloned in our mount namespace (frontend/mount_sources.c): int32
   mount indices, then one fd each. */
static int
recv_mount_sources (struct init_ctx *ctx, rt_error_t *err)
{
  struct rt_init_config *c = ctx->config;
  cleanup_free char *data = NULL;
  cleanup_free int *fds = NULL;
  struct rt_msg_hdr hdr;
  size_t n;
  int ret = 0;

  c->n_mount_fds = c->spec->n_mounts;
  c->mount_fds = xcalloc (c->n_mount_fds + 1, sizeof *c->mount_fds);
  for (size_t i = 0; i < c->n_mount_fds; i++)
    c->mount_fds[i] = -1;
  if (rt_msg_recv (ctx->initpipe, &hdr, &data) < 0)
    return rt_error (err, errno, "read the bind sources");
  if (hdr.type != RT_MSG_MOUNT_SOURCES || hdr.len % sizeof (int32_t) != 0)
    return rt_error (err, 0, "init pipe: expected the bind sources, got message %u", hdr.type);
  n = hdr.len / sizeof (int32_t);
  fds = xcalloc (n + 1, sizeof *fds);
  if (n > 0 && rt_recv_fds (ctx->initpipe, fds, n) < 0)
    return rt_error (err, errno, "receive the bind sources");
  for (size_t k = 0; k < n; k++)
    {
      int32_t i;
      memcpy (&i, data + k * sizeof i, sizeof i);
      if (i < 0 || (size_t) i >= c->n_mount_fds || c->mount_fds[i] >= 0)
        {
          close (fds[k]);
          ret = rt_error (err, 0, "init pipe: bind source for mount %d", (int) i);
          continue;
        }
      c->mount_fds[i] = fds[k];
    }
  return ret;
}

bool
has_namespace (const struct rt_spec *spec, int flag)
{
  return rt_linux_namespace (&spec->linux_, flag) != NULL;
}

/* In a user namespace unless uid_map is the initial namespace's identity map. */
static bool
in_userns (void)
{
  cleanup_free char *map = NULL;
  cleanup_error rt_error_t ignored = NULL; /* no uid_map: no user namespaces either */
  size_t len;
  unsigned long a, b, c;

  if (read_file ("/proc/self/uid_map", &map, &len, &ignored) < 0)
    return false;
  return !(sscanf (map, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL
           && strchr (map, '\n') == map + len - 1);
}

/* runc's needsSetupDev: /dev gets the default devices unless it is bound from the host. */
static bool
needs_setup_dev (const struct rt_spec *spec)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      struct mount_opts o;
      cleanup_free char *dest = path_clean (spec->mounts[i].destination);
      cleanup_error rt_error_t ignored = NULL; /* a bad /dev mount fails when it is made */
      bool bind;

      if (strcmp (dest, "/dev") != 0 || mount_opts_parse (&spec->mounts[i], &o, &ignored) < 0)
        continue;
      bind = o.bind;
      mount_opts_free (&o);
      if (bind)
        return false;
    }
  return true;
}

/* A fresh session keyring per container, so containers do not share the host's
   (runc: "_ses.<id>"); the kernel may not have keyrings at all. */
static int
join_session_keyring (const char *id, rt_error_t *err)
{
  cleanup_free char *name = xasprintf ("_ses.%s", id ? id : "");
  char desc[512];
  unsigned long perm;
  long key = syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);

  if (key < 0)
    {
      if (errno == ENOSYS)
        return 0;
      return rt_error (err, errno, "join session keyring");
    }
  /* runc's ModKeyringPerm: let the possessor's user search it too (KEY_USR_SEARCH). */
  if (syscall (SYS_keyctl, KEYCTL_DESCRIBE, key, desc, sizeof desc, 0) > 0
      && sscanf (desc, "%*[^;];%*[^;];%*[^;];%lx", &perm) == 1)
    syscall (SYS_keyctl, KEYCTL_SETPERM, key, (perm & 0xffffffffUL) | 0x080000UL, 0, 0);
  return 0;
}

/* RT_MSG_HOOKS (rt runs prestart and createRuntime), then createContainer here, in the
   container's namespaces but before pivot_root. */
static int
create_hooks (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_hooks *h = &ctx->config->spec->hooks;

  if (h->n_hooks[RT_HOOK_PRESTART] + h->n_hooks[RT_HOOK_CREATE_RUNTIME]
          + h->n_hooks[RT_HOOK_CREATE_CONTAINER]
      == 0)
    return 0;
  if (handshake (ctx, RT_MSG_HOOKS, RT_MSG_HOOKS_DONE, &ctx->state_json, err) < 0)
    return -1;
  return hooks_run (h->hooks[RT_HOOK_CREATE_CONTAINER], h->n_hooks[RT_HOOK_CREATE_CONTAINER],
                    "createContainer", ctx->state_json, ctx->rootfd, ctx->process->env, err);
}

/* No mount namespace: the caller's is the container's (config.md).  Nothing is mounted
   or made in it (rt's validator refused mounts, devices and remounts); as runc, the
   process is chrooted into root.path. */
static int
shared_mntns_setup (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_spec *spec = ctx->config->spec;
  cleanup_close int cwdfd = -1;

  umask (0);
  if ((!ctx->config->no_new_keyring && join_session_keyring (ctx->config->id, err) < 0)
      || network_loopback_up (spec, err) < 0)
    return -1;
  ctx->rootfd = open (ctx->config->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx->rootfd < 0)
    return rt_error (err, errno, "open rootfs \"%s\"", ctx->config->rootfs);
  if (create_hooks (ctx, err) < 0)
    return -1;
  if (fchdir (ctx->rootfd) < 0 || chroot (".") < 0 || chdir ("/") < 0)
    return rt_error (err, errno, "chroot to the rootfs \"%s\"", ctx->config->rootfs);
  cwdfd = safe_mkdir_p (ctx->rootfd, ctx->process->cwd ? ctx->process->cwd : "/", 0755, err);
  if (cwdfd < 0)
    return rt_error_wrap (err, "cwd");
  if (process_names (spec, err) < 0 || process_lsm_apply (ctx->process, err) < 0
      || process_sysctl (spec, err) < 0)
    return -1;
  return 0;
}

/* Steps 2-5 of a standard init: the rootfs, hooks, pivot, and what needs the new root. */
static int
standard_setup (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_spec *spec = ctx->config->spec;
  cleanup_close int cwdfd = -1;

  if (!has_namespace (spec, CLONE_NEWNS))
    return shared_mntns_setup (ctx, err);
  ctx->cgroupns = has_namespace (spec, CLONE_NEWCGROUP);
  ctx->setup_dev = needs_setup_dev (spec);
  umask (0); /* modes of created targets and devices are exactly the ones asked for */
  if (!ctx->config->no_new_keyring && join_session_keyring (ctx->config->id, err) < 0)
    return -1;
  if (network_loopback_up (spec, err) < 0)
    return -1;
  /* Before anything is mounted here: the sources rt cloned, and the host's /dev/null
     for the masks (a copy from this namespace keeps the host mount's locked flags). */
  if (ctx->config->mount_sources && recv_mount_sources (ctx, err) < 0)
    return -1;
  if (spec->linux_.n_masked_paths > 0)
    ctx->config->null_fd = open_tree (AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (rootfs_prepare (ctx, err) < 0)
    return -1;
  nstiming ("init: rootfs prepared");
  if (mounts_apply (ctx, err) < 0)
    return -1;
  nstiming ("init: mounts done");
  if (devices_setup (ctx, err) < 0 || create_hooks (ctx, err) < 0 || rootfs_pivot (ctx, err) < 0)
    return -1;
  nstiming ("init: devices, hooks, pivot_root");
  /* runc creates process.cwd inside the new root. */
  cwdfd = safe_mkdir_p (ctx->rootfd, ctx->process->cwd ? ctx->process->cwd : "/", 0755, err);
  if (cwdfd < 0)
    return rt_error_wrap (err, "cwd");
  if (console_setup (ctx, err) < 0 || process_names (spec, err) < 0
      || process_lsm_apply (ctx->process, err) < 0 || process_sysctl (spec, err) < 0
      || rootfs_finalize (ctx, err) < 0 || rootfs_propagation (ctx, err) < 0)
    return -1;
  nstiming ("init: console, sysctl, rootfs read-only");
  return 0;
}

/* Steps 6-8: everything that can still fail in front of rt, then the point of no
   return for privileges. */
static int
common_setup (struct init_ctx *ctx, rt_error_t *err)
{
  cleanup_free char *run_state = NULL;

  if (process_prepare (ctx, err) < 0)
    return -1;
  nsdebug ("ready: exec %s", ctx->exec_path);
  nstiming ("init: ready");
  if (handshake (ctx, RT_MSG_READY, RT_MSG_RUN, &run_state, err) < 0)
    return -1;
  nstiming ("init: run received (seccomp program in)");
  if (run_state && run_state[0])
    {
      free (ctx->state_json);
      ctx->state_json = take_ptr (&run_state);
    }
  /* With every privilege still held (a real-time policy needs CAP_SYS_NICE). */
  if (process_sched (ctx->process, err) < 0 || process_persona_mempolicy (ctx->config, err) < 0)
    return -1;
  if (seccomp_filter_apply (ctx, SECCOMP_AT_PRIVILEGED, err) < 0
      || caps_drop_bounding (ctx->process, err) < 0 || process_user (ctx->process, err) < 0
      || caps_apply (ctx->process, err) < 0 || process_finish (ctx->process, err) < 0
      || seccomp_filter_apply (ctx, SECCOMP_AT_LAST_SYNC, err) < 0)
    return -1;
  nstiming ("init: capabilities, user (seccomp if before exec)");
  return 0;
}

static int
init_run (struct init_ctx *ctx, bool setns, rt_error_t *err)
{
  /* From here on no fd of rt's or the host's but the preserved ones survives an exec:
     not the hooks', not the process's (CVE-2024-21626). */
  if (recv_config (ctx, err) < 0 || process_close_fds (ctx, err) < 0)
    return -1;
  nstiming ("init: config received");
  if (ctx->config->setns != setns)
    return rt_error (err, 0, "init config: %s=%s disagrees with the config", RT_ENV_INITTYPE,
                     setns ? "setns" : "standard");
  ctx->userns = in_userns ();
  if (process_lsm_check (ctx->process, err) < 0
      || (!setns && process_mount_label_check (ctx->config->spec, err) < 0))
    return -1;
  if (setns)
    {
      if (console_setup (ctx, err) < 0 || process_lsm_apply (ctx->process, err) < 0)
        return -1;
    }
  else if (standard_setup (ctx, err) < 0)
    return -1;
  return common_setup (ctx, err);
}

/* exec.fifo: opening it for writing blocks until `rt start` opens it for reading. */
/* exec.fifo: open it for writing (blocks until `rt start` opens it for reading) and
   write a byte.  KEEP: startContainer hooks follow, and rt start waits on the fifo for
   their outcome (an error's text, or EOF when our fds close before execve): the fd is
   returned open.  Otherwise -1. */
static int
wait_fifo (int fifo_fd, bool keep)
{
  char path[64];
  int fd;

  snprintf (path, sizeof path, "/proc/self/fd/%d", fifo_fd);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    {
      fprintf (stderr, "nsinit: open exec.fifo: %s\n", rt_strerror (errno));
      _exit (1);
    }
  if (write (fd, "0", 1) != 1)
    {
      fprintf (stderr, "nsinit: write exec.fifo: %s\n", rt_strerror (errno));
      _exit (1);
    }
  close (fifo_fd);
  if (keep)
    return fd;
  close (fd);
  return -1;
}

/* Dispositions set to "ignore" and the blocked mask survive execve: whatever rt or its
   caller had there must not become the container's. */
static void
reset_signals (void)
{
  sigset_t none;

  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      signal (sig, SIG_DFL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* close_range from LO up, sparing KEEP (-1: none). */
static void
close_fds_except (unsigned lo, int keep)
{
  if (keep < 0 || (unsigned) keep < lo)
    {
      syscall (SYS_close_range, lo, ~0U, 0);
      return;
    }
  if ((unsigned) keep > lo)
    syscall (SYS_close_range, lo, (unsigned) keep - 1, 0);
  syscall (SYS_close_range, (unsigned) keep + 1, ~0U, 0);
}

static void start (struct init_ctx *ctx) __attribute__ ((noreturn));

/* Step 10: the pipe is gone, so errors go to the container's stderr from here on. */
static void
start (struct init_ctx *ctx)
{
  const struct rt_process *p = ctx->process;
  const struct rt_spec *spec = ctx->config->spec;
  size_t n_start_hooks = spec ? spec->hooks.n_hooks[RT_HOOK_START_CONTAINER] : 0;
  rt_error_t err = NULL;
  int e, fifo = -1;

  nstiming ("init: exec (then exec.fifo, seccomp, execve)");
  close (ctx->initpipe);
  if (ctx->rootfd >= 0)
    close (ctx->rootfd);
  nslog_fd = -1;
  if (ctx->logpipe >= 0)
    close (ctx->logpipe);
  if (ctx->config->fifo_fd >= 0)
    fifo = wait_fifo (ctx->config->fifo_fd, n_start_hooks > 0);
  /* Nothing of ours or of the host's reaches the process: close, do not just mark (and
     before the filter, which need not allow close_range); exec.fifo, kept for a hook's
     error, is O_CLOEXEC. */
  close_fds_except (3 + (unsigned) ctx->config->preserve_fds, fifo);
  reset_signals ();
  if (process_affinity_final (p, &err) < 0 || seccomp_filter_apply (ctx, SECCOMP_AT_EXEC, &err) < 0)
    {
      fprintf (stderr, "nsinit: %s\n", err->msg);
      _exit (1);
    }
  /* As in runc, the startContainer hooks run under the filter. */
  if (n_start_hooks > 0
      && hooks_run (spec->hooks.hooks[RT_HOOK_START_CONTAINER], n_start_hooks, "startContainer",
                    ctx->state_json, -1, ctx->process->env, &err)
             < 0)
    {
      /* rt start reports it (runtime.md: start fails); the container stops */
      if (fifo >= 0)
        dprintf (fifo, "%s", err->msg);
      fprintf (stderr, "nsinit: %s\n", err->msg);
      _exit (1);
    }
  execve (ctx->exec_path, p->args, ctx->env);
  e = errno;
  fprintf (stderr, "nsinit: exec \"%s\": %s\n", p->args[0], rt_strerror (e));
  _exit (e == EACCES || e == ENOEXEC ? 126 : 127);
}

int
main (int argc, char **argv)
{
  struct init_ctx ctx = { .initpipe = -1, .logpipe = -1, .rootfd = -1 };
  const char *type = getenv (RT_ENV_INITTYPE);
  rt_error_t err = NULL;
  bool setns = type && strcmp (type, "setns") == 0;

  if (getenv (RT_ENV_INITPIPE) == NULL)
    {
      fputs ("nsinit: this is rt's container init; it is started by rt, not by hand\n", stderr);
      return 1;
    }
  if (env_int (RT_ENV_INITPIPE, &ctx.initpipe) < 0)
    {
      fprintf (stderr, "nsinit: invalid %s\n", RT_ENV_INITPIPE);
      return 1;
    }
  if (env_int (RT_ENV_LOGPIPE, &ctx.logpipe) == 0)
    {
      nslog_fd = ctx.logpipe;
      cloexec (ctx.logpipe);
    }
  nslog_debug = getenv (RT_ENV_LOGLEVEL) && strcmp (getenv (RT_ENV_LOGLEVEL), "debug") == 0;
  /* None of this is the container's business. */
  unsetenv (RT_ENV_INITPIPE);
  unsetenv (RT_ENV_LOGPIPE);
  unsetenv (RT_ENV_LOGLEVEL);
  unsetenv (RT_ENV_INITTYPE);
  cloexec (ctx.initpipe);
  nsdebug ("nsinit main: %s init", setns ? "setns" : "standard");

  if (init_run (&ctx, setns, &err) < 0)
    {
      nsdebug ("init failed: %s", err->msg);
      rt_msg_send_error (ctx.initpipe, err);
      _exit (1);
    }
  start (&ctx);
}
