/* linux.seccomp, compiled with libseccomp (runc's libcontainer/seccomp) on rt's side.
   rt does it while the init sets the container up, where a large profile (docker's
   default, 350 syscalls on three architectures, takes libseccomp some 8 ms here) costs
   the container's start nothing; a bad profile fails the create in rt.  The init gets
   the BPF program and the seccomp(2) flags (RT_MSG_SECCOMP_PROG) and loads it with the
   kernel's call, at the point nsenter/seccomp.c explains: nsinit needs no libseccomp. */
#define _GNU_SOURCE
#include "seccomp_filter.h"

#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define SECCOMP_MAX_ARGS 6

/* The OCI spec's list: flags of seccomp(SECCOMP_SET_MODE_FILTER), which the init passes. */
static const struct rt_name_value filter_flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
  { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

const char *
rt_seccomp_supported_flag (size_t i)
{
  return i < ARRAY_SIZE (filter_flags) ? filter_flags[i].name : NULL;
}

static const struct rt_name_value compare_ops[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },
  { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },
  { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

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
      rt_log (RT_LOG_WARN, "seccomp: architecture %s is unknown to libseccomp %d.%d: ignored", name,
              SCMP_VER_MAJOR, SCMP_VER_MINOR);
      return 0;
    }
  r = seccomp_arch_add (f, arch);
  if (r < 0 && r != -EEXIST)
    return rt_error (err, -r, "seccomp: add architecture %s", name);
  return 0;
}

static int
kernel_flags (const struct rt_seccomp *s, uint32_t *out, rt_error_t *err)
{
  long flag;

  *out = 0;
  for (size_t i = 0; i < s->n_flags; i++)
    {
      if (rt_name_lookup (filter_flags, ARRAY_SIZE (filter_flags), s->flags[i], &flag) < 0)
        return rt_error (err, 0, "linux.seccomp.flags: %s is not supported", s->flags[i]);
      *out |= (uint32_t) flag;
    }
  return 0;
}

static int
make_conditions (const struct rt_seccomp_syscall *sc, struct scmp_arg_cmp *conds, bool *same_index,
                 const char *where, rt_error_t *err)
{
  unsigned count[SECCOMP_MAX_ARGS] = { 0 };
  long op;

  *same_index = false;
  for (size_t i = 0; i < sc->n_args; i++)
    {
      const struct rt_seccomp_arg *a = &sc->args[i];

      if (a->index >= SECCOMP_MAX_ARGS)
        return rt_error (err, 0, "%s.args[%zu]: index %u is not below %d", where, i, a->index,
                         SECCOMP_MAX_ARGS);
      if (rt_name_lookup (compare_ops, ARRAY_SIZE (compare_ops), a->op, &op) < 0)
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
      rt_log (RT_LOG_DEBUG, "seccomp: unknown syscall \"%s\" ignored", name);
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

/* The highest syscall number the profile names for ARCH, or -1. */
static int
last_syscall (const struct rt_seccomp *s, uint32_t arch)
{
  int last = -1;

  for (size_t i = 0; i < s->n_syscalls; i++)
    for (size_t j = 0; j < s->syscalls[i].n_names; j++)
      {
        int nr = seccomp_syscall_resolve_name_arch (arch, s->syscalls[i].names[j]);
        if (nr > last)
          last = nr;
      }
  return last;
}

#define STUB_MAX (16 * 5 + 2) /* 16 architectures */

/* runc's -ENOSYS stub (libcontainer/seccomp/patchbpf.go), put before libseccomp's
   program: on each architecture of the profile, a syscall numbered above the highest one
   the profile names gets ENOSYS instead of the default action, so a libc newer than the
   profile falls back (clone3 -> clone, ...).  As in runc, not when the default action
   lets syscalls through (allow, log, trace) or already is ENOSYS.  x32 (bit 30 on
   x86_64) is left to libseccomp's program. */
static size_t
enosys_stub (const struct rt_seccomp *s, struct sock_filter *stub)
{
  uint32_t def, arches[16];
  size_t n_arch = 0, n = 0, ret_at;
  cleanup_error rt_error_t ignored = NULL;

  if (action_of (s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def, "",
                 &ignored)
          < 0
      || def == SCMP_ACT_ALLOW || def == SCMP_ACT_LOG || (def & 0xffff0000U) == SCMP_ACT_TRACE (0)
      || def == SCMP_ACT_ERRNO (ENOSYS))
    return 0;
  if (s->n_architectures == 0)
    arches[n_arch++] = seccomp_arch_native ();
  for (size_t i = 0; i < s->n_architectures && n_arch < ARRAY_SIZE (arches); i++)
    {
      char lower[32];
      const char *a = s->architectures[i];
      size_t k;

      a += strncmp (a, "SCMP_ARCH_", 10) == 0 ? 10 : 0;
      for (k = 0; a[k] && k < sizeof lower - 1; k++)
        lower[k] = (char) tolower ((unsigned char) a[k]);
      lower[k] = '\0';
      if (seccomp_arch_resolve_name (lower) != 0
          && seccomp_arch_resolve_name (lower) != SCMP_ARCH_X32)
        arches[n_arch++] = seccomp_arch_resolve_name (lower);
    }
  /* each block: load arch; not this one: next block; load nr; [x32: filter]; nr > last:
     ENOSYS, else the filter.  Then "ja filter", "ret ENOSYS". */
  ret_at = 0;
  for (size_t i = 0; i < n_arch; i++)
    ret_at += last_syscall (s, arches[i]) < 0 ? 0 : arches[i] == SCMP_ARCH_X86_64 ? 5 : 4;
  if (ret_at == 0)
    return 0;
  ret_at += 1;
  for (size_t i = 0; i < n_arch; i++)
    {
      int last = last_syscall (s, arches[i]);
      bool x86_64 = arches[i] == SCMP_ARCH_X86_64;

      if (last < 0)
        continue;
      stub[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS,
                                                 offsetof (struct seccomp_data, arch));
      stub[n]
          = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, arches[i], 0, x86_64 ? 3 : 2);
      n++;
      stub[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS,
                                                 offsetof (struct seccomp_data, nr));
      if (x86_64)
        {
          stub[n] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, 0x40000000,
                                                   (uint8_t) (ret_at + 1 - (n + 1)), 0);
          n++;
        }
      stub[n] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, (uint32_t) last,
                                               (uint8_t) (ret_at - (n + 1)),
                                               (uint8_t) (ret_at + 1 - (n + 1)));
      n++;
    }
  stub[n++] = (struct sock_filter) BPF_STMT (BPF_JMP | BPF_JA, 1);
  stub[n++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  return n;
}

/* libseccomp writes the program to an fd: a memfd, read back whole, after the stub. */
static int
export_program (scmp_filter_ctx f, uint32_t flags, const struct sock_filter *stub, size_t n_stub,
                char **msg, size_t *len, rt_error_t *err)
{
  cleanup_close int fd = memfd_create ("rt:seccomp", MFD_CLOEXEC);
  cleanup_free char *buf = NULL;
  off_t size;
  int r;

  if (fd < 0)
    return rt_error (err, errno, "seccomp: memfd_create");
  r = seccomp_export_bpf (f, fd);
  if (r < 0)
    return rt_error (err, -r, "seccomp: generate the program");
  size = lseek (fd, 0, SEEK_END);
  if (size <= 0 || size % 8 != 0)
    return rt_error (err, EIO, "seccomp: the program has %lld bytes", (long long) size);
  buf = xmalloc (sizeof flags + n_stub * sizeof *stub + (size_t) size);
  memcpy (buf, &flags, sizeof flags);
  memcpy (buf + sizeof flags, stub, n_stub * sizeof *stub);
  if (pread (fd, buf + sizeof flags + n_stub * sizeof *stub, (size_t) size, 0) != size)
    return rt_error (err, errno, "seccomp: read the program");
  /* seccomp(2) takes at most BPF_MAXINSNS: say so here, not as a failed load in the init */
  if (n_stub + (size_t) size / sizeof (struct sock_filter) > BPF_MAXINSNS)
    return rt_error (err, 0,
                     "linux.seccomp: the program has %zu instructions, the kernel takes at most %d",
                     n_stub + (size_t) size / sizeof (struct sock_filter), BPF_MAXINSNS);
  *len = sizeof flags + n_stub * sizeof *stub + (size_t) size;
  *msg = take_ptr (&buf);
  return 0;
}

int
rt_seccomp_compile (const struct rt_seccomp *s, char **msg, size_t *len, rt_error_t *err)
{
  struct sock_filter stub[STUB_MAX];
  scmp_filter_ctx f = NULL;
  uint32_t flags;
  size_t n_stub;
  bool notify;
  int r;

  *msg = NULL;
  *len = 0;
  if (s == NULL)
    return 0;
  if (kernel_flags (s, &flags, err) < 0 || compile (s, &f, &notify, err) < 0)
    return -1;
  if (notify)
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  n_stub = enosys_stub (s, stub);
  r = export_program (f, flags, stub, n_stub, msg, len, err);
  seccomp_release (f);
  if (r == 0)
    rt_log (RT_LOG_DEBUG,
            "seccomp: filter compiled (default %s, %zu entries, %zu bytes%s, enosys stub %zu)",
            s->default_action, s->n_syscalls, *len - sizeof flags, notify ? ", notify" : "",
            n_stub);
  return r;
}

/* An over-estimate of the program's length from the profile's shape: libseccomp spends
   about one or two instructions per syscall and architecture (docker's default profile,
   391 names on three architectures, is 979), and a few more per argument comparison.
   Above this, compiling first costs little next to what such a profile costs anyway. */
static size_t
estimate (const struct rt_seccomp *s)
{
  size_t n = 8;

  for (size_t i = 0; i < s->n_syscalls; i++)
    n += s->syscalls[i].n_names * (2 + 6 * s->syscalls[i].n_args);
  return n * (s->n_architectures ? s->n_architectures : 1);
}

int
rt_seccomp_compile_early (const struct rt_seccomp *s, char **msg, size_t *len, rt_error_t *err)
{
  *msg = NULL;
  *len = 0;
  if (s == NULL || estimate (s) <= BPF_MAXINSNS)
    return 0;
  return rt_seccomp_compile (s, msg, len, err);
}
