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
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>
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

/* ---- state.json ----
   One JSON document: the state's fields, then "config", the bundle's config.json as it
   was at create (parsed strictly then), as a subtree.  rt writes "config" last, so that
   `list` and `state`, which need no config, read the fields with an event parser that
   stops where the config starts (lexing 1000 configs would add a tenth to a `list`).  A
   command that needs the spec reads the whole document (rt_container_spec). */

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

enum state_key
{
  K_ID,
  K_PID,
  K_START_TIME,
  K_BUNDLE,
  K_ROOTFS,
  K_CREATED,
  K_OWNER,
  K_CGROUP_PATH,
  K_PAUSED,
  K_CONFIG,
  K_NONE,
};

enum state_type
{
  T_STRING,
  T_STRING_OR_NULL,
  T_UINT,
  T_BOOL,
  T_OBJECT,
  T_OTHER, /* what no field is: an array, a fraction, a negative number */
};

static const struct
{
  const char *name;
  enum state_type type;
} state_fields[] = {
  [K_ID] = { "id", T_STRING },
  [K_PID] = { "pid", T_UINT },
  [K_START_TIME] = { "startTime", T_UINT },
  [K_BUNDLE] = { "bundle", T_STRING },
  [K_ROOTFS] = { "rootfs", T_STRING_OR_NULL },
  [K_CREATED] = { "created", T_STRING },
  [K_OWNER] = { "owner", T_STRING },
  [K_CGROUP_PATH] = { "cgroupPath", T_STRING_OR_NULL },
  [K_PAUSED] = { "paused", T_BOOL },
  [K_CONFIG] = { "config", T_OBJECT },
};

/* The state reader: yajl_parse callbacks over state.json. */
struct state_reader
{
  struct rt_container *c; /* where the fields go; NULL: only check them */
  bool whole;             /* read the config too, else stop at its opening brace */
  bool stopped;           /* stopped there, as asked */
  bool failed;            /* *err says why */
  unsigned seen;          /* bit per enum state_key */
  enum state_key key;     /* of the value that comes next, at depth 1 */
  int depth;              /* of maps and arrays */
  rt_error_t *err;
};

/* Deeper than any config: yajl_tree recurses this far (rt_spec_parse's limit too). */
#define STATE_MAX_DEPTH 64

static int __attribute__ ((format (printf, 2, 3)))
reader_fail (struct state_reader *r, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  rt_verror (r->err, 0, fmt, ap);
  va_end (ap);
  rt_error_wrap (r->err, "state.json");
  r->failed = true;
  return 0; /* stops yajl_parse */
}

/* A value of type T at depth 0 or 1. */
static bool
reader_want (struct state_reader *r, enum state_type t)
{
  static const char *const what[] = {
    [T_STRING] = "a string", [T_STRING_OR_NULL] = "a string", [T_UINT] = "a non-negative integer",
    [T_BOOL] = "a boolean",  [T_OBJECT] = "an object",
  };
  enum state_type want;

  /* the root must be an object; below it, a value is the one of r->key */
  if (r->depth == 0)
    return t == T_OBJECT || (reader_fail (r, "expected an object"), false);
  want = state_fields[r->key].type;
  if (t == want || (t == T_STRING && want == T_STRING_OR_NULL))
    return true;
  reader_fail (r, "%s: expected %s", state_fields[r->key].name, what[want]);
  return false;
}

static int
reader_null (void *ctx)
{
  struct state_reader *r = ctx;

  if (r->depth > 1)
    return 1;
  return reader_want (r, T_STRING_OR_NULL);
}

static int
reader_boolean (void *ctx, int b)
{
  struct state_reader *r = ctx;

  if (r->depth > 1)
    return 1;
  if (!reader_want (r, T_BOOL))
    return 0;
  if (r->c)
    r->c->paused = b;
  return 1;
}

/* Numbers as text (no yajl_integer): a config's uint64 values above INT64_MAX are no
   overflow error, and the state's own are digits only. */
static int
reader_number (void *ctx, const char *s, size_t len)
{
  struct state_reader *r = ctx;
  unsigned long long n = 0;
  size_t i;

  if (r->depth > 1)
    return 1;
  for (i = 0; i < len && s[i] >= '0' && s[i] <= '9' && n <= LLONG_MAX / 10; i++)
    n = n * 10 + (unsigned) (s[i] - '0');
  if (!reader_want (r, i == len && len > 0 && n <= LLONG_MAX ? T_UINT : T_OTHER))
    return 0;
  if (r->key == K_PID && n > INT_MAX)
    return reader_fail (r, "pid: expected a non-negative integer");
  if (r->c && r->key == K_PID)
    r->c->pid = (pid_t) n;
  else if (r->c)
    r->c->start_time = n;
  return 1;
}

static char **
reader_string_field (struct rt_container *c, enum state_key k)
{
  switch (k)
    {
      case K_ID:
        return &c->id;
      case K_BUNDLE:
        return &c->bundle;
      case K_ROOTFS:
        return &c->rootfs;
      case K_CREATED:
        return &c->created;
      case K_OWNER:
        return &c->owner;
      default:
        return &c->cgroup_path;
    }
}

/* yajl_tree keeps C strings: "a\u0000b" would silently become "a" in the config. */
static int
reader_string (void *ctx, const unsigned char *s, size_t len)
{
  struct state_reader *r = ctx;

  if (memchr (s, '\0', len) != NULL)
    return reader_fail (r, "string contains a NUL character (\\u0000)");
  if (r->depth > 1)
    return 1;
  if (!reader_want (r, T_STRING))
    return 0;
  if (r->c)
    *reader_string_field (r->c, r->key) = xasprintf ("%.*s", (int) len, (const char *) s);
  return 1;
}

static int
reader_key (void *ctx, const unsigned char *s, size_t len)
{
  struct state_reader *r = ctx;
  size_t k;

  if (memchr (s, '\0', len) != NULL)
    return reader_fail (r, "string contains a NUL character (\\u0000)");
  if (r->depth > 1)
    return 1;
  /* the readers of the state alone stop at "config": nothing may follow it */
  if (r->seen & (1u << K_CONFIG))
    return reader_fail (r, "config: expected as the last key");
  for (k = 0; k < K_NONE; k++)
    if (strlen (state_fields[k].name) == len && memcmp (state_fields[k].name, s, len) == 0)
      break;
  if (k == K_NONE)
    return reader_fail (r, "unknown key \"%.*s\"", (int) len, (const char *) s);
  if (r->seen & (1u << k))
    return reader_fail (r, "duplicate key \"%.*s\"", (int) len, (const char *) s);
  r->seen |= 1u << k;
  r->key = (enum state_key) k;
  return 1;
}

static int
reader_open (struct state_reader *r, enum state_type t)
{
  if (r->depth <= 1 && !reader_want (r, t))
    return 0;
  if (++r->depth > STATE_MAX_DEPTH)
    return reader_fail (r, "nesting too deep");
  if (r->depth == 2 && !r->whole)
    {
      r->stopped = true; /* the config: not needed */
      return 0;
    }
  return 1;
}

static int
reader_start_map (void *ctx)
{
  return reader_open (ctx, T_OBJECT);
}

static int
reader_start_array (void *ctx)
{
  return reader_open (ctx, T_OTHER);
}

static int
reader_close (void *ctx)
{
  ((struct state_reader *) ctx)->depth--;
  return 1;
}

static const yajl_callbacks state_callbacks = {
  .yajl_null = reader_null,
  .yajl_boolean = reader_boolean,
  .yajl_number = reader_number,
  .yajl_string = reader_string,
  .yajl_start_map = reader_start_map,
  .yajl_map_key = reader_key,
  .yajl_end_map = reader_close,
  .yajl_start_array = reader_start_array,
  .yajl_end_array = reader_close,
};

/* Read state.json's fields into C (NULL: only check them); WHOLE: the config too, which
   is then checked as strictly as rt_spec_parse checks a text (no comments, no NUL, no
   deep nesting), its schema being left to rt_spec_from_tree. */
static int
state_read (const char *doc, size_t len, struct rt_container *c, bool whole, rt_error_t *err)
{
  struct state_reader r = { .c = c, .whole = whole, .key = K_NONE, .err = err };
  yajl_handle h = yajl_alloc (&state_callbacks, NULL, &r);
  yajl_status st;

  if (h == NULL)
    return rt_error (err, ENOMEM, "state.json");
  st = yajl_parse (h, (const unsigned char *) doc, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  if (st != yajl_status_ok && !r.stopped && !r.failed)
    {
      char *msg = (char *) yajl_get_error (h, 0, (const unsigned char *) doc, len);
      msg[strcspn (msg, "\n")] = '\0';
      rt_error (err, 0, "state.json: %s", msg);
      yajl_free_error (h, (unsigned char *) msg);
      r.failed = true;
    }
  yajl_free (h);
  if (r.failed)
    return -1;
  if ((r.seen & (1u << K_ID | 1u << K_BUNDLE | 1u << K_CREATED))
      != (1u << K_ID | 1u << K_BUNDLE | 1u << K_CREATED))
    return rt_error (err, 0, "state.json: id, bundle and created are required");
  return 0;
}

/* The config as a tree, parsed once: at create, the bundle's (load_bundle keeps it);
   else the "config" of the state.json read, checked whole first.  NULL when the state
   has none. */
static int
state_config (struct rt_container *c, yajl_val *out, rt_error_t *err)
{
  const char *path[] = { "config", NULL };
  char errbuf[256] = "";

  *out = NULL;
  if (c->config != NULL)
    {
      *out = c->tree;
      return 0;
    }
  if (c->tree == NULL && c->doc != NULL)
    {
      if (state_read (c->doc, c->doc_len, NULL, true, err) < 0)
        return -1;
      c->tree = yajl_tree_parse (c->doc, errbuf, sizeof errbuf);
      if (c->tree == NULL)
        {
          errbuf[strcspn (errbuf, "\n")] = '\0';
          return rt_error (err, 0, "state.json: %s", errbuf);
        }
    }
  if (c->tree != NULL)
    *out = yajl_tree_get (c->tree, path, yajl_t_object);
  return 0;
}

int
rt_state_save (struct rt_container *c, rt_error_t *err)
{
  cleanup_free char *json = NULL, *path = NULL;
  yajl_val config;
  yajl_gen g;
  size_t len;

  if (state_config (c, &config, err) < 0)
    return rt_error_wrap (err, "save state");
  g = gen_new (false);
  yajl_gen_map_open (g);
  rt_json_key_str (g, "id", c->id);
  rt_json_key_int (g, "pid", c->pid);
  rt_json_key_u64 (g, "startTime", c->start_time);
  rt_json_key_str (g, "bundle", c->bundle);
  rt_json_key_str (g, "rootfs", c->rootfs);
  rt_json_key_str (g, "created", c->created);
  rt_json_key_str (g, "owner", c->owner);
  rt_json_key_str (g, "cgroupPath", c->cgroup_path);
  rt_json_key_bool (g, "paused", c->paused);
  if (config != NULL)
    {
      rt_json_str (g, "config"); /* last: see above */
      rt_json_value (g, config);
    }
  yajl_gen_map_close (g);
  json = rt_json_take (g, &len);

  path = xasprintf ("%s/%s/state.json", rt_global.root, c->id);
  if (write_file_atomic (path, json, len, 0600, err) < 0)
    return rt_error_wrap (err, "save state");
  return 0;
}

int
rt_state_load (const char *id, struct rt_container **out, rt_error_t *err)
{
  cleanup_free char *dir = NULL, *path = NULL, *doc = NULL;
  cleanup_container struct rt_container *c = NULL;
  size_t len;

  if (check_id (id, err) < 0)
    return -1;
  dir = rt_container_dir (id);
  path = xasprintf ("%s/state.json", dir);
  if (read_file (path, &doc, &len, err) < 0)
    {
      if ((*err)->status != ENOENT)
        return -1;
      rt_error_free (err); /* ENOENT: not_exist says it in runc's words */
      return not_exist (id, err);
    }
  c = xcalloc (1, sizeof *c);
  if (state_read (doc, len, c, false, err) < 0)
    return rt_error_wrap (err, "container \"%s\"", id);
  if (strcmp (c->id, id) != 0)
    return rt_error (err, 0, "container \"%s\": state.json holds id \"%s\"", id, c->id);
  if (c->owner == NULL)
    c->owner = xstrdup ("");
  c->doc = take_ptr (&doc);
  c->doc_len = len;
  c->dir = take_ptr (&dir);
  *out = take_ptr (&c);
  return 0;
}

int
rt_container_spec (struct rt_container *c, rt_error_t *err)
{
  yajl_val config;

  if (c->spec != NULL) /* at create, or asked before */
    return 0;
  if (state_config (c, &config, err) < 0)
    return rt_error_wrap (err, "container \"%s\"", c->id);
  if (config == NULL)
    return rt_error (err, 0, "container \"%s\": state.json has no config", c->id);
  return rt_spec_from_tree (config, &c->spec, err);
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
  free (c->doc);
  if (c->tree != NULL)
    yajl_tree_free (c->tree);
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
    rt_json_key_str (g, sorted[i]->key, sorted[i]->value);
  yajl_gen_map_close (g);
}

void
rt_container_state_gen (yajl_gen g, const struct rt_container *c)
{
  enum rt_status status = c->creating ? RT_STATUS_CREATING : rt_container_status (c);

  yajl_gen_map_open (g);
  rt_json_key_str (g, "ociVersion", RT_SPEC_VERSION);
  rt_json_key_str (g, "id", c->id);
  rt_json_key_int (g, "pid", status == RT_STATUS_STOPPED ? 0 : c->pid);
  rt_json_key_str (g, "status", rt_status_name (status));
  rt_json_key_str (g, "bundle", c->bundle);
  if (c->rootfs != NULL)
    rt_json_key_str (g, "rootfs", c->rootfs);
  rt_json_key_str (g, "created", c->created);
  gen_annotations (g, c->spec);
  rt_json_key_str (g, "owner", c->owner ? c->owner : "");
  yajl_gen_map_close (g);
}

char *
rt_container_state_json (const struct rt_container *c, bool pretty)
{
  yajl_gen g = gen_new (pretty);

  rt_container_state_gen (g, c);
  return rt_json_take (g, NULL);
}
