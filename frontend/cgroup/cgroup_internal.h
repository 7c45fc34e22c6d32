/* What cgroup.c shares with the two managers (cgroup_v1*.c, cgroup_v2*.c), the device
   rules (cgroup_devices.c) and the statistics readers. */
#ifndef RT_CGROUP_INTERNAL_H
#define RT_CGROUP_INTERNAL_H

#include "rt.h"

#include <linux/bpf.h>

extern const struct rt_cgroup_manager rt_cgroup_v1;
extern const struct rt_cgroup_manager rt_cgroup_v2;

/* A cgroup handled by the v2 manager at MOUNT (unit tests use the hybrid host's
   /sys/fs/cgroup/unified; the v1 manager uses it for what only cgroup2 has). */
struct rt_cgroup *cg_new_v2 (const char *mount, const char *path);

/* Make BASE/REL, one component at a time below BASE (which must exist), calling
   ON_DIR (if not NULL) for each level: CREATED says whether rt just made it, LEAF
   whether it is REL itself (cpuset copies cpus/mems down; v2 enables controllers). */
typedef int (*cg_dir_fn) (const char *dir, bool created, bool leaf, rt_error_t *err);
int cg_mkdir (const char *base, const char *rel, cg_dir_fn on_dir, rt_error_t *err);

/* cgroup_v1_set.c: controllers, files and page sizes a v1 host lacks, refused. */
int cg_v1_check (const struct rt_resources *r, rt_error_t *err);
/* cgroup_v2_set.c: the v1-only fields that ask for something, refused. */
int cg_v2_check_v1_only (const struct rt_resources *r, rt_error_t *err);

/* Write PID into DIR/cgroup.procs. */
int cg_add_pid (const char *dir, pid_t pid, rt_error_t *err);

/* Append the pids of DIR/cgroup.procs and of every cgroup below it. */
int cg_read_pids (const char *dir, pid_t **pids, size_t *n, rt_error_t *err);

/* Freeze, signal every pid, thaw again unless it was frozen before (so a paused container
   stays paused; SIGKILL thaws it, or the tasks could not die).  For managers without a
   native kill. */
int cg_signal_all (struct rt_cgroup *cg, int sig, rt_error_t *err);

/* rmdir BASE/REL with every child cgroup below it, retrying while it is busy; then the
   now-empty parents of REL that are rt's own ("/rt/..."). ENOENT is success. */
int cg_remove (const char *base, const char *rel, rt_error_t *err);

/* Read a small cgroup file, trailing newline stripped. */
int cg_read (const char *dir, const char *file, char **out, rt_error_t *err);
int cg_write (const char *dir, const char *file, const char *val, rt_error_t *err);
int cg_write_int (const char *dir, const char *file, long long v, rt_error_t *err);
int cg_write_uint (const char *dir, const char *file, unsigned long long v, rt_error_t *err);
bool cg_exists (const char *dir, const char *file);
/* linux.resources.cpu.cpus and .mems: whether either is given, and writing those given to
   DIR's cpuset.cpus and cpuset.mems (the same files on v1 and v2). */
bool cg_cpuset_wanted (const struct rt_resources *r);
int cg_write_cpuset (const char *dir, const struct rt_resources *r, rt_error_t *err);
/* blkio.leafWeight, of the cgroup or of a device: v1 writes it, v2 has no file for it. */
bool cg_any_leaf_weight (const struct rt_resources *r);
/* A decimal file ("max" reads as MAX); -1 with *err when missing or malformed. */
int cg_read_u64 (const char *dir, const char *file, uint64_t max, uint64_t *out, rt_error_t *err);
/* "KEY VALUE" lines (memory.stat, cpu.stat, ...): the value of KEY, false if absent. */
bool cg_keyed (const char *text, const char *key, uint64_t *out);

/* ---- conversions between the OCI (cgroup v1) values and cgroup v2's ---- */
/* cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 (unset) */
uint64_t cg_shares_to_weight (uint64_t shares);
/* blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0 */
uint64_t cg_blkio_to_io_weight (uint64_t weight);
/* OCI memory.swap (memory+swap) -> memory.swap.max (swap alone, -1 = max);
 *set false: leave the file alone */
int cg_swap_to_v2 (const struct rt_resources *r, int64_t *out, bool *set, rt_error_t *err);
/* "2MB" -> true if a hugepage size of the machine (/sys/kernel/mm/hugepages) */
bool cg_hugepage_size_ok (const char *size);
/* The machine's hugepage sizes as runc names them ("2MB", "1GB"), NULL-terminated. */
char **cg_hugepage_sizes (void);

/* ---- device rules (cgroup_devices.c) ----
   The spec's linux.resources.devices, then runc's default allow list, run through an
   emulator of the v1 devices controller (runc's devices.Emulator): a default (allow or
   deny everything) and exceptions to it.  v1 writes that state; v2 compiles it to eBPF. */
enum
{
  CG_DEV_MKNOD = 1,
  CG_DEV_READ = 2,
  CG_DEV_WRITE = 4,
  CG_DEV_RWM = 7
};
#define CG_DEV_ANY (-1) /* wildcard major or minor */

struct cg_dev_rule
{
  char type; /* 'c' or 'b' ('a' only in the input: it resets the default) */
  int64_t major, minor;
  unsigned access;
  bool allow;
};

struct cg_dev_state
{
  bool default_allow;
  struct cg_dev_rule *rules; /* exceptions to the default, all with allow = !default */
  size_t n_rules;
};

/* Apply one rule like the v1 kernel would (a wildcard "a" resets). */
int cg_dev_apply (struct cg_dev_state *s, const struct cg_dev_rule *rule, rt_error_t *err);
/* The whole list for a container: the spec's rules then the defaults. */
int cg_dev_state_for (const struct rt_resources *r, struct cg_dev_state *out, rt_error_t *err);
void cg_dev_state_clear (struct cg_dev_state *s);
/* "c 1:3 rwm", "b *:* m", "a" */
void cg_dev_rule_string (const struct cg_dev_rule *rule, char *buf, size_t size);

/* The BPF_PROG_TYPE_CGROUP_DEVICE program for S (caller frees *insns). */
int cg_bpf_devices_program (const struct cg_dev_state *s, struct bpf_insn **insns, size_t *n,
                            rt_error_t *err);
/* Build and load it: the program's fd. */
int cg_bpf_devices_load (const struct cg_dev_state *s, rt_error_t *err);
/* Attach the loaded PROG to the cgroup directory DIRFD, replacing what rt attached
   before. */
int cg_bpf_devices_attach (int dirfd, int prog, rt_error_t *err);

/* ---- v1 internals shared between cgroup_v1*.c ---- */
/* The directory of CONTROLLER's hierarchy for CG; NULL (and *err) if not mounted. */
char *cg_v1_dir (struct rt_cgroup *cg, const char *controller, rt_error_t *err);
/* The cgroup2 mount of a hybrid host (/sys/fs/cgroup/unified) when its root delegates
   CONTROLLER to its children, else NULL. */
char *cg_v1_unified_for (const char *controller);
int cg_v1_set (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err);
/* exec --cgroup: every controller named in cg->sub is mounted (runc's words if not). */
int cg_v1_sub_check (struct rt_cgroup *cg, rt_error_t *err);
int cg_v1_stats (struct rt_cgroup *cg, struct rt_stats *st, rt_error_t *err);
/* rdma.max lines for r->rdma (the same on v1 and v2) */
int cg_write_rdma (const char *dir, const struct rt_resources *r, rt_error_t *err);

/* ---- v2 internals shared between cgroup_v2*.c ---- */
char *cg_v2_dir (const struct rt_cgroup *cg);
int cg_v2_set (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err);
int cg_v2_prepare (struct rt_cgroup *cg, const struct rt_resources *r, rt_error_t *err);
int cg_v2_stats (struct rt_cgroup *cg, struct rt_stats *st, rt_error_t *err);
/* hugetlb.<size>.{current,max,events} of DIR into st (v2 names; the v1 manager uses it
   for a hybrid host's cgroup2 mount) */
void cg_v2_hugetlb_stats (const char *dir, struct rt_stats *st);

/* ---- stats readers shared by both versions (stats.c) ---- */
/* "0-2,4" -> [0,1,2,4] */
int cg_parse_cpu_list (const char *s, uint16_t **out, size_t *n);
/* memory.stat-like text into a sorted key/value list */
void cg_parse_keyed (const char *text, struct rt_stat_kv **out, size_t *n);
/* blkio v1 file lines "8:0 Read 4096" (runc's getBlkioStat); -1 if malformed */
int cg_parse_blkio (const char *text, struct rt_blkio_entry **out, size_t *n);
/* io.stat lines "8:0 rbytes=1 wbytes=2 rios=3 wios=4" into bytes and ios */
void cg_parse_io_stat (const char *text, struct rt_stats *st);

#endif
