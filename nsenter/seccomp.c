/* linux.seccomp with libseccomp (runc's libcontainer/seccomp).  The filter is compiled
   before the init reports ready, so that a bad profile fails create with an error that
   travels to rt as data; it is loaded as late as the process allows:

   - noNewPrivileges false: right after rt's go-ahead (RT_MSG_RUN), before the bounding set,
     the ids and the capabilities change: without no_new_privs only CAP_SYS_ADMIN may load a
     filter.  setgroups, setres[ug]id, capset, prctl and what follows run under it (runc).
   - noNewPrivileges true with an SCMP_ACT_NOTIFY rule: after no_new_privs is set, as the
     last exchange on the init socket, which carries the listener fd to rt (runc 1.1).
     exec.fifo, the startContainer hooks, close_range, the signal reset and execve run under it.
   - noNewPrivileges true otherwise: right before execve, after exec.fifo, the startContainer
     hooks, close_range and the signal reset: only execve itself runs under the filter.

   The listener fd goes to rt over the init socket (SCM_RIGHTS); rt, on the host side,
   connects to listenerPath and sends it with the container process state (runtime.md). */
#define _GNU_SOURCE
#include "init.h"
#include "nslog.h"
#include "sync.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SECCOMP_MAX_ARGS 6

struct name_value
{
  const char *name;
  int value;
};

/* The OCI spec's list, mapped to libseccomp's filter attributes. */
static const struct name_value filter_flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC },
  { "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB },
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SCMP_FLTATR_CTL_WAITKILL },
#endif
};

static const struct name_value compare_ops[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },
  { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },
  { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static int
lookup (const struct name_value *t, size_t n, const char *name, int *out)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (t[i].name, name) == 0)
      {
        *out = t[i].value;
        return 0;
      }
  return -1;
}

/* runc's getAction: ERRNO and TRACE carry errnoRet, EPERM when it is absent. */
static int
action_of (const char *name, bool has_errno, uint32_t errno_ret, uint32_t *out, const char *where,
           rt_error_t *err)
{
  uint32_t e = has_errno ? errno_ret : EPERM;

  if (has_errno && errno_ret > 0xffff)
    return rt_error (err, 0, "%s: errnoRet %u does not fit a seccomp return value", where,
                     errno_ret);
  if (strcmp (name, "SCMP_ACT_KILL") == 0)
    *out = SCMP_ACT_KILL;
  else if (strcmp (name, "SCMP_ACT_KILL_PROCESS") == 0)
    *out = SCMP_ACT_KILL_PROCESS;
  else if (strcmp (name, "SCMP_ACT_KILL_THREAD") == 0)
    *out = SCMP_ACT_KILL_THREAD;
  else if (strcmp (name, "SCMP_ACT_TRAP") == 0)
    *out = SCMP_ACT_TRAP;
  else if (strcmp (name, "SCMP_ACT_ERRNO") == 0)
    *out = SCMP_ACT_ERRNO (e);
  else if (strcmp (name, "SCMP_ACT_TRACE") == 0)
    *out = SCMP_ACT_TRACE (e);
  else if (strcmp (name, "SCMP_ACT_ALLOW") == 0)
    *out = SCMP_ACT_ALLOW;
  else if (strcmp (name, "SCMP_ACT_LOG") == 0)
    *out = SCMP_ACT_LOG;
  else if (strcmp (name, "SCMP_ACT_NOTIFY") == 0)
    *out = SCMP_ACT_NOTIFY;
  else
    return rt_error (err, 0, "%s: unknown seccomp action \"%s\"", where, name);
  return 0;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64".  An architecture this libseccomp does not
   know cannot be the one the container runs on: skipped with a warning. */
static int
add_arch (scmp_filter_ctx f, const char *name, rt_error_t *err)
{
  char lower[32];
  const char *s = strncmp (name, "SCMP_ARCH_", 10) == 0 ? name + 10 : name;
  uint32_t arch;
  size_t i;
  int r;

  for (i = 0; s[i] && i < sizeof lower - 1; i++)
    lower[i] = (char) tolower ((unsigned char) s[i]);
  lower[i] = '\0';
  arch = seccomp_arch_resolve_name (lower);
  if (arch == 0)
    {
      nslog ("warning", "seccomp: architecture %s is unknown to libseccomp %d.%d: ignored", name,
             SCMP_VER_MAJOR, SCMP_VER_MINOR);
      return 0;
    }
  r = seccomp_arch_add (f, arch);
  if (r < 0 && r != -EEXIST)
    return rt_error (err, -r, "seccomp: add architecture %s", name);
  return 0;
}

static int
set_flags (scmp_filter_ctx f, const struct rt_seccomp *s, rt_error_t *err)
{
  int r, attr;

  /* libseccomp sets no_new_privs on load by default: that is process.noNewPrivileges'
     business, not the filter's. */
  r = seccomp_attr_set (f, SCMP_FLTATR_CTL_NNP, 0);
  if (r < 0)
    return rt_error (err, -r, "seccomp: clear the no_new_privs attribute");
  /* the kernel's errno from seccomp_load rather than ECANCELED */
  seccomp_attr_set (f, SCMP_FLTATR_API_SYSRAWRC, 1);
  for (size_t i = 0; i < s->n_flags; i++)
    {
      if (lookup (filter_flags, ARRAY_SIZE (filter_flags), s->flags[i], &attr) < 0)
        return rt_error (err, 0, "linux.seccomp.flags: %s is not supported by libseccomp %d.%d.%d",
                         s->flags[i], SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
      r = seccomp_attr_set (f, (enum scmp_filter_attr) attr, 1);
      if (r < 0)
        return rt_error (err, -r, "linux.seccomp.flags: %s", s->flags[i]);
    }
  return 0;
}

static int
make_conditions (const struct rt_seccomp_syscall *sc, struct scmp_arg_cmp *conds, bool *same_index,
                 const char *where, rt_error_t *err)
{
  unsigned count[SECCOMP_MAX_ARGS] = { 0 };
  int op;

  *same_index = false;
  for (size_t i = 0; i < sc->n_args; i++)
    {
      const struct rt_seccomp_arg *a = &sc->args[i];

      if (a->index >= SECCOMP_MAX_ARGS)
        return rt_error (err, 0, "%s.args[%zu]: index %u is not below %d", where, i, a->index,
                         SECCOMP_MAX_ARGS);
      if (lookup (compare_ops, ARRAY_SIZE (compare_ops), a->op, &op) < 0)
        return rt_error (err, 0, "%s.args[%zu]: unknown operator \"%s\"", where, i, a->op);
      /* SCMP_CMP_MASKED_EQ: value is the mask, valueTwo what the masked argument equals. */
      conds[i] = (struct scmp_arg_cmp){
        .arg = a->index, .op = (enum scmp_compare) op, .datum_a = a->value, .datum_b = a->value_two
      };
      if (++count[a->index] > 1)
        *same_index = true;
    }
  return 0;
}

/* One syscall name of an entry; 1 if a rule was added.  runc's matchCall: the conditions of a rule
   are ANDed, but when one argument has several conditions each condition becomes a rule of its own
   (libseccomp cannot AND two comparisons of one argument). */
static int
add_rule (scmp_filter_ctx f, const char *name, uint32_t action, const struct rt_seccomp_syscall *sc,
          const struct scmp_arg_cmp *conds, bool same_index, const char *where, rt_error_t *err)
{
  int nr = seccomp_syscall_resolve_name (name), r = 0;

  if (nr == __NR_SCMP_ERROR)
    {
      nsdebug ("seccomp: unknown syscall \"%s\" ignored", name);
      return 0;
    }
  if (!same_index)
    r = seccomp_rule_add_array (f, action, nr, (unsigned) sc->n_args, conds);
  else
    for (size_t i = 0; i < sc->n_args && r == 0; i++)
      r = seccomp_rule_add_array (f, action, nr, 1, &conds[i]);
  if (r < 0)
    return rt_error (err, -r, "%s: add the rule for \"%s\"", where, name);
  return 1;
}

static int
add_syscalls (scmp_filter_ctx f, const struct rt_seccomp *s, uint32_t def, bool *notify,
              rt_error_t *err)
{
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct rt_seccomp_syscall *sc = &s->syscalls[i];
      cleanup_free char *where = xasprintf ("linux.seccomp.syscalls[%zu]", i);
      struct scmp_arg_cmp conds[64];
      bool same_index;
      uint32_t action;

      if (sc->n_args > ARRAY_SIZE (conds))
        return rt_error (err, 0, "%s: more than %zu args", where, ARRAY_SIZE (conds));
      if (action_of (sc->action, sc->has_errno_ret, sc->errno_ret, &action, where, err) < 0
          || make_conditions (sc, conds, &same_index, where, err) < 0)
        return -1;
      if (action == def)
        continue; /* libseccomp refuses a rule that repeats the default (runc skips it) */
      for (size_t j = 0; j < sc->n_names; j++)
        {
          /* The init writes the frame and sends the listener fd with these after the
             load: stopping them for an agent that does not have the fd yet deadlocks. */
          if (action == SCMP_ACT_NOTIFY
              && (strcmp (sc->names[j], "write") == 0 || strcmp (sc->names[j], "sendmsg") == 0))
            return rt_error (err, 0, "%s: SCMP_ACT_NOTIFY cannot be used for \"%s\"", where,
                             sc->names[j]);
          int added = add_rule (f, sc->names[j], action, sc, conds, same_index, where, err);
          if (added < 0)
            return -1;
          /* libseccomp asks the kernel for a listener only when a notify rule exists */
          *notify |= added && action == SCMP_ACT_NOTIFY;
        }
    }
  return 0;
}

static const struct rt_seccomp *
spec_seccomp (const struct rt_init_config *c)
{
  if (c->spec && c->spec->has_linux)
    return c->spec->linux_.seccomp;
  if (c->container && c->container->has_linux)
    return c->container->linux_.seccomp;
  return NULL;
}

static int
compile (const struct rt_seccomp *s, scmp_filter_ctx *out, bool *notify, rt_error_t *err)
{
  scmp_filter_ctx f;
  uint32_t def;
  int r = 0;

  *notify = false;
  if (action_of (s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def,
                 "linux.seccomp.defaultAction", err)
      < 0)
    return -1;
  if (def == SCMP_ACT_NOTIFY)
    return rt_error (err, 0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");
  f = seccomp_init (def);
  if (f == NULL)
    return rt_error (err, EINVAL, "seccomp: initialize a filter with default %s",
                     s->default_action);
  for (size_t i = 0; i < s->n_architectures && r == 0; i++)
    r = add_arch (f, s->architectures[i], err);
  if (r == 0)
    r = set_flags (f, s, err);
  if (r == 0)
    r = add_syscalls (f, s, def, notify, err);
  if (r == 0 && *notify && s->listener_path == NULL)
    r = rt_error (err, 0, "linux.seccomp: SCMP_ACT_NOTIFY needs listenerPath");
  if (r < 0)
    {
      seccomp_release (f);
      return -1;
    }
  *out = f;
  return 0;
}

int
seccomp_filter_prepare (struct init_ctx *ctx, rt_error_t *err)
{
  const struct rt_seccomp *s = spec_seccomp (ctx->config);
  scmp_filter_ctx f = NULL;

  if (s == NULL)
    return 0;
  if (compile (s, &f, &ctx->seccomp_notify, err) < 0)
    return -1;
  ctx->seccomp = f;
  nsdebug ("seccomp: filter compiled (default %s, %zu entries%s)", s->default_action, s->n_syscalls,
           ctx->seccomp_notify ? ", notify" : "");
  return 0;
}

/* RT_MSG_SECCOMP, then the fd on one byte of its own (rt reads frames with read(2), which
   would drop ancillary data), then wait for rt to have passed it to the agent. */
static int
send_listener (struct init_ctx *ctx, int fd, rt_error_t *err)
{
  char byte = 0, cbuf[CMSG_SPACE (sizeof (int))] = { 0 };
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&msg);
  cleanup_free char *data = NULL;
  struct rt_msg_hdr hdr;
  ssize_t n;

  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &fd, sizeof fd);
  if (rt_msg_send (ctx->initpipe, RT_MSG_SECCOMP, 0, NULL, 0) < 0)
    return rt_error (err, errno, "seccomp: write to the init pipe");
  do
    n = sendmsg (ctx->initpipe, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n != 1)
    return rt_error (err, n < 0 ? errno : EIO, "seccomp: send the listener fd");
  if (rt_msg_recv (ctx->initpipe, &hdr, &data) < 0)
    return rt_error (err, errno, "seccomp: read from the init pipe");
  if (hdr.type != RT_MSG_SECCOMP_DONE)
    return rt_error (err, 0, "init pipe: expected seccomp done, got message %u", hdr.type);
  return 0;
}

static enum seccomp_point
load_point (const struct init_ctx *ctx)
{
  if (!ctx->process->no_new_privileges)
    return SECCOMP_AT_PRIVILEGED;
  return ctx->seccomp_notify ? SECCOMP_AT_LAST_SYNC : SECCOMP_AT_EXEC;
}

int
seccomp_filter_apply (struct init_ctx *ctx, enum seccomp_point at, rt_error_t *err)
{
  scmp_filter_ctx f = ctx->seccomp;
  int r, fd;

  if (f == NULL || at != load_point (ctx))
    return 0;
  ctx->seccomp = NULL;
  r = seccomp_load (f);
  if (r < 0)
    {
      seccomp_release (f);
      return rt_error (err, -r, "seccomp: load the filter");
    }
  if (ctx->seccomp_notify)
    {
      fd = seccomp_notify_fd (f);
      if (fd < 0)
        r = rt_error (err, -fd, "seccomp: get the listener fd");
      else
        {
          r = send_listener (ctx, fd, err);
          close (fd);
        }
    }
  seccomp_release (f);
  return r;
}
