/* Device access rules: linux.resources.devices plus runc's default allow list, reduced
   by an emulator of the v1 devices controller (after runc's devices.Emulator) to a
   default and its exceptions.  v1 writes them to devices.deny/devices.allow; v2 has no
   devices files, so the same state becomes a BPF_PROG_TYPE_CGROUP_DEVICE program. */
#define _GNU_SOURCE
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* runc 1.1's specconv.AllowedDevices, appended after the spec's rules. */
static const struct cg_dev_rule default_rules[] = {
  { 'c', CG_DEV_ANY, CG_DEV_ANY, CG_DEV_MKNOD, true }, /* mknod of any device */
  { 'b', CG_DEV_ANY, CG_DEV_ANY, CG_DEV_MKNOD, true },
  { 'c', 1, 3, CG_DEV_RWM, true },            /* /dev/null */
  { 'c', 1, 8, CG_DEV_RWM, true },            /* /dev/random */
  { 'c', 1, 7, CG_DEV_RWM, true },            /* /dev/full */
  { 'c', 5, 0, CG_DEV_RWM, true },            /* /dev/tty */
  { 'c', 1, 5, CG_DEV_RWM, true },            /* /dev/zero */
  { 'c', 1, 9, CG_DEV_RWM, true },            /* /dev/urandom */
  { 'c', 136, CG_DEV_ANY, CG_DEV_RWM, true }, /* /dev/pts/N */
  { 'c', 5, 2, CG_DEV_RWM, true },            /* /dev/ptmx */
  { 'c', 10, 200, CG_DEV_RWM, true },         /* /dev/net/tun */
};

void
cg_dev_rule_string (const struct cg_dev_rule *r, char *buf, size_t size)
{
  char major[24] = "*", minor[24] = "*", access[4];
  size_t n = 0;

  if (r->type == 'a')
    {
      snprintf (buf, size, "a");
      return;
    }
  if (r->major != CG_DEV_ANY)
    snprintf (major, sizeof major, "%lld", (long long) r->major);
  if (r->minor != CG_DEV_ANY)
    snprintf (minor, sizeof minor, "%lld", (long long) r->minor);
  if (r->access & CG_DEV_READ)
    access[n++] = 'r';
  if (r->access & CG_DEV_WRITE)
    access[n++] = 'w';
  if (r->access & CG_DEV_MKNOD)
    access[n++] = 'm';
  access[n] = '\0';
  snprintf (buf, size, "%c %s:%s %s", r->type, major, minor, access);
}

static struct cg_dev_rule *
find_rule (struct cg_dev_state *s, char type, int64_t major, int64_t minor)
{
  for (size_t i = 0; i < s->n_rules; i++)
    if (s->rules[i].type == type && s->rules[i].major == major && s->rules[i].minor == minor)
      return &s->rules[i];
  return NULL;
}

static void
add_rule (struct cg_dev_state *s, const struct cg_dev_rule *rule)
{
  struct cg_dev_rule *have = find_rule (s, rule->type, rule->major, rule->minor);

  if (have != NULL)
    {
      have->access |= rule->access;
      return;
    }
  s->rules = xrealloc (s->rules, (s->n_rules + 1) * sizeof *s->rules);
  s->rules[s->n_rules] = *rule;
  s->rules[s->n_rules++].allow = !s->default_allow;
}

/* The v1 kernel silently ignores removing part of a wildcard exception; runc refuses it
   rather than leave a hole the user believes closed.  So does rt. */
static int
rm_rule (struct cg_dev_state *s, const struct cg_dev_rule *rule, rt_error_t *err)
{
  const int64_t wild[][2]
      = { { CG_DEV_ANY, rule->minor }, { rule->major, CG_DEV_ANY }, { CG_DEV_ANY, CG_DEV_ANY } };
  struct cg_dev_rule *have;

  for (size_t i = 0; i < ARRAY_SIZE (wild); i++)
    {
      if (wild[i][0] == rule->major && wild[i][1] == rule->minor)
        continue;
      have = find_rule (s, rule->type, wild[i][0], wild[i][1]);
      if (have != NULL && (have->access & rule->access) != 0)
        {
          char want[64], hole[64];
          cg_dev_rule_string (rule, want, sizeof want);
          cg_dev_rule_string (have, hole, sizeof hole);
          return rt_error (err, 0,
                           "device rule \"%s\" is not supported by the devices cgroup (cannot "
                           "punch a hole in the wildcard rule \"%s\")",
                           want, hole);
        }
    }
  have = find_rule (s, rule->type, rule->major, rule->minor);
  if (have == NULL)
    return 0;
  have->access &= ~rule->access;
  if (have->access == 0)
    {
      size_t i = (size_t) (have - s->rules);
      memmove (have, have + 1, (s->n_rules - i - 1) * sizeof *have);
      s->n_rules--;
    }
  return 0;
}

int
cg_dev_apply (struct cg_dev_state *s, const struct cg_dev_rule *rule, rt_error_t *err)
{
  if (rule->type == 'a')
    {
      cg_dev_state_clear (s);
      s->default_allow = rule->allow;
      return 0;
    }
  if (rule->allow == s->default_allow)
    return rm_rule (s, rule, err);
  add_rule (s, rule);
  return 0;
}

static unsigned
access_bits (const char *access)
{
  unsigned bits = 0;

  if (access == NULL)
    return CG_DEV_RWM;
  for (const char *p = access; *p; p++)
    bits |= *p == 'r' ? CG_DEV_READ : *p == 'w' ? CG_DEV_WRITE : *p == 'm' ? CG_DEV_MKNOD : 0;
  return bits;
}

static int
rule_cmp (const void *a, const void *b)
{
  const struct cg_dev_rule *x = a, *y = b;

  if (x->type != y->type)
    return x->type < y->type ? -1 : 1;
  if (x->major != y->major)
    return x->major < y->major ? -1 : 1;
  if (x->minor != y->minor)
    return x->minor < y->minor ? -1 : 1;
  return 0;
}

/* Like runc, the list starts from "deny everything": a container without device rules
   still gets only the defaults. */
int
cg_dev_state_for (const struct rt_resources *r, struct cg_dev_state *out, rt_error_t *err)
{
  struct cg_dev_state s = { .default_allow = false };

  for (size_t i = 0; r != NULL && i < r->n_devices; i++)
    {
      const struct rt_device_cgroup *d = &r->devices[i];
      struct cg_dev_rule rule = {
        .type = d->type != NULL ? d->type[0] : 'a',
        .major = d->has_major ? d->major : CG_DEV_ANY,
        .minor = d->has_minor ? d->minor : CG_DEV_ANY,
        .access = access_bits (d->access),
        .allow = d->allow,
      };
      if (cg_dev_apply (&s, &rule, err) < 0)
        {
          cg_dev_state_clear (&s);
          return rt_error_wrap (err, "linux.resources.devices[%zu]", i);
        }
    }
  for (size_t i = 0; i < ARRAY_SIZE (default_rules); i++)
    if (cg_dev_apply (&s, &default_rules[i], err) < 0)
      {
        cg_dev_state_clear (&s);
        return -1;
      }
  if (s.n_rules > 0)
    qsort (s.rules, s.n_rules, sizeof *s.rules, rule_cmp);
  *out = s;
  return 0;
}

void
cg_dev_state_clear (struct cg_dev_state *s)
{
  free (s->rules);
  s->rules = NULL;
  s->n_rules = 0;
}

/* ---- the eBPF program ----
   r2 = device type, r3 = requested access, r4 = major, r5 = minor.  Every exception has
   the same verdict (the opposite of the default), so the program only needs to know
   whether one matches, and it computes that without a branch: the verifier then walks it
   once, in a line.  (With a conditional jump per field the kernel's verifier took 0.3 to
   0.5 ms for runc's default rules, on the path of every container start; straight-line
   code of the same rules takes a tenth of that.)

   ne(x, k) is 1 when the 32-bit value x differs from k, else 0:
     r7 = (u32) (x ^ k); r7 += 0xffffffff; r7 >>= 32
   (a non-zero 32-bit value plus 2^32 - 1 carries into bit 32).  A rule's mismatch is the
   OR of its fields' ne(); r0 ANDs the mismatches of all rules, so it stays 1 when none
   matched.  The verdict is r0 for a default of allow, r0 ^ 1 for deny. */

static struct bpf_insn
insn (uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
  return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

#define LDX_W(dst, off) insn (BPF_LDX | BPF_W | BPF_MEM, dst, BPF_REG_1, off, 0)
#define ALU32_K(op, dst, imm) insn (BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_X(dst, src) insn (BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define ALU64_K(op, dst, imm) insn (BPF_ALU64 | (op) | BPF_K, dst, 0, 0, imm)
#define ALU64_X(op, dst, src) insn (BPF_ALU64 | (op) | BPF_X, dst, src, 0, 0)
#define EXIT() insn (BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define R_ONES BPF_REG_9 /* 0xffffffff */

/* DST = (SRC op K) != 0, with op XOR (a comparison) or AND (access outside a mask) */
static size_t
nonzero (struct bpf_insn *b, uint8_t dst, uint8_t src, uint8_t op, int32_t k)
{
  b[0] = MOV32_X (dst, src);
  b[1] = ALU32_K (op, dst, k);
  b[2] = ALU64_X (BPF_ADD, dst, R_ONES);
  b[3] = ALU64_K (BPF_RSH, dst, 32);
  return 4;
}

/* r6 = the rule does not match; r0 &= r6 */
static size_t
rule_block (const struct cg_dev_rule *r, struct bpf_insn *b)
{
  size_t n = 0;

  n += nonzero (b + n, BPF_REG_6, BPF_REG_2, BPF_XOR,
                r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
  if ((r->access & CG_DEV_RWM) != CG_DEV_RWM)
    {
      /* asks for something beyond the rule's access */
      n += nonzero (b + n, BPF_REG_7, BPF_REG_3, BPF_AND, (int32_t) (~r->access & CG_DEV_RWM));
      b[n++] = ALU64_X (BPF_OR, BPF_REG_6, BPF_REG_7);
    }
  if (r->major != CG_DEV_ANY)
    {
      n += nonzero (b + n, BPF_REG_7, BPF_REG_4, BPF_XOR, (int32_t) r->major);
      b[n++] = ALU64_X (BPF_OR, BPF_REG_6, BPF_REG_7);
    }
  if (r->minor != CG_DEV_ANY)
    {
      n += nonzero (b + n, BPF_REG_7, BPF_REG_5, BPF_XOR, (int32_t) r->minor);
      b[n++] = ALU64_X (BPF_OR, BPF_REG_6, BPF_REG_7);
    }
  b[n++] = ALU64_X (BPF_AND, BPF_REG_0, BPF_REG_6);
  return n;
}

int
cg_bpf_devices_program (const struct cg_dev_state *s, struct bpf_insn **insns, size_t *n_out,
                        rt_error_t *err)
{
  /* 8 to set up, at most 20 per rule, 2 for the verdict */
  size_t cap = 10 + 20 * s->n_rules, n = 0;
  struct bpf_insn *p;

  if (s->n_rules > 4096)
    return rt_error (err, 0, "too many device rules (%zu)", s->n_rules);
  p = xcalloc (cap, sizeof *p);
  p[n++] = LDX_W (BPF_REG_2, 0); /* access_type: (access << 16) | type */
  p[n++] = ALU32_K (BPF_AND, BPF_REG_2, 0xFFFF);
  p[n++] = LDX_W (BPF_REG_3, 0);
  p[n++] = ALU32_K (BPF_RSH, BPF_REG_3, 16);
  p[n++] = LDX_W (BPF_REG_4, 4); /* major */
  p[n++] = LDX_W (BPF_REG_5, 8); /* minor */
  p[n++] = ALU32_K (BPF_MOV, R_ONES, -1);
  p[n++] = ALU64_K (BPF_MOV, BPF_REG_0, 1);
  for (size_t i = 0; i < s->n_rules; i++)
    n += rule_block (&s->rules[i], p + n);
  if (!s->default_allow)
    p[n++] = ALU64_K (BPF_XOR, BPF_REG_0, 1);
  p[n++] = EXIT ();
  *insns = p;
  *n_out = n;
  return 0;
}

static int
bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (SYS_bpf, cmd, attr, sizeof *attr);
}

static int
prog_load (const struct bpf_insn *insns, size_t n, rt_error_t *err)
{
  static char log[8192];
  union bpf_attr attr;
  const char *reason;
  int fd, e;

  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) n;
  attr.license = (uint64_t) (uintptr_t) "Apache";
  fd = bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  e = errno;
  if (e != EACCES && e != EINVAL)
    return rt_error (err, e, "load the device eBPF program");
  /* the verifier's reason: its last line (a long log keeps its tail since Linux 6.4) */
  log[0] = '\0';
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof log;
  attr.log_level = 1;
  fd = bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  log[sizeof log - 1] = '\0';
  reason = last_line (log);
  if (strncmp (reason, "processed ", 10) == 0 && reason > log)
    {
      /* the statistics line; the reason is the one before it */
      ((char *) reason)[-1] = '\0';
      reason = last_line (log);
    }
  return rt_error (err, e, "load the device eBPF program (%s)", reason);
}

/* Programs attached to DIRFD itself (not inherited ones). */
static int
attached_ids (int dirfd, uint32_t *ids, uint32_t *n, rt_error_t *err)
{
  union bpf_attr attr;

  memset (&attr, 0, sizeof attr);
  attr.query.target_fd = (uint32_t) dirfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t) (uintptr_t) ids;
  attr.query.prog_cnt = *n;
  if (bpf (BPF_PROG_QUERY, &attr) < 0)
    return rt_error (err, errno, "query the cgroup's device programs");
  *n = attr.query.prog_cnt;
  return 0;
}

static void
detach_id (int dirfd, uint32_t id)
{
  cleanup_close int fd = -1;
  union bpf_attr attr;

  memset (&attr, 0, sizeof attr);
  attr.prog_id = id;
  fd = bpf (BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0)
    return;
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) dirfd;
  attr.attach_bpf_fd = (uint32_t) fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (bpf (BPF_PROG_DETACH, &attr) < 0)
    rt_log (RT_LOG_WARN, "detach the old device program %u: %s", id, rt_strerror (errno));
}

/* The new program goes in before the old ones go out: no moment without rules.  A
   cgroup-device program is charged to the memory cgroup (since 5.11), not to
   RLIMIT_MEMLOCK, and at 8 bytes an instruction it is tiny anyway. */
int
cg_bpf_devices_load (const struct cg_dev_state *s, rt_error_t *err)
{
  cleanup_free struct bpf_insn *insns = NULL;
  size_t n;

  if (cg_bpf_devices_program (s, &insns, &n, err) < 0)
    return -1;
  return prog_load (insns, n, err);
}

int
cg_bpf_devices_attach (int dirfd, int prog, rt_error_t *err)
{
  uint32_t old[64], n_old = ARRAY_SIZE (old);
  union bpf_attr attr;

  if (attached_ids (dirfd, old, &n_old, err) < 0)
    return -1;
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) dirfd;
  attr.attach_bpf_fd = (uint32_t) prog;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf (BPF_PROG_ATTACH, &attr) < 0)
    return rt_error (err, errno, "attach the device eBPF program");
  for (uint32_t i = 0; i < n_old && i < ARRAY_SIZE (old); i++)
    detach_id (dirfd, old[i]);
  return 0;
}
