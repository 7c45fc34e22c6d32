/* The state directory <root>/<id>: state.json (what rebuilds struct rt_container, with
   the bundle's config.json as it was at create) and exec.fifo (while created).

   Locking: commands that change a container (create, start, delete, pause, ...) hold an
   exclusive flock on the directory <root>/<id> itself for the duration of the change (a
   lock file would cost one more inode per container); readers (state, list, kill) take no
   lock because state.json is only ever replaced by rename(2). */
#define _GNU_SOURCE
#include "rt.h"
#include "jsongen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

static const char *const status_names[] = {
  [RT_STATUS_CREATING] = "creating", [RT_STATUS_CREATED] = "created",
  [RT_STATUS_RUNNING] = "running",   [RT_STATUS_PAUSED] = "paused",
  [RT_STATUS_STOPPED] = "stopped",
};

const char *
rt_status_name (enum rt_status s)
{
  return (unsigned) s < ARRAY_SIZE (status_names) ? status_names[s] : "unknown";
}

char *
rt_container_dir (const char *id)
{
  return xasprintf ("%s/%s", rt_global.root, id);
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted). */
void
rt_civil_from_days (long long z, int *y, unsigned *m, unsigned *d)
{
  long long era;
  unsigned doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

/* RFC 3339 in UTC with nanoseconds, as Go's RFC3339Nano (which drops trailing zeros of
   the fraction, and the dot with them).  Not gmtime: glibc loads the time zone for it. */
char *
rt_timestamp_now (void)
{
  struct timespec ts;
  long long days, secs;
  unsigned month, day;
  char frac[16];
  int n, year;

  clock_gettime (CLOCK_REALTIME, &ts);
  days = ts.tv_sec / 86400;
  secs = ts.tv_sec % 86400;
  if (secs < 0)
    {
      secs += 86400;
      days--;
    }
  rt_civil_from_days (days, &year, &month, &day);
  n = snprintf (frac, sizeof frac, ".%09ld", ts.tv_nsec);
  while (n > 1 && frac[n - 1] == '0')
    frac[--n] = '\0';
  if (n == 1)
    frac[0] = '\0';
  return xasprintf ("%04d-%02u-%02uT%02lld:%02lld:%02lld%sZ", year, month, day, secs / 3600,
                    secs / 60 % 60, secs % 60, frac);
}

static int
check_id (const char *id, rt_error_t *err)
{
  if (id == NULL || !rt_id_valid (id))
    return rt_error (err, 0,
                     "invalid container id \"%s\": only letters, digits, \"_\", \".\" and \"-\", "
                     "1 to 1024 characters",
                     id ? id : "");
  return 0;
}

static int
not_exist (const char *id, rt_error_t *err)
{
  rt_error (err, 0, "container \"%s\" does not exist", id);
  (*err)->status = ENOENT;
  return -1;
}

static int
already_exists (const char *id, rt_error_t *err)
{
  rt_error (err, 0, "container \"%s\" already exists", id);
  (*err)->status = EEXIST;
  return -1;
}

int
rt_state_create_dir (const char *id, rt_error_t *err)
{
  cleanup_free char *dir = NULL;

  if (check_id (id, err) < 0)
    return -1;
  if (mkdir_p (rt_global.root, 0700, err) < 0)
    return rt_error_wrap (err, "create state root");
  dir = rt_container_dir (id);
  if (mkdir (dir, 0711) < 0)
    {
      if (errno == EEXIST)
        return already_exists (id, err);
      return rt_error (err, errno, "mkdir \"%s\"", dir);
    }
  return 0;
}

int
rt_state_lock (const char *id, int *fd_out, rt_error_t *err)
{
  cleanup_free char *path = NULL;

  if (check_id (id, err) < 0)
    return -1;
  path = rt_container_dir (id);
  for (;;)
    {
      struct stat a, b;
      cleanup_close int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

      if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
        return not_exist (id, err);
      if (fd < 0)
        return rt_error (err, errno, "open \"%s\"", path);
      if (TEMP_FAILURE_RETRY (flock (fd, LOCK_EX)) < 0)
        return rt_error (err, errno, "flock \"%s\"", path);
      /* the holder may have deleted (and someone recreated) the directory meanwhile:
         a lock on a removed directory protects nothing */
      if (fstat (fd, &a) < 0)
        return rt_error (err, errno, "fstat \"%s\"", path);
      if (stat (path, &b) < 0 && errno == ENOENT)
        return not_exist (id, err);
      if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        {
          *fd_out = take_fd (&fd);
          return 0;
        }
    }
}

/* ---- state.json ---- */

static void
gen_str (yajl_gen g, const char *key, const char *val)
{
  rt_json_str (g, key);
  if (val != NULL)
    rt_json_str (g, val);
  else
    yajl_gen_null (g);
}

static void
gen_int (yajl_gen g, const char *key, long long val)
{
  rt_json_str (g, key);
  yajl_gen_integer (g, val);
}

static yajl_gen
gen_new (bool pretty)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    {
      dprintf (2, "rt: out of memory\n");
      exit (EXIT_FAILURE);
    }
  if (pretty)
    {
      yajl_gen_config (g, yajl_gen_beautify, 1);
      yajl_gen_config (g, yajl_gen_indent_string, "  ");
    }
  return g;
}

/* The config is the last key, its text as the bundle had it (it was parsed strictly at
   create).  Nothing before it can contain CONFIG_KEY: yajl escapes every quote in a
   string, and the keys are ours. */
#define CONFIG_KEY ",\"config\":"

int
rt_state_save (const struct rt_container *c, rt_error_t *err)
{
  yajl_gen g = gen_new (false);
  cleanup_free char *json = NULL, *path = NULL;
  const unsigned char *buf;
  size_t len;

  yajl_gen_map_open (g);
  gen_str (g, "id", c->id);
  gen_int (g, "pid", c->pid);
  rt_json_str (g, "startTime");
  yajl_gen_integer (g, (long long) c->start_time);
  gen_str (g, "bundle", c->bundle);
  gen_str (g, "rootfs", c->rootfs);
  gen_str (g, "created", c->created);
  gen_str (g, "owner", c->owner);
  gen_str (g, "cgroupPath", c->cgroup_path);
  rt_json_str (g, "paused");
  yajl_gen_bool (g, c->paused);
  yajl_gen_get_buf (g, &buf, &len);
  json = xasprintf ("%.*s%s%.*s}\n", (int) len, (const char *) buf, c->config ? CONFIG_KEY : "",
                    c->config ? (int) c->config_len : 0, c->config ? c->config : "");
  yajl_gen_free (g);

  path = xasprintf ("%s/%s/state.json", rt_global.root, c->id);
  if (write_file_atomic (path, json, strlen (json), 0600, err) < 0)
    return rt_error_wrap (err, "save state");
  return 0;
}

static int
load_str (yajl_val v, const char *key, bool nullable, char **out, rt_error_t *err)
{
  if (nullable && YAJL_IS_NULL (v))
    return 0;
  if (!YAJL_IS_STRING (v))
    return rt_error (err, 0, "state.json: %s: expected a string", key);
  *out = xstrdup (YAJL_GET_STRING (v));
  return 0;
}

static int
load_uint (yajl_val v, const char *key, unsigned long long *out, rt_error_t *err)
{
  if (!YAJL_IS_INTEGER (v) || YAJL_GET_INTEGER (v) < 0)
    return rt_error (err, 0, "state.json: %s: expected a non-negative integer", key);
  *out = (unsigned long long) YAJL_GET_INTEGER (v);
  return 0;
}

/* One key of state.json into C; unknown and duplicate keys are errors. */
static int
load_key (struct rt_container *c, const char *key, yajl_val v, unsigned *seen, rt_error_t *err)
{
  static const char *const keys[] = { "id",      "pid",   "startTime",  "bundle", "rootfs",
                                      "created", "owner", "cgroupPath", "paused", "config" };
  unsigned long long n = 0;
  size_t i;

  for (i = 0; i < ARRAY_SIZE (keys) && strcmp (key, keys[i]) != 0; i++)
    ;
  if (i == ARRAY_SIZE (keys))
    return rt_error (err, 0, "state.json: unknown key \"%s\"", key);
  if (*seen & (1u << i))
    return rt_error (err, 0, "state.json: duplicate key \"%s\"", key);
  *seen |= 1u << i;
  switch (i)
    {
      case 0:
        return load_str (v, key, false, &c->id, err);
      case 1:
        if (load_uint (v, key, &n, err) < 0)
          return -1;
        c->pid = (pid_t) n;
        return 0;
      case 2:
        return load_uint (v, key, &c->start_time, err);
      case 3:
        return load_str (v, key, false, &c->bundle, err);
      case 4:
        return load_str (v, key, true, &c->rootfs, err);
      case 5:
        return load_str (v, key, false, &c->created, err);
      case 6:
        return load_str (v, key, false, &c->owner, err);
      case 7:
        return load_str (v, key, true, &c->cgroup_path, err);
      case 9:
        /* rt writes it last, where state_split takes it */
        return rt_error (err, 0, "state.json: config: expected as the last key");
      default:
        if (!YAJL_IS_TRUE (v) && !YAJL_IS_FALSE (v))
          return rt_error (err, 0, "state.json: paused: expected a boolean");
        c->paused = YAJL_IS_TRUE (v);
        return 0;
    }
}

/* state.json without its config: the text from CONFIG_KEY on is the config object (as
   the bundle had it, parsed strictly at create and again by rt_container_spec when a
   command needs it) and the state's closing brace.  Only what comes before is parsed
   here, so that `list` and `state` do not parse every container's config. */
static int
state_split (char *json, struct rt_container *c, rt_error_t *err)
{
  char *start = strstr (json, CONFIG_KEY), *end;

  if (start == NULL)
    return 0;
  end = strrchr (start, '}');
  if (end == NULL || start[strlen (CONFIG_KEY)] != '{'
      || end[strspn (end + 1, " \t\n") + 1] != '\0')
    return rt_error (err, 0, "state.json: config: expected an object at the end");
  c->config_len = (size_t) (end - start - strlen (CONFIG_KEY));
  c->config = xmalloc (c->config_len + 1);
  memcpy (c->config, start + strlen (CONFIG_KEY), c->config_len);
  c->config[c->config_len] = '\0';
  start[0] = '}';
  start[1] = '\0';
  return 0;
}

static int
state_parse (char *json, struct rt_container *c, rt_error_t *err)
{
  char errbuf[256] = "";
  yajl_val root;
  unsigned seen = 0;
  int ret = 0;

  if (state_split (json, c, err) < 0)
    return -1;
  root = yajl_tree_parse (json, errbuf, sizeof errbuf);
  if (root == NULL)
    {
      errbuf[strcspn (errbuf, "\n")] = '\0';
      return rt_error (err, 0, "state.json: %s", errbuf);
    }
  if (!YAJL_IS_OBJECT (root))
    ret = rt_error (err, 0, "state.json: expected an object");
  for (size_t i = 0; ret == 0 && i < YAJL_GET_OBJECT (root)->len; i++)
    ret = load_key (c, YAJL_GET_OBJECT (root)->keys[i], YAJL_GET_OBJECT (root)->values[i], &seen,
                    err);
  yajl_tree_free (root);
  if (ret == 0 && (c->id == NULL || c->bundle == NULL || c->created == NULL))
    ret = rt_error (err, 0, "state.json: id, bundle and created are required");
  return ret;
}

int
rt_state_load (const char *id, struct rt_container **out, rt_error_t *err)
{
  cleanup_free char *dir = NULL, *path = NULL, *json = NULL;
  struct rt_container *c;

  if (check_id (id, err) < 0)
    return -1;
  dir = rt_container_dir (id);
  path = xasprintf ("%s/state.json", dir);
  if (read_file (path, &json, NULL, err) < 0)
    {
      if ((*err)->status != ENOENT)
        return -1;
      rt_error_free (err);
      return not_exist (id, err);
    }
  c = xcalloc (1, sizeof *c);
  if (state_parse (json, c, err) < 0)
    {
      rt_container_free (c);
      return rt_error_wrap (err, "container \"%s\"", id);
    }
  if (strcmp (c->id, id) != 0)
    {
      rt_error (err, 0, "container \"%s\": state.json holds id \"%s\"", id, c->id);
      rt_container_free (c);
      return -1;
    }
  if (c->owner == NULL)
    c->owner = xstrdup ("");
  c->dir = take_ptr (&dir);
  *out = c;
  return 0;
}

int
rt_container_spec (struct rt_container *c, rt_error_t *err)
{
  if (c->spec != NULL)
    return 0;
  if (c->config == NULL)
    return rt_error (err, 0, "container \"%s\": state.json has no config", c->id);
  return rt_spec_parse (c->config, c->config_len, &c->spec, err);
}

void
rt_container_free (struct rt_container *c)
{
  if (c == NULL)
    return;
  free (c->id);
  free (c->bundle);
  free (c->rootfs);
  free (c->created);
  free (c->owner);
  free (c->cgroup_path);
  free (c->config);
  free (c->dir);
  if (c->spec != NULL)
    rt_spec_free (c->spec);
  free (c);
}

/* Renamed out of the way first (to a name no id can have), so that no other command
   sees, or locks, a half-removed directory. */
int
rt_state_remove (const char *id, rt_error_t *err)
{
  cleanup_free char *dir = NULL, *doomed = NULL;

  if (check_id (id, err) < 0)
    return -1;
  dir = rt_container_dir (id);
  doomed = xasprintf ("%s~deleted-%d", dir, getpid ());
  if (rename (dir, doomed) < 0)
    return errno == ENOENT ? 0 : rt_error (err, errno, "rename \"%s\"", dir);
  if (rm_rf (doomed) < 0)
    return rt_error (err, errno, "remove \"%s\"", doomed);
  return 0;
}

/* ---- status ---- */

static bool
cgroup_frozen (const struct rt_container *c)
{
  cleanup_cgroup struct rt_cgroup *cg = NULL;
  cleanup_error rt_error_t ignored = NULL; /* unknown: what state.json says */
  bool frozen = c->paused;

  if (c->cgroup_path == NULL || rt_cgroup_new (c->cgroup_path, c->id, &cg, &ignored) < 0)
    return frozen;
  if (cg->ops->frozen (cg, &frozen, &ignored) < 0)
    frozen = c->paused;
  return frozen;
}

enum rt_status
rt_container_status (const struct rt_container *c)
{
  cleanup_free char *fifo = NULL;
  unsigned long long start;
  char st;

  if (c->pid <= 0)
    return RT_STATUS_CREATING;
  if (proc_stat (c->pid, &st, &start) < 0 || st == 'Z' || st == 'X' || start != c->start_time)
    return RT_STATUS_STOPPED;
  fifo = c->dir ? xasprintf ("%s/exec.fifo", c->dir)
                : xasprintf ("%s/%s/exec.fifo", rt_global.root, c->id);
  /* a created container can be paused too: runc reports "paused" */
  if (c->paused && cgroup_frozen (c))
    return RT_STATUS_PAUSED;
  if (access (fifo, F_OK) == 0)
    return RT_STATUS_CREATED;
  return RT_STATUS_RUNNING;
}

static int
keyval_cmp (const void *a, const void *b)
{
  return strcmp ((*(const struct rt_keyval *const *) a)->key,
                 (*(const struct rt_keyval *const *) b)->key);
}

/* Annotations sorted by key, as Go marshals a map. */
static void
gen_annotations (yajl_gen g, const struct rt_spec *spec)
{
  cleanup_free const struct rt_keyval **sorted = NULL;

  if (spec == NULL || spec->n_annotations == 0)
    return;
  sorted = xcalloc (spec->n_annotations, sizeof *sorted);
  for (size_t i = 0; i < spec->n_annotations; i++)
    sorted[i] = &spec->annotations[i];
  qsort (sorted, spec->n_annotations, sizeof *sorted, keyval_cmp);
  rt_json_str (g, "annotations");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < spec->n_annotations; i++)
    gen_str (g, sorted[i]->key, sorted[i]->value);
  yajl_gen_map_close (g);
}

char *
rt_container_state_json (const struct rt_container *c, bool pretty)
{
  enum rt_status status = c->creating ? RT_STATUS_CREATING : rt_container_status (c);
  yajl_gen g = gen_new (pretty);

  yajl_gen_map_open (g);
  gen_str (g, "ociVersion", RT_SPEC_VERSION);
  gen_str (g, "id", c->id);
  gen_int (g, "pid", status == RT_STATUS_STOPPED ? 0 : c->pid);
  gen_str (g, "status", rt_status_name (status));
  gen_str (g, "bundle", c->bundle);
  if (c->rootfs != NULL)
    gen_str (g, "rootfs", c->rootfs);
  gen_str (g, "created", c->created);
  gen_annotations (g, c->spec);
  gen_str (g, "owner", c->owner ? c->owner : "");
  yajl_gen_map_close (g);
  return rt_json_take (g, NULL);
}
