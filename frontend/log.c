/* Logging: runc's logrus formats, to --log FILE or else to stderr (text:
   `time="..." level=error msg="..."`, json: {"level":"error","msg":"...","time":"..."}).
   The final error is always printed once on stderr as "rt: CMD ID: MSG" (and logged). */
#define _GNU_SOURCE
#include "rt.h"
#include "jsongen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

struct rt_global rt_global = { .root = "/run/rt", .criu = "criu" };

static const char *const level_names[] = {
  [RT_LOG_ERROR] = "error",
  [RT_LOG_WARN] = "warning",
  [RT_LOG_INFO] = "info",
  [RT_LOG_DEBUG] = "debug",
};

static int log_fd = -2; /* -2: not opened yet, -1: stderr */

/* The --log fd, opened on first use; -1 means stderr. */
static int
log_output (void)
{
  if (log_fd != -2)
    return log_fd;
  log_fd = -1;
  if (rt_global.log_path != NULL)
    {
      log_fd = open (rt_global.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
      if (log_fd < 0)
        dprintf (2, "rt: open log file \"%s\": %s\n", rt_global.log_path, rt_strerror (errno));
    }
  return log_fd;
}

/* RFC 3339 in local time, seconds precision, as logrus writes it. */
static void
log_time (char *buf, size_t len)
{
  struct tm tm;
  time_t now = time (NULL);
  size_t n;

  localtime_r (&now, &tm);
  n = strftime (buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
  if (n < 5)
    return;
  if (strcmp (buf + n - 5, "+0000") == 0)
    strcpy (buf + n - 5, "Z");
  else if (n + 2 <= len) /* +hhmm -> +hh:mm */
    {
      memmove (buf + n - 1, buf + n - 2, 3);
      buf[n - 2] = ':';
    }
}

/* A Go %q-style quoted string, as logrus quotes msg. */
static char *
quote_text (const char *msg)
{
  size_t n = strlen (msg);
  char *out = xmalloc (n * 4 + 3), *p = out;

  *p++ = '"';
  for (const unsigned char *s = (const unsigned char *) msg; *s; s++)
    {
      if (*s == '"' || *s == '\\')
        *p++ = '\\';
      p = rt_escape_control_char (p, *s);
    }
  *p++ = '"';
  *p = '\0';
  return out;
}

static char *
format_json (enum rt_log_level level, const char *msg, const char *when)
{
  const unsigned char *buf;
  size_t len;
  char *out;
  yajl_gen g = yajl_gen_alloc (NULL);

  if (g == NULL)
    return NULL;
  yajl_gen_map_open (g);
  rt_json_key_str (g, "level", level_names[level]);
  rt_json_key_str (g, "msg", msg);
  rt_json_key_str (g, "time", when);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  out = xasprintf ("%.*s\n", (int) len, buf);
  yajl_gen_free (g);
  return out;
}

/* One entry, formatted for the destination, written with a single write(). */
static void
log_entry (enum rt_log_level level, const char *msg)
{
  char when[64];
  cleanup_free char *line = NULL;
  int fd = log_output ();

  log_time (when, sizeof when);
  if (rt_global.log_json)
    line = format_json (level, msg, when);
  else
    {
      cleanup_free char *quoted = quote_text (msg);
      line = xasprintf ("time=\"%s\" level=%s msg=%s\n", when, level_names[level], quoted);
    }
  if (line != NULL && write_all (fd >= 0 ? fd : 2, line, strlen (line)) < 0)
    return;
}

static void
vlog (enum rt_log_level level, const char *fmt, va_list ap)
{
  cleanup_free char *msg = NULL;

  if (level == RT_LOG_DEBUG && !rt_global.debug)
    return;
  if (vasprintf (&msg, fmt, ap) < 0)
    return;
  log_entry (level, msg);
}

void
rt_log (enum rt_log_level level, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vlog (level, fmt, ap);
  va_end (ap);
}

static int
level_parse (const char *name)
{
  static const struct
  {
    const char *name;
    enum rt_log_level level;
  } levels[] = {
    { "debug", RT_LOG_DEBUG }, { "info", RT_LOG_INFO },   { "warning", RT_LOG_WARN },
    { "warn", RT_LOG_WARN },   { "error", RT_LOG_ERROR }, { "fatal", RT_LOG_ERROR },
    { "panic", RT_LOG_ERROR }, { "trace", RT_LOG_DEBUG },
  };
  for (size_t i = 0; i < ARRAY_SIZE (levels); i++)
    if (strcmp (name, levels[i].name) == 0)
      return levels[i].level;
  return -1;
}

void
rt_log_forward (const char *line)
{
  static const char *level_path[] = { "level", NULL };
  static const char *msg_path[] = { "msg", NULL };
  yajl_val root, level, msg;
  int lvl = -1;

  root = yajl_tree_parse (line, NULL, 0);
  level = root ? yajl_tree_get (root, level_path, yajl_t_string) : NULL;
  msg = root ? yajl_tree_get (root, msg_path, yajl_t_string) : NULL;
  if (level != NULL)
    lvl = level_parse (YAJL_GET_STRING (level));
  if (lvl < 0 || msg == NULL)
    {
      size_t n = strcspn (line, "\n");
      if (n > 0)
        rt_log (RT_LOG_WARN, "nsinit: %.*s", (int) n, line);
    }
  else
    rt_log (lvl, "%s", YAJL_GET_STRING (msg));
  yajl_tree_free (root);
}

/* True when --log points at our own stderr (e.g. /dev/stderr): print only once. */
static bool
log_is_stderr (int fd)
{
  struct stat a, b;
  return fd >= 0 && fstat (fd, &a) == 0 && fstat (2, &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
}

void
rt_log_error_exit (const char *cmd, const char *id, rt_error_t err)
{
  rt_log_error_exit_status (cmd, id, err, EXIT_FAILURE);
}

void
rt_log_error_exit_status (const char *cmd, const char *id, rt_error_t err, int status)
{
  const char *msg = err != NULL && err->msg != NULL ? err->msg : "unknown error";
  cleanup_free char *line = NULL;
  int fd = log_output ();

  if (id != NULL && *id != '\0')
    line = xasprintf ("rt: %s %s: %s", cmd, id, msg);
  else
    line = xasprintf ("rt: %s: %s", cmd, msg);
  if (fd >= 0)
    log_entry (RT_LOG_ERROR, line);
  if (!log_is_stderr (fd))
    {
      /* the one line of the error: nothing in it may start another, or reach a terminal */
      cleanup_free char *clean = rt_escape_controls (line);
      dprintf (2, "%s\n", clean ? clean : line);
    }
  rt_error_free (&err);
  exit (status);
}
