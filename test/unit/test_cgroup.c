/* The parts of the cgroup managers that need no cgroup: runc's value conversions, size
   strings, the device rule emulator and its eBPF program, the stats JSON and the parsers
   of cgroup files.  (test_cgroup_live.c runs the managers on this machine's cgroups.) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "tap.h"

static struct rt_spec *
spec_with_resources (const char *resources)
{
  cleanup_free char *json = xasprintf (
      "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/\"},\"linux\":{\"resources\":%s}}",
      resources);
  cleanup_error rt_error_t err = NULL;
  struct rt_spec *spec = NULL;

  for (char *p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (rt_spec_parse (json, strlen (json), &spec, &err) < 0)
    printf ("# spec: %s\n", err->msg);
  return spec;
}

static void
test_conversions (void)
{
  ok (cg_shares_to_weight (0) == 0, "shares 0 stays unset");
  ok (cg_shares_to_weight (2) == 1, "shares 2 -> weight 1");
  ok (cg_shares_to_weight (1024) == 39, "shares 1024 -> weight 39 (runc)");
  ok (cg_shares_to_weight (262144) == 10000, "shares 262144 -> weight 10000");
  ok (cg_blkio_to_io_weight (0) == 0, "blkio weight 0 stays unset");
  ok (cg_blkio_to_io_weight (10) == 1, "blkio weight 10 -> io.weight 1");
  ok (cg_blkio_to_io_weight (500) == 4950, "blkio weight 500 -> io.weight 4950");
  ok (cg_blkio_to_io_weight (1000) == 10000, "blkio weight 1000 -> io.weight 10000");
}

/* memory.limit / memory.swap (OCI: memory+swap) -> memory.swap.max */
static void
swap_case (bool has_limit, int64_t limit, bool has_swap, int64_t swap, bool want_set, int64_t want,
           const char *want_err)
{
  struct rt_resources r = { 0 };
  cleanup_error rt_error_t err = NULL;
  int64_t out = 12345;
  bool set = true;
  int ret;

  r.memory.has_limit = has_limit;
  r.memory.limit = limit;
  r.memory.has_swap = has_swap;
  r.memory.swap = swap;
  ret = cg_swap_to_v2 (&r, &out, &set, &err);
  if (want_err != NULL)
    {
      ok (ret < 0, "limit %lld swap %lld is refused", (long long) limit, (long long) swap);
      is_str (err ? err->msg : NULL, want_err, "  with runc's message");
      return;
    }
  ok (ret == 0 && set == want_set && (!set || out == want),
      "limit %lld swap %lld -> swap.max %s%lld", (long long) limit, (long long) swap,
      want_set ? "" : "untouched ", (long long) want);
}

static void
test_swap (void)
{
  swap_case (true, 100, true, 300, true, 200, NULL);
  swap_case (true, 100, true, 100, true, 0, NULL); /* no swap at all */
  swap_case (true, -1, false, 0, true, -1, NULL);  /* unlimited memory, unlimited swap */
  swap_case (true, 100, true, -1, true, -1, NULL);
  swap_case (true, 100, false, 0, false, 0, NULL);
  swap_case (false, 0, true, 0, false, 0, NULL);
  swap_case (false, 0, true, 300, false, 0, "unable to set swap limit without memory limit");
  swap_case (true, 300, true, 100, false, 0, "memory+swap limit should be >= memory limit");
}

static void
test_sizes (void)
{
  static const struct
  {
    const char *in;
    int64_t want;
  } good[] = {
    { "512", 512 },
    { "64k", 65536 },
    { "64K", 65536 },
    { "100M", 104857600 },
    { "100MiB", 104857600 },
    { "100mb", 104857600 },
    { "1.5g", 1610612736 },
    { "10 MB", 10485760 },
    { "2t", 2199023255552 },
    { "1b", 1 },
    { "0", 0 },
  };
  static const char *const bad[] = { "abc", "", "-1", "1.2.3", "10x", "1.", ".5", "5  ", "1kk" };
  int64_t v;

  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    ok (rt_parse_size (good[i].in, &v) == 0 && v == good[i].want, "size \"%s\" = %lld", good[i].in,
        (long long) good[i].want);
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    ok (rt_parse_size (bad[i], &v) < 0, "size \"%s\" is refused", bad[i]);
}

static char *
state_string (const struct cg_dev_state *s)
{
  char *out = xstrdup (s->default_allow ? "allow" : "deny");
  for (size_t i = 0; i < s->n_rules; i++)
    {
      char rule[64], *n;
      cg_dev_rule_string (&s->rules[i], rule, sizeof rule);
      n = xasprintf ("%s|%s%s", out, s->rules[i].allow ? "+" : "-", rule);
      free (out);
      out = n;
    }
  return out;
}

static void
dev_case (const char *resources, const char *want, const char *name)
{
  struct rt_spec *spec = spec_with_resources (resources);
  struct cg_dev_state s = { 0 };
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *got = NULL;

  if (spec == NULL || cg_dev_state_for (&spec->linux_.resources, &s, &err) < 0)
    {
      ok (0, "%s: %s", name, err ? err->msg : "spec");
      rt_spec_free (spec);
      return;
    }
  got = state_string (&s);
  is_str (got, want, "%s", name);
  cg_dev_state_clear (&s);
  rt_spec_free (spec);
}

#define DEFAULTS                                                                                   \
  "+b *:* m|+c *:* m|+c 1:3 rwm|+c 1:5 rwm|+c 1:7 rwm|+c 1:8 rwm|+c 1:9 rwm|+c 5:0 rwm|+c 5:2 "    \
  "rwm|+c 10:200 rwm|+c 136:* rwm"

static void
test_devices (void)
{
  struct cg_dev_state s = { 0 };
  cleanup_error rt_error_t err = NULL;
  const struct cg_dev_rule allow_all_c = { 'c', CG_DEV_ANY, CG_DEV_ANY, CG_DEV_RWM, true };
  const struct cg_dev_rule deny_null_w = { 'c', 1, 3, CG_DEV_WRITE, false };
  const struct cg_dev_rule allow_null = { 'c', 1, 3, CG_DEV_RWM, true };

  dev_case ("{}", "deny|" DEFAULTS, "no rules: deny all but runc's defaults");
  dev_case ("{'devices':[{'allow':false,'access':'rwm'}]}", "deny|" DEFAULTS,
            "runc spec's rule: the same");
  dev_case ("{'devices':[{'allow':false},{'allow':true,'type':'c','major':10,'minor':229,"
            "'access':'rw'}]}",
            "deny|+b *:* m|+c *:* m|+c 1:3 rwm|+c 1:5 rwm|+c 1:7 rwm|+c 1:8 rwm|+c 1:9 rwm|+c "
            "5:0 rwm|+c 5:2 rwm|+c 10:200 rwm|+c 10:229 rw|+c 136:* rwm",
            "an allowed device joins the list, sorted by type, major, minor");
  dev_case ("{'devices':[{'allow':true}]}", "allow", "allow all: the defaults change nothing");
  dev_case ("{'devices':[{'allow':true},{'allow':false,'type':'c','major':10,'minor':229}]}",
            "allow|-c 10:229 rwm", "allow all, deny one: a deny exception");
  dev_case ("{'devices':[{'allow':true},{'allow':false,'type':'c','major':1,'minor':3}]}", "allow",
            "allow all, deny /dev/null: the defaults allow it again (runc)");

  /* the emulator itself */
  ok (cg_dev_apply (&s, &allow_null, &err) == 0 && s.n_rules == 1, "allow c 1:3 rwm");
  ok (cg_dev_apply (&s, &deny_null_w, &err) == 0 && s.n_rules == 1
          && s.rules[0].access == (CG_DEV_READ | CG_DEV_MKNOD),
      "deny c 1:3 w takes w away from the exception");
  ok (cg_dev_apply (&s, &allow_all_c, &err) == 0 && s.n_rules == 2, "allow c *:* rwm");
  ok (cg_dev_apply (&s, &deny_null_w, &err) < 0, "deny c 1:3 w inside c *:* is refused");
  is_str (err ? err->msg : NULL,
          "device rule \"c 1:3 w\" is not supported by the devices cgroup (cannot punch a hole "
          "in the wildcard rule \"c *:* rwm\")",
          "  like runc (v1 would silently ignore it)");
  cg_dev_state_clear (&s);
  {
    char buf[64];
    const struct cg_dev_rule a = { 'a', CG_DEV_ANY, CG_DEV_ANY, CG_DEV_RWM, false };
    cg_dev_rule_string (&a, buf, sizeof buf);
    is_str (buf, "a", "the wildcard rule is written as \"a\"");
  }
}

/* Load a program into the kernel (root only): the verifier has the last word. */
static int
load (const struct bpf_insn *insns, size_t n)
{
  union bpf_attr attr;
  static char log[65536];
  int fd;

  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) n;
  attr.license = (uint64_t) (uintptr_t) "Apache";
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof log;
  attr.log_level = 1;
  log[0] = '\0';
  fd = (int) syscall (SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
  if (fd < 0)
    printf ("# verifier: %s\n", log);
  return fd;
}

/* A user-space interpreter for the instructions the program generator emits: the test
   below runs the program on every kind of request and compares its verdict with the
   device rules'. */
static int
run_prog (const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access, uint32_t major,
          uint32_t minor, int *verdict)
{
  uint32_t ctx[3] = { (access << 16) | type, major, minor };
  uint64_t r[11] = { 0 };

  for (size_t pc = 0; pc < n; pc++)
    {
      const struct bpf_insn *i = &p[pc];
      uint8_t cls = BPF_CLASS (i->code), op = BPF_OP (i->code);
      uint64_t src = BPF_SRC (i->code) == BPF_X ? r[i->src_reg] : (uint64_t) (int64_t) i->imm;
      uint64_t v;

      if (i->code == (BPF_LDX | BPF_W | BPF_MEM) && i->src_reg == BPF_REG_1 && i->off >= 0
          && i->off <= 8 && i->off % 4 == 0)
        {
          r[i->dst_reg] = ctx[i->off / 4];
          continue;
        }
      if (i->code == (BPF_JMP | BPF_EXIT))
        {
          *verdict = (int) r[0];
          return 0;
        }
      if (cls == BPF_JMP32 && op == BPF_JNE && BPF_SRC (i->code) == BPF_K)
        {
          if ((uint32_t) r[i->dst_reg] != (uint32_t) i->imm)
            pc += (size_t) i->off;
          continue;
        }
      if (cls != BPF_ALU && cls != BPF_ALU64)
        return -1;
      v = r[i->dst_reg];
      switch (op)
        {
          case BPF_MOV:
            v = src;
            break;
          case BPF_AND:
            v &= src;
            break;
          case BPF_OR:
            v |= src;
            break;
          case BPF_XOR:
            v ^= src;
            break;
          case BPF_ADD:
            v += src;
            break;
          case BPF_RSH:
            v = cls == BPF_ALU ? (uint32_t) v >> (src & 31) : v >> (src & 63);
            break;
          default:
            return -1;
        }
      r[i->dst_reg] = cls == BPF_ALU ? (uint32_t) v : v;
    }
  return -1;
}

/* What the rules say, as the v1 controller would: an exception decides, else the default. */
static int
expected (const struct cg_dev_state *s, char type, uint32_t access, uint32_t major, uint32_t minor)
{
  for (size_t i = 0; i < s->n_rules; i++)
    {
      const struct cg_dev_rule *r = &s->rules[i];
      if (r->type == type && (r->major == CG_DEV_ANY || (uint32_t) r->major == major)
          && (r->minor == CG_DEV_ANY || (uint32_t) r->minor == minor)
          && (access & ~(uint32_t) r->access) == 0)
        return r->allow;
    }
  return s->default_allow;
}

/* Every rule's device and its neighbours, with every access, and a few others. */
static void
check_program (const char *resources, const char *what)
{
  struct rt_spec *spec = spec_with_resources (resources);
  struct cg_dev_state s = { 0 };
  cleanup_error rt_error_t err = NULL;
  cleanup_free struct bpf_insn *insns = NULL;
  size_t n = 0;
  int bad = 0, checked = 0;

  if (spec == NULL || cg_dev_state_for (&spec->linux_.resources, &s, &err) < 0
      || cg_bpf_devices_program (&s, &insns, &n, &err) < 0)
    {
      ok (0, "%s: program generated%s%s", what, err ? ": " : "", err ? err->msg : "");
      rt_spec_free (spec);
      return;
    }
  for (size_t i = 0; i <= s.n_rules; i++)
    {
      uint32_t maj
          = i < s.n_rules && s.rules[i].major != CG_DEV_ANY ? (uint32_t) s.rules[i].major : 4;
      uint32_t min
          = i < s.n_rules && s.rules[i].minor != CG_DEV_ANY ? (uint32_t) s.rules[i].minor : 64;
      for (int t = 0; t < 2; t++)
        for (uint32_t acc = 1; acc <= 7; acc++)
          for (int dmaj = -1; dmaj <= 1; dmaj++)
            for (int dmin = -1; dmin <= 1; dmin++)
              {
                char type = t ? 'b' : 'c';
                uint32_t devtype = t ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
                int got = -1, want = expected (&s, type, acc, maj + dmaj, min + dmin);
                checked++;
                if (run_prog (insns, n, devtype, acc, maj + dmaj, min + dmin, &got) < 0
                    || got != want)
                  {
                    if (bad++ < 3)
                      printf ("# %s: %c %u:%u access %u: program says %d, rules %d\n", what, type,
                              maj + dmaj, min + dmin, acc, got, want);
                  }
              }
    }
  ok (bad == 0, "%s: %zu instructions, the verdict of the rules for %d requests", what, n, checked);
  if (geteuid () == 0)
    {
      int fd = load (insns, n);
      ok (fd >= 0, "%s: the kernel's verifier accepts it%s%s", what, fd < 0 ? ": " : "",
          fd < 0 ? strerror (errno) : "");
      if (fd >= 0)
        close (fd);
    }
  else
    printf ("ok %d # SKIP loading the program needs root\n", ++tap_n);
  cg_dev_state_clear (&s);
  rt_spec_free (spec);
}

static void
test_bpf (void)
{
  struct rt_spec *spec = spec_with_resources (
      "{'devices':[{'allow':false},{'allow':true,'type':'b','major':7,'access':'r'}]}");
  struct cg_dev_state s = { 0 };
  cleanup_error rt_error_t err = NULL;
  cleanup_free struct bpf_insn *insns = NULL;
  size_t n = 0;

  ok (spec != NULL && cg_dev_state_for (&spec->linux_.resources, &s, &err) == 0,
      "rules for the program");
  ok (cg_bpf_devices_program (&s, &insns, &n, &err) == 0, "program generated");
  /* 8 to set up; per rule 4 for the type, 5 per other field, 1 to combine: b *:* m 10,
     b 7:* r 15, c *:* m 10, eight c M:N rwm 15 each, c 136:* 10; 2 for the verdict */
  ok (n == 8 + 10 + 15 + 10 + 8 * 15 + 10 + 2, "%zu instructions", n);
  ok (insns[n - 2].code == (BPF_ALU64 | BPF_XOR | BPF_K)
          && insns[n - 1].code == (BPF_JMP | BPF_EXIT),
      "default deny: the verdict is r0 ^ 1");
  for (size_t i = 0; i + 1 < n; i++)
    if (BPF_CLASS (insns[i].code) == BPF_JMP || BPF_CLASS (insns[i].code) == BPF_JMP32)
      {
        ok (0, "instruction %zu is a jump", i);
        break;
      }
  cg_dev_state_clear (&s);
  rt_spec_free (spec);

  check_program ("{}", "runc's defaults");
  check_program ("{'devices':[{'allow':false},{'allow':true,'type':'b','major':7,'access':'r'}]}",
                 "b 7:* r");
  check_program ("{'devices':[{'allow':true,'type':'c','major':10,'minor':229,'access':'rw'},"
                 "{'allow':false,'type':'c','major':1,'minor':9,'access':'rwm'}]}",
                 "c 10:229 rw, and no urandom");
  check_program ("{'devices':[{'allow':true}]}", "allow all");
  check_program ("{'devices':[{'allow':true},{'allow':false,'type':'c','major':4,'access':'rwm'},"
                 "{'allow':false,'type':'b','major':8,'minor':0,'access':'w'}]}",
                 "allow all but ttys and writing sda");
}

static void
test_stats_json (void)
{
  struct rt_stats st = { 0 };
  cleanup_free char *json = NULL;
  uint64_t percpu[] = { 10, 20 };

  st.cpu.total = 30;
  st.cpu.percpu = xmalloc (sizeof percpu);
  memcpy (st.cpu.percpu, percpu, sizeof percpu);
  st.cpu.n_percpu = 2;
  st.cpu.throttled_periods = 4;
  st.cpuset.sched_relax_domain_level = -1;
  st.memory.usage.limit = UINT64_MAX;
  st.memory.usage.usage = 5;
  st.pids.current = 3;
  cg_parse_blkio ("254:0 Read 4096\n254:0 Write 0\n254:0 Total 4096\nTotal 4096\n",
                  &st.blkio[RT_BLKIO_SERVICE_BYTES].e, &st.blkio[RT_BLKIO_SERVICE_BYTES].n);
  cg_parse_keyed ("rss 7\ncache 9\n", &st.memory.raw, &st.memory.n_raw);
  st.memory.cache = 9;
  st.hugetlb = xcalloc (1, sizeof *st.hugetlb);
  st.hugetlb[0].page_size = xstrdup ("2MB");
  st.n_hugetlb = 1;
  json = rt_stats_event_json ("c1", &st);
  is_str (json,
          "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{\"cpu\":{\"usage\":{\"total\":30,"
          "\"percpu\":[10,20],\"kernel\":0,\"user\":0},\"throttling\":{\"throttledPeriods\":4}},"
          "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
          "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
          "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":-1},"
          "\"memory\":{\"cache\":9,\"usage\":{\"limit\":18446744073709551615,\"usage\":5,"
          "\"failcnt\":0},\"swap\":{\"limit\":0,\"failcnt\":0},\"kernel\":{\"limit\":0,"
          "\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},\"raw\":{\"cache\":9,"
          "\"rss\":7}},\"pids\":{\"current\":3},\"blkio\":{\"ioServiceBytesRecursive\":["
          "{\"major\":254,\"op\":\"Read\",\"value\":4096},{\"major\":254,\"op\":\"Write\"},"
          "{\"major\":254,\"op\":\"Total\",\"value\":4096}]},\"hugetlb\":{\"2MB\":{\"failcnt\":0}},"
          "\"intel_rdt\":{},\"network_interfaces\":null}}",
          "stats encode like runc's (omitempty, sorted raw, uint64 max)");
  rt_stats_clear (&st);
  ok (st.cpu.percpu == NULL && st.n_hugetlb == 0, "stats cleared");
}

static void
test_parsers (void)
{
  cleanup_free uint16_t *cpus = NULL;
  struct rt_blkio_entry *e = NULL;
  struct rt_stats st = { 0 };
  uint64_t v = 0;
  size_t n = 0;

  ok (cg_parse_cpu_list ("0-2,4,7-8\n", &cpus, &n) == 0 && n == 6 && cpus[3] == 4 && cpus[5] == 8,
      "cpu list 0-2,4,7-8");
  free (cpus);
  cpus = NULL;
  ok (cg_parse_cpu_list ("3-1", &cpus, &n) < 0, "cpu list 3-1 is malformed");
  ok (cg_parse_blkio ("8:0 Read 1\n8:16 7\n", &e, &n) == 0 && n == 2 && e[1].minor == 16
          && e[1].value == 7 && e[1].op[0] == '\0',
      "blkio lines with and without an op");
  free (e);
  e = NULL;
  n = 0;
  ok (cg_parse_blkio ("garbage\n", &e, &n) < 0, "a malformed blkio line");
  cg_parse_io_stat ("254:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n", &st);
  ok (st.blkio[RT_BLKIO_SERVICE_BYTES].n == 2 && st.blkio[RT_BLKIO_SERVICED].n == 2
          && st.blkio[RT_BLKIO_SERVICE_BYTES].e[1].value == 20
          && strcmp (st.blkio[RT_BLKIO_SERVICED].e[0].op, "Read") == 0,
      "io.stat: bytes and ios, read and write");
  rt_stats_clear (&st);
  ok (cg_keyed ("oom 1\noom_kill 3\n", "oom_kill", &v) && v == 3, "keyed: oom_kill 3");
  ok (cg_keyed ("populated 0\nfrozen 1\n", "frozen", &v) && v == 1, "keyed: frozen 1");
  ok (!cg_keyed ("oom_kill 3\n", "oom", &v), "keyed: oom is not oom_kill");
}

static void
test_hugepages (void)
{
  cleanup_strv char **sizes = cg_hugepage_sizes ();
  bool has2m = false;

  for (size_t i = 0; sizes[i]; i++)
    has2m |= strcmp (sizes[i], "2MB") == 0;
  if (access ("/sys/kernel/mm/hugepages/hugepages-2048kB", F_OK) != 0)
    printf ("ok %d # SKIP no 2 MB hugepages on this machine\n", ++tap_n);
  else
    ok (has2m && cg_hugepage_size_ok ("2MB") && !cg_hugepage_size_ok ("3MB"),
        "hugepage sizes named like runc (2MB)");
}

/* ---- the v2 manager against a directory of plain files ----
   This machine's cgroup2 has no memory, cpu, io, pids or rdma controller, so their
   writes and reads are checked here on files laid out like a cgroup's. */

static char fake[64];

static void
fake_file (const char *name, const char *content)
{
  cleanup_free char *path = xasprintf ("%s/c/%s", fake, name);
  write_file (path, content, strlen (content), 0644, NULL);
}

static char *
fake_read (const char *name)
{
  cleanup_free char *path = xasprintf ("%s/c/%s", fake, name);
  char *text = NULL;
  if (read_file (path, &text, NULL, NULL) < 0)
    return xstrdup ("(missing)");
  return text;
}

static void
fake_is (const char *name, const char *want)
{
  cleanup_free char *got = fake_read (name);
  is_str (got, want, "v2 %s = \"%s\"", name, want);
}

static void
fake_setup (void)
{
  static const char *const files[]
      = { "memory.max",      "memory.swap.max", "memory.low",   "cpu.weight",
          "cpu.max",         "cpu.max.burst",   "cpu.idle",     "io.weight",
          "io.max",          "pids.max",        "cpuset.cpus",  "cpuset.mems",
          "hugetlb.2MB.max", "rdma.max",        "cgroup.procs", "memory.current" };
  cleanup_free char *dir = NULL;

  snprintf (fake, sizeof fake, "/tmp/rt-test-cgroup-%d", getpid ());
  dir = xasprintf ("%s/c", fake);
  mkdir_p (dir, 0755, NULL);
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    fake_file (files[i], "");
  fake_file ("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
}

static void
v2_set_case (const char *resources, const char *name)
{
  struct rt_cgroup *cg = cg_new_v2 (fake, "/c");
  struct rt_spec *spec = spec_with_resources (resources);
  cleanup_error rt_error_t err = NULL;

  cg->update = true; /* no eBPF program on a plain directory */
  ok (spec != NULL && cg->ops->set (cg, &spec->linux_.resources, &err) == 0, "v2 set: %s%s%s", name,
      err ? ": " : "", err ? err->msg : "");
  rt_spec_free (spec);
  rt_cgroup_free (cg);
}

static void
test_v2_files (void)
{
  fake_setup ();
  v2_set_case ("{'memory':{'limit':268435456,'swap':536870912,'reservation':134217728},"
               "'cpu':{'shares':1024,'quota':50000,'period':100000,'burst':1000,'idle':0,"
               "'cpus':'0-1','mems':'0'},'pids':{'limit':-1},"
               "'blockIO':{'weight':500,'throttleReadBpsDevice':[{'major':8,'minor':0,"
               "'rate':1048576}]},'hugepageLimits':[{'pageSize':'2MB','limit':4194304}],"
               "'rdma':{'mlx5_0':{'hcaHandles':3,'hcaObjects':10000}}}",
               "every controller");
  fake_is ("memory.max", "268435456");
  fake_is ("memory.swap.max", "268435456"); /* memory+swap minus memory */
  fake_is ("memory.low", "134217728");
  fake_is ("cpu.weight", "39");
  fake_is ("cpu.max", "50000 100000");
  fake_is ("cpu.max.burst", "1000");
  fake_is ("cpu.idle", "0");
  fake_is ("cpuset.cpus", "0-1");
  fake_is ("pids.max", "max");
  fake_is ("io.weight", "4950");
  fake_is ("io.max", "8:0 rbps=1048576");
  if (cg_hugepage_size_ok ("2MB"))
    fake_is ("hugetlb.2MB.max", "4194304");
  else
    printf ("ok %d # SKIP no 2 MB hugepages\n", ++tap_n);
  fake_is ("rdma.max", "mlx5_0 hca_handle=3 hca_object=10000");
  v2_set_case ("{'cpu':{'quota':-1},'memory':{'limit':-1}}", "unlimited quota and memory");
  fake_is ("cpu.max", "max");
  fake_is ("memory.max", "max");
  fake_is ("memory.swap.max", "max");
  v2_set_case ("{'memory':{'limit':1000,'swap':1000}}", "swap == limit: no swap");
  fake_is ("memory.swap.max", "0");
  fake_file ("io.bfq.weight", "");
  v2_set_case ("{'blockIO':{'weight':500}}", "BFQ takes the v1 weight as it is");
  fake_is ("io.bfq.weight", "500");
}

static void
test_v2_stats_oom (void)
{
  struct rt_cgroup *cg = cg_new_v2 (fake, "/c");
  cleanup_error rt_error_t err = NULL;
  struct rt_stats st = { 0 };
  cleanup_close int fd = -1;
  unsigned events = 9;
  bool gone = true;

  fake_file ("cgroup.procs", "11\n12\n");
  fake_file ("cpu.stat", "usage_usec 300\nuser_usec 200\nsystem_usec 100\nnr_periods 4\n"
                         "nr_throttled 2\nthrottled_usec 50\n");
  fake_file ("memory.stat", "anon 4096\nfile 8192\n");
  fake_file ("memory.current", "12288\n");
  fake_file ("memory.max", "max\n");
  fake_file ("memory.swap.current", "100\n");
  fake_file ("memory.swap.max", "1000\n");
  fake_file ("pids.current", "2\n");
  fake_file ("pids.max", "max\n");
  fake_file ("io.stat", "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
  ok (cg->ops->stats (cg, &st, &err) == 0, "v2 stats");
  ok (st.cpu.total == 300000 && st.cpu.user == 200000 && st.cpu.kernel == 100000
          && st.cpu.throttled_periods == 2 && st.cpu.throttled_time == 50000,
      "  cpu.stat: usec to ns");
  ok (st.memory.cache == 8192 && st.memory.usage.usage == 12288
          && st.memory.usage.limit == UINT64_MAX && st.memory.swap.usage == 12388
          && st.memory.swap.limit == UINT64_MAX,
      "  memory: file as cache, swap reported as memory+swap (runc)");
  ok (st.pids.current == 2 && st.pids.limit == 0, "  pids: max reads as no limit");
  ok (st.blkio[RT_BLKIO_SERVICE_BYTES].n == 2 && st.blkio[RT_BLKIO_SERVICED].n == 2, "  io.stat");
  rt_stats_clear (&st);

  fake_file ("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  fake_file ("cgroup.events", "populated 1\nfrozen 0\n");
  ok (cg->ops->oom_open (cg, &fd, &err) == 0 && fd >= 0, "v2 OOM watch (inotify)");
  fake_file ("memory.events", "low 0\nhigh 0\nmax 5\noom 3\noom_kill 3\n");
  ok (cg->ops->oom_read (cg, fd, &events, &gone, &err) == 0 && events == 2 && !gone,
      "  two new oom_kill events");
  fake_file ("cgroup.events", "populated 0\nfrozen 0\n");
  ok (cg->ops->oom_read (cg, fd, &events, &gone, &err) == 0 && events == 0 && gone,
      "  populated 0: the stream ends");
  rt_cgroup_free (cg);
  {
    cleanup_free char *cmd = xasprintf ("rm -rf %s", fake);
    ok (system (cmd) == 0, "(fake cgroup removed)");
  }
}

int
main (void)
{
  test_conversions ();
  test_swap ();
  test_sizes ();
  test_devices ();
  test_bpf ();
  test_stats_json ();
  test_parsers ();
  test_hugepages ();
  test_v2_files ();
  test_v2_stats_oom ();
  return tap_done ();
}
