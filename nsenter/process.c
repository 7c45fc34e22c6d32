/* The process side of init: sysctl, LSM checks, cwd, environment, PATH lookup, rlimits,
   stray fds, user and groups, umask and no_new_privs (runc's finalizeNamespace and
   setupUser). */
#define _GNU_SOURCE
#include "init.h"
#include "linux_attrs.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- sysctl ---- */

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; a '/' in the name stands for a dot
   (sysctl(8): "net.ipv4.conf.eth0/1.rp_filter"), so the two swap. */
static char *
sysctl_path (const char *key)
{
  char *p = xstrdup (key);
  for (char *c = p; *c; c++)
    *c = *c == '.' ? '/' : *c == '/' ? '.' : *c;
  return p;
}

static int
sysctl_write (int procsys, const char *key, const char *value, rt_error_t *err)
{
  cleanup_free char *rel = sysctl_path (key);
  struct open_how how
      = { .flags = O_WRONLY | O_CLOEXEC,
          .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  cleanup_close int fd = (int) syscall (SYS_openat2, procsys, rel, &how, sizeof how);

  if (fd < 0 || write_all (fd, value, strlen (value)) < 0)
    return rt_error (err, errno, "sysctl \"%s\" = \"%s\"", key, value);
  return 0;
}

/* rt has refused these before anything was made (rt_sysctl_check); checked again here, where
   the sysctls are written. */
static int
sysctl_check (const struct rt_spec *spec, const char *key, rt_error_t *err)
{
  return rt_sysctl_check (&spec->linux_, key, err);
}

int
process_names (const struct rt_spec *spec, rt_error_t *err)
{
  if ((spec->hostname || spec->domainname) && !has_namespace (spec, CLONE_NEWUTS))
    return rt_error (err, 0,
                     "unable to set hostname or domainname without a private UTS "
                     "namespace");
  if (spec->hostname && sethostname (spec->hostname, strlen (spec->hostname)) < 0)
    return rt_error (err, errno, "sethostname \"%s\"", spec->hostname);
  if (spec->domainname && setdomainname (spec->domainname, strlen (spec->domainname)) < 0)
    return rt_error (err, errno, "setdomainname \"%s\"", spec->domainname);
  return 0;
}

int
process_sysctl (const struct rt_spec *spec, rt_error_t *err)
{
  cleanup_close int procsys = -1;

  if (spec->linux_.n_sysctl == 0)
    return 0;
  for (size_t i = 0; i < spec->linux_.n_sysctl; i++)
    if (sysctl_check (spec, spec->linux_.sysctl[i].key, err) < 0)
      return -1;
  procsys = open ("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (procsys < 0)
    return rt_error (err, errno, "open /proc/sys");
  for (size_t i = 0; i < spec->linux_.n_sysctl; i++)
    if (sysctl_write (procsys, spec->linux_.sysctl[i].key, spec->linux_.sysctl[i].value, err) < 0)
      return -1;
  return 0;
}

/* ---- LSMs ---- */

/* rt has checked these before anything was made (rt_lsm_check); checked again here for
   a process.json that reached nsinit another way. */
int
process_lsm_check (const struct rt_process *p, rt_error_t *err)
{
  return rt_lsm_check (p, NULL, err);
}

int
process_mount_label_check (const struct rt_spec *spec, rt_error_t *err)
{
  return rt_lsm_check (NULL, spec->linux_.mount_label, err);
}

/* Both take effect at execve, like runc's apparmor.ApplyProfile and SetExecLabel. */
static int
lsm_write (const char *attr, const char *alt, const char *text, rt_error_t *err)
{
  cleanup_error rt_error_t ignored = NULL;

  if (write_file (attr, text, strlen (text), 0, &ignored) == 0)
    return 0;
  if (alt && write_file (alt, text, strlen (text), 0, &ignored) == 0)
    return 0;
  return rt_error (err, errno, "write \"%s\" to %s", text, attr);
}

int
process_lsm_apply (const struct rt_process *p, rt_error_t *err)
{
  cleanup_free char *profile = NULL;

  if (p->apparmor_profile && p->apparmor_profile[0])
    {
      profile = xasprintf ("exec %s", p->apparmor_profile);
      if (lsm_write ("/proc/self/attr/apparmor/exec", "/proc/self/attr/exec", profile, err) < 0)
        return -1;
    }
  if (p->selinux_label && p->selinux_label[0]
      && lsm_write ("/proc/self/attr/exec", NULL, p->selinux_label, err) < 0)
    return -1;
  return 0;
}

/* ---- cwd, environment, PATH ---- */

static int
chdir_cwd (const char *cwd, rt_error_t *err)
{
  char buf[PATH_MAX];

  /* The cwd is resolved from the container's root, never from an inherited directory
     (CVE-2024-21626), and must end up inside it. */
  if (chdir ("/") < 0 || chdir (cwd) < 0)
    return rt_error (err, errno, "chdir to cwd (\"%s\") set in config.json", cwd);
  if (getcwd (buf, sizeof buf) == NULL || buf[0] != '/')
    return rt_error (err, errno ? errno : ENOENT, "cwd \"%s\" is outside the container", cwd);
  return 0;
}

static const char *
env_get (char *const *env, const char *name)
{
  size_t n = strlen (name);
  for (; env && *env; env++)
    if (strncmp (*env, name, n) == 0 && (*env)[n] == '=')
      return *env + n + 1;
  return NULL;
}

/* The image's /etc/passwd, if it is a regular file: a fifo there must not hang us. */
static FILE *
open_passwd (void)
{
  int fd = open ("/etc/passwd", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  FILE *f;

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (f = fdopen (fd, "re")) == NULL)
    {
      close (fd);
      return NULL;
    }
  return f;
}

/* runc sets HOME from the container's /etc/passwd when the spec does not. */
static char *
passwd_home (uid_t uid)
{
  cleanup_fclose FILE *f = open_passwd ();
  cleanup_free char *line = NULL;
  size_t cap = 0;

  while (f && getline (&line, &cap, f) > 0)
    {
      char *fields[7], *tok = line;
      int n = 0;
      unsigned long id;

      line[strcspn (line, "\n")] = '\0';
      while (n < 7 && (fields[n] = strsep (&tok, ":")) != NULL)
        n++;
      if (n >= 6 && parse_ulong (fields[2], &id) == 0 && id == uid && fields[5][0])
        return xstrdup (fields[5]);
    }
  return xstrdup ("/");
}

static char **
build_env (const struct rt_process *p)
{
  size_t n = p->n_env;
  char **env = xcalloc (n + 2, sizeof *env);

  for (size_t i = 0; i < n; i++)
    env[i] = xstrdup (p->env[i]);
  if (env_get (env, "HOME") == NULL)
    {
      cleanup_free char *home = passwd_home (p->user.uid);
      env[n++] = xasprintf ("HOME=%s", home);
    }
  env[n] = NULL;
  return env;
}

static int
set_rlimits (const struct rt_process *p, rt_error_t *err)
{
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      const struct rt_rlimit *r = &p->rlimits[i];
      struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };

      if (setrlimit (r->resource, &rl) < 0)
        return rt_error (err, errno, "setrlimit %s (soft %llu, hard %llu)", r->type,
                         (unsigned long long) r->soft, (unsigned long long) r->hard);
    }
  return 0;
}

int
process_prepare (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_process *p = ctx->process;
  const char *cwd = p->cwd ? p->cwd : "/";

  if (p->n_args == 0 || p->args == NULL || p->args[0] == NULL)
    return rt_error (err, 0, "process.args must not be empty");
  if (chdir_cwd (cwd, err) < 0)
    return -1;
  ctx->env = build_env (p);
  if (rt_lookpath (p->args[0], env_get (ctx->env, "PATH"), &ctx->exec_path, err) < 0)
    return -1;
  return set_rlimits (p, err);
}

/* ---- fds ---- */

/* Every fd above the preserved ones closes at execve; the preserved ones pass. */
int
process_close_fds (struct init_ctx *ctx, rt_error_t *err)
{
  unsigned int first = 3 + (unsigned) ctx->config->preserve_fds;

  if (syscall (SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    return rt_error (err, errno, "close_range");
  for (unsigned int fd = 3; fd < first; fd++)
    {
      int flags = fcntl ((int) fd, F_GETFD);
      if ((int) fd == ctx->initpipe || (int) fd == ctx->logpipe || (int) fd == ctx->config->fifo_fd
          || (int) fd == ctx->rootfd)
        continue; /* ours: never the container's, whatever rt passed */
      if (flags >= 0)
        fcntl ((int) fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
  return 0;
}

/* ---- user ---- */

static int
set_groups (const struct rt_process *p, rt_error_t *err)
{
  cleanup_free char *policy = NULL;
  cleanup_error rt_error_t ignored = NULL; /* no setgroups file: no user namespace */
  size_t len;
  gid_t *gids;
  int ret;

  /* A user namespace with setgroups "deny" cannot change groups at all; without
     additional gids there is nothing to ask for, so go on (runc does the same). */
  if (read_file ("/proc/self/setgroups", &policy, &len, &ignored) == 0
      && strncmp (policy, "deny", 4) == 0)
    {
      if (p->user.n_additional_gids > 0)
        return rt_error (err, EPERM, "setgroups: denied in this user namespace");
      return 0;
    }
  gids = xcalloc (p->user.n_additional_gids, sizeof *gids);
  for (size_t i = 0; i < p->user.n_additional_gids; i++)
    gids[i] = p->user.additional_gids[i];
  ret = setgroups (p->user.n_additional_gids, gids);
  free (gids);
  if (ret < 0)
    return rt_error (err, errno, "setgroups");
  return 0;
}

int
process_user (const struct rt_process *p, rt_error_t *err)
{
  uid_t uid = p->user.uid;
  gid_t gid = p->user.gid;

  /* Keep the permitted set across the uid change; caps_apply sets it right after. */
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return rt_error (err, errno, "prctl PR_SET_KEEPCAPS");
  if (set_groups (p, err) < 0)
    return -1;
  if (setresgid (gid, gid, gid) < 0)
    return rt_error (err, errno, "setresgid %u", gid);
  if (setresuid (uid, uid, uid) < 0)
    return rt_error (err, errno, "setresuid %u", uid);
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return rt_error (err, errno, "prctl PR_SET_KEEPCAPS");
  return 0;
}

int
process_finish (const struct rt_process *p, rt_error_t *err)
{
  umask (p->user.has_umask ? (mode_t) p->user.umask : 0022);
  if (p->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return rt_error (err, errno, "prctl PR_SET_NO_NEW_PRIVS");
  return 0;
}
