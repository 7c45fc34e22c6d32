/* The state directory without a container: the RFC 3339 timestamps of state.json's
   "created" (computed without gmtime, which makes glibc load the time zone), state.json
   saved and loaded (every field, the config as a subtree, what the reader refuses), the
   lock on <root>/<id>, and write_file_atomic, which saves it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsongen.h"
#include "rt.h"
#include "tap.h"

static void
test_civil (void)
{
  int bad = 0, checked = 0;

  /* every 13th day from year 1 to 9999, against glibc */
  for (long long days = -719162; days < 2932896; days += 13)
    {
      time_t t = (time_t) (days * 86400);
      struct tm tm;
      unsigned m, d;
      int y;

      gmtime_r (&t, &tm);
      rt_civil_from_days (days, &y, &m, &d);
      checked++;
      if (y != tm.tm_year + 1900 || (int) m != tm.tm_mon + 1 || (int) d != tm.tm_mday)
        {
          if (bad++ < 3)
            printf ("# day %lld: %d-%u-%u, gmtime says %d-%d-%d\n", days, y, m, d,
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
    }
  ok (bad == 0, "%d days from year 1 to 9999 agree with gmtime", checked);
  {
    unsigned m, d;
    int y;
    rt_civil_from_days (0, &y, &m, &d);
    ok (y == 1970 && m == 1 && d == 1, "day 0 is 1970-01-01");
    rt_civil_from_days (-1, &y, &m, &d);
    ok (y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
    rt_civil_from_days (11016, &y, &m, &d);
    ok (y == 2000 && m == 2 && d == 29, "day 11016 is 2000-02-29 (a leap day)");
  }
}

static void
test_timestamp (void)
{
  for (int tries = 0; tries < 3; tries++)
    {
      time_t before = time (NULL);
      cleanup_free char *ts = rt_timestamp_now ();
      time_t after = time (NULL);
      char want[32];
      struct tm tm;

      if (before != after)
        continue; /* a second boundary in between: try again */
      gmtime_r (&before, &tm);
      strftime (want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
      ok (strncmp (ts, want, strlen (want)) == 0, "timestamp %s starts with %s", ts, want);
      ok (ts[strlen (ts) - 1] == 'Z' && (ts[19] == '.' || ts[19] == 'Z'),
          "fraction then Z (RFC3339Nano)");
      ok (ts[strlen (ts) - 2] != '0', "no trailing zero in the fraction");
      return;
    }
  ok (0, "three timestamps straddled a second boundary");
}

static void
write_state (const char *text)
{
  FILE *f = fopen ("c1/state.json", "w");

  fputs (text, f);
  fclose (f);
}

static char *
slurp (const char *path)
{
  char *text = NULL;
  rt_error_t err = NULL;

  if (read_file (path, &text, NULL, &err) < 0)
    rt_error_free (&err);
  return text;
}

/* TEXT (a JSON document) as rt_json_value writes it again: the form state.json keeps. */
static char *
regenerated (const char *text, const char *const *path)
{
  char errbuf[128];
  yajl_val root = yajl_tree_parse (text, errbuf, sizeof errbuf);
  yajl_val v = root && path ? yajl_tree_get (root, (const char **) path, yajl_t_any) : root;
  yajl_gen g = yajl_gen_alloc (NULL);
  char *out;

  if (v != NULL)
    rt_json_value (g, v);
  out = rt_json_take (g, NULL);
  yajl_tree_free (root);
  return out;
}

/* The load of state.json TEXT fails, its message holding WANT. */
static void
refused (const char *text, const char *want, const char *what)
{
  struct rt_container *got = NULL;
  rt_error_t err = NULL;

  write_state (text);
  ok (rt_state_load ("c1", &got, &err) < 0 && strstr (err->msg, want) != NULL, "refused: %s (%s)",
      what, err ? err->msg : "loaded");
  rt_error_free (&err);
  rt_container_free (got);
}

/* The load of TEXT works, but the spec from it fails with WANT: what only the whole read
   (for the spec) sees. */
static void
spec_refused (const char *text, const char *want, const char *what)
{
  struct rt_container *got = NULL;
  rt_error_t err = NULL;

  write_state (text);
  if (rt_state_load ("c1", &got, &err) < 0)
    {
      ok (0, "spec refused: %s: the state loads (%s)", what, err->msg);
      rt_error_free (&err);
      return;
    }
  ok (rt_container_spec (got, &err) < 0 && strstr (err->msg, want) != NULL, "spec refused: %s (%s)",
      what, err ? err->msg : "parsed");
  rt_error_free (&err);
  rt_container_free (got);
}

static const char test_config[]
    = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
      "\"annotations\":{\"k\":\",\\\"config\\\":\",\"z\":\"\\u00e9\\n\\\"}\"},"
      "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
      "[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
      "\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}]}}}";

/* save, load: every field, and the config as a subtree that parses as the same spec. */
static void
test_state_roundtrip (void)
{
  static const char *const config_path[] = { "config", NULL };
  struct rt_container c = { .id = "c1",
                            .pid = 2147483647,
                            .start_time = 9223372036854775807ull,
                            .bundle = "/b \"q\"",
                            .rootfs = "/b/rootfs",
                            .created = "2026-12-03T06:00:00.1Z",
                            .owner = "",
                            .cgroup_path = "/rt/c1",
                            .paused = true };
  cleanup_free char *saved = NULL, *resaved = NULL, *want = NULL, *kept = NULL;
  struct rt_container *got = NULL;
  rt_error_t err = NULL;

  /* as create has them: the text and its tree (load_bundle) */
  c.config = xstrdup (test_config);
  c.config_len = strlen (test_config);
  if (rt_spec_load_tree (c.config, c.config_len, &c.tree, &err) < 0)
    exit (2);
  ok (rt_state_save (&c, &err) == 0, "save a state");
  rt_error_free (&err);
  yajl_tree_free (c.tree);
  free (c.config);
  ok (rt_state_load ("c1", &got, &err) == 0, "load it back");
  rt_error_free (&err);
  if (got == NULL)
    return;
  is_str (got->id, "c1", "id");
  ok (got->pid == 2147483647, "pid");
  ok (got->start_time == 9223372036854775807ull, "startTime");
  is_str (got->bundle, "/b \"q\"", "bundle");
  is_str (got->rootfs, "/b/rootfs", "rootfs");
  is_str (got->created, "2026-12-03T06:00:00.1Z", "created");
  is_str (got->owner, "", "owner");
  is_str (got->cgroup_path, "/rt/c1", "cgroupPath");
  ok (got->paused, "paused");
  ok (got->spec == NULL && got->tree == NULL, "the config is not parsed by a load");

  saved = slurp ("c1/state.json");
  want = regenerated (test_config, NULL);
  kept = saved ? regenerated (saved, config_path) : NULL;
  is_str (kept, want, "the config survives as a subtree, every key and number as it was");
  ok (rt_container_spec (got, &err) == 0, "the spec from it parses");
  rt_error_free (&err);
  if (got->spec != NULL && got->spec->linux_.seccomp != NULL
      && got->spec->linux_.seccomp->n_syscalls == 1)
    ok (got->spec->linux_.seccomp->syscalls[0].args[0].value == UINT64_MAX,
        "a uint64 above INT64_MAX in the config survives");
  else
    ok (0, "the spec has the config's seccomp rule");
  ok (got->spec && got->spec->n_annotations == 2
          && strcmp (got->spec->annotations[0].value, ",\"config\":") == 0,
      "a string that looks like the old splice point is only a string");

  got->paused = false;
  ok (rt_state_save (got, &err) == 0, "save the loaded state again (resume)");
  rt_error_free (&err);
  resaved = slurp ("c1/state.json");
  ok (saved && resaved && strstr (resaved, "\"paused\":false")
          && strcmp (strstr (saved, "\"config\""), strstr (resaved, "\"config\"")) == 0,
      "the new state keeps the same config");
  rt_container_free (got);
  got = NULL;

  c.rootfs = NULL;
  c.cgroup_path = NULL;
  c.config = NULL;
  c.tree = NULL;
  ok (rt_state_save (&c, &err) == 0 && rt_state_load ("c1", &got, &err) == 0 && got->rootfs == NULL
          && got->cgroup_path == NULL,
      "null rootfs and cgroupPath");
  ok (got && rt_container_spec (got, &err) < 0 && strstr (err->msg, "has no config"),
      "a state without config has no spec");
  rt_error_free (&err);
  rt_container_free (got);
}

#define OK_FIELDS "\"id\":\"c1\",\"bundle\":\"/b\",\"created\":\"x\""

static void
test_state_refused (void)
{
  refused ("{" OK_FIELDS ",\"bogus\":1}", "unknown key \"bogus\"", "an unknown key");
  refused ("{" OK_FIELDS ",\"id\":\"c1\"}", "duplicate key \"id\"", "a duplicate key");
  refused ("{" OK_FIELDS ",\"pid\":\"7\"}", "pid: expected a non-negative integer",
           "a pid as a string");
  refused ("{" OK_FIELDS ",\"pid\":-1}", "pid: expected a non-negative", "a negative pid");
  refused ("{" OK_FIELDS ",\"pid\":1.5}", "pid: expected a non-negative", "a fraction");
  refused ("{" OK_FIELDS ",\"pid\":2147483648}", "pid: expected", "a pid past INT_MAX");
  refused ("{" OK_FIELDS ",\"startTime\":9223372036854775808}", "startTime: expected",
           "a startTime past INT64_MAX");
  refused ("{\"id\":1,\"bundle\":\"/b\",\"created\":\"x\"}", "id: expected a string",
           "an id number");
  refused ("{" OK_FIELDS ",\"owner\":null}", "owner: expected a string", "a null owner");
  refused ("{" OK_FIELDS ",\"paused\":1}", "paused: expected a boolean", "paused as a number");
  refused ("{" OK_FIELDS ",\"rootfs\":[]}", "rootfs: expected a string", "an array");
  refused ("{" OK_FIELDS ",\"cgroupPath\":{}}", "cgroupPath: expected a string", "an object");
  refused ("{" OK_FIELDS ",\"config\":[]}", "config: expected an object", "a config array");
  refused ("{" OK_FIELDS ",\"config\":\"{}\"}", "config: expected an object", "a config string");
  refused ("[]", "expected an object", "an array for a state");
  refused ("7", "expected an object", "a number for a state");
  refused ("{\"id\":\"c1\"}", "required", "no bundle and created");
  refused ("{\"config\":{}," OK_FIELDS "}", "required", "the config first");
  refused ("{\"id\":\"c2\",\"bundle\":\"/b\",\"created\":\"x\"}", "holds id \"c2\"", "another id");
  refused ("{" OK_FIELDS, "state.json", "a truncated document");
  refused ("{" OK_FIELDS "/* c */}", "state.json", "a comment");
  refused ("{" OK_FIELDS ",\"owner\":\"a\\u0000b\"}", "NUL", "a NUL in a string");
  refused ("", "state.json", "an empty file");

  spec_refused ("{" OK_FIELDS ",\"config\":{},\"paused\":true}", "expected as the last key",
                "a key after the config");
  spec_refused ("{" OK_FIELDS ",\"config\":{}}x", "state.json", "text after the config");
  spec_refused ("{" OK_FIELDS ",\"config\":{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
                "\"hostname\":\"a\\u0000b\"}}",
                "NUL", "a NUL in the config");
  spec_refused ("{" OK_FIELDS ",\"config\":{\"ociVersion\":\"1.0.2\"}}", "config.json",
                "a config without root");
  spec_refused ("{" OK_FIELDS ",\"config\":{/* c */}}", "state.json", "a comment in the config");
}

/* rt_state_lock: a second locker waits for the first; if the first removed the container
   meanwhile, the second is told it does not exist. */
static bool
child_blocked_in_flock (pid_t pid)
{
  for (int tries = 0; tries < 10000; tries++)
    {
      cleanup_free char *locks = slurp ("/proc/locks");
      char want[32];

      snprintf (want, sizeof want, "-> FLOCK  ADVISORY  WRITE %d ", (int) pid);
      if (locks && strstr (locks, want))
        return true;
      sched_yield ();
      usleep (1000); /* the child's next step is a syscall away: look again */
    }
  return false;
}

/* A child that locks c1 and reports 'L' (locked), 'N' (no such container) or 'E'.  It
   closes HELD first: the parent's lock would be its own too (flock is per open file). */
static pid_t
spawn_locker (int held, int report)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      rt_error_t err = NULL;
      int fd = -1;

      close (held);
      char r = rt_state_lock ("c1", &fd, &err) == 0 ? 'L' : err->status == ENOENT ? 'N' : 'E';
      if (write (report, &r, 1) != 1)
        _exit (2);
      _exit (0);
    }
  return pid;
}

static void
test_state_lock (void)
{
  struct rt_container c = { .id = "c1", .bundle = "/b", .created = "x", .owner = "" };
  rt_error_t err = NULL;
  int fd = -1, p[2];
  char r = 0;
  pid_t pid;

  ok (rt_state_save (&c, &err) == 0 && rt_state_lock ("c1", &fd, &err) == 0, "lock c1");
  rt_error_free (&err);
  if (pipe (p) < 0)
    return;
  pid = spawn_locker (fd, p[1]);
  ok (child_blocked_in_flock (pid), "a second locker waits in flock");
  {
    struct pollfd pf = { .fd = p[0], .events = POLLIN };
    ok (poll (&pf, 1, 0) == 0, "and has not got the lock");
  }
  close (fd);
  ok (read (p[0], &r, 1) == 1 && r == 'L', "it gets the lock once the first lets go");
  waitpid (pid, NULL, 0);

  ok (rt_state_lock ("c1", &fd, &err) == 0, "lock c1 again");
  pid = spawn_locker (fd, p[1]);
  ok (child_blocked_in_flock (pid), "a second locker waits");
  ok (rt_state_remove ("c1", &err) == 0, "the holder removes the container");
  close (fd);
  ok (read (p[0], &r, 1) == 1 && r == 'N', "the waiter is told it does not exist");
  waitpid (pid, NULL, 0);
  ok (rt_state_lock ("c1", &fd, &err) < 0 && err->status == ENOENT, "no lock on a missing one");
  rt_error_free (&err);
  close (p[0]);
  close (p[1]);
}

static bool
file_is (const char *path, const char *want)
{
  char buf[64] = "";
  FILE *f = fopen (path, "r");
  size_t n;

  if (f == NULL)
    return false;
  n = fread (buf, 1, sizeof buf - 1, f);
  fclose (f);
  buf[n] = '\0';
  return strcmp (buf, want) == 0;
}

/* DIR holds exactly the N entries NAMES (in any order): no temporary file left. */
static bool
dir_holds (const char *dir, size_t n, const char *const *names)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  size_t seen = 0;
  bool known = true;

  if (d == NULL)
    return false;
  while ((e = readdir (d)) != NULL)
    {
      bool found = false;

      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      seen++;
      for (size_t i = 0; i < n; i++)
        found = found || strcmp (e->d_name, names[i]) == 0;
      known = known && found;
    }
  closedir (d);
  return known && seen == n;
}

/* write_file_atomic: created, then replaced (names exchanged, the old file unlinked), a
   symlink replaced and its target untouched, a directory refused as rename refuses it. */
static void
test_write_file_atomic (void)
{
  rt_error_t err = NULL;
  struct stat a, b;

  ok (mkdir ("w", 0755) == 0, "a directory for write_file_atomic");
  ok (write_file_atomic ("w/f", "one", 3, 0600, &err) == 0 && file_is ("w/f", "one"), "a new file");
  ok (stat ("w/f", &a) == 0 && (a.st_mode & 07777) == 0600, "with the mode asked for");
  ok (write_file_atomic ("w/f", "two", 3, 0600, &err) == 0 && file_is ("w/f", "two"),
      "an existing file replaced");
  ok (stat ("w/f", &b) == 0 && b.st_ino != a.st_ino, "by a new inode (a reader never sees a "
                                                     "half-written file)");
  ok (dir_holds ("w", 1, (const char *[]){ "f" }), "and nothing else left in the directory");

  ok (write_file ("w/target", "keep", 4, 0600, &err) == 0 && symlink ("target", "w/link") == 0,
      "a symlink");
  ok (write_file_atomic ("w/link", "new", 3, 0600, &err) == 0 && lstat ("w/link", &a) == 0
          && S_ISREG (a.st_mode) && file_is ("w/link", "new"),
      "a symlink is replaced by the file");
  ok (file_is ("w/target", "keep"), "its target untouched");

  ok (mkdir ("w/d", 0755) == 0, "a directory in the way");
  ok (write_file_atomic ("w/d", "x", 1, 0600, &err) < 0 && err && err->status == EISDIR,
      "refused with EISDIR, as rename refuses it");
  rt_error_free (&err);
  ok (stat ("w/d", &a) == 0 && S_ISDIR (a.st_mode) && rmdir ("w/d") == 0,
      "the directory is still there, empty");
  ok (dir_holds ("w", 3, (const char *[]){ "f", "link", "target" }), "no temporary file left");
  unlink ("w/f");
  unlink ("w/link");
  unlink ("w/target");
  ok (rmdir ("w") == 0, "removed");
}

int
main (void)
{
  char root[] = "/tmp/rt-test-state.XXXXXX";
  rt_error_t err = NULL;

  test_civil ();
  test_timestamp ();
  if (mkdtemp (root) == NULL || chdir (root) < 0)
    {
      ok (0, "a temporary root");
      return tap_done ();
    }
  rt_global.root = root;
  ok (rt_state_create_dir ("c1", &err) == 0, "a state dir");
  test_state_roundtrip ();
  test_state_refused ();
  test_state_lock ();
  test_write_file_atomic ();
  rmdir (root);
  return tap_done ();
}
