/* rt list [--format table|json] [--quiet]: every container under --root, sorted by id. */
#define _GNU_SOURCE
#include "rt.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[]
    = "NAME:\n"
      "   rt list - lists containers started by rt with the given root\n"
      "\n"
      "USAGE:\n"
      "   rt list [command options]\n"
      "\n"
      "Where the given root is specified via the global option \"--root\"\n"
      "(default: \"/run/rt\").\n"
      "\n"
      "EXAMPLE 1:\n"
      "To list containers created via the default \"--root\":\n"
      "       # rt list\n"
      "\n"
      "EXAMPLE 2:\n"
      "To list containers created using a non-default value for \"--root\":\n"
      "       # rt --root value list\n"
      "\n"
      "OPTIONS:\n"
      "   --format value, -f value  select one of: table or json (default: \"table\")\n"
      "   --quiet, -q               display only container IDs\n"
      "   --help, -h                show help\n";

static const struct option opts[] = {
  { "format", required_argument, NULL, 'f' },
  { "quiet", no_argument, NULL, 'q' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

struct entry
{
  struct rt_container *c;
  enum rt_status status;
};

static int
name_cmp (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The directory names under the root, sorted; none if the root does not exist. */
static char **
list_ids (size_t *n)
{
  DIR *d = opendir (rt_global.root);
  struct dirent *de;
  char **ids = xcalloc (1, sizeof *ids);

  *n = 0;
  if (d == NULL)
    {
      if (errno != ENOENT)
        rt_log (RT_LOG_WARN, "open \"%s\": %s", rt_global.root, rt_strerror (errno));
      return ids;
    }
  while ((de = readdir (d)) != NULL)
    {
      /* not every directory is a container: a state dir being removed, say */
      if (de->d_type != DT_DIR || !rt_id_valid (de->d_name))
        continue;
      ids = xrealloc (ids, (*n + 2) * sizeof *ids);
      ids[(*n)++] = xstrdup (de->d_name);
      ids[*n] = NULL;
    }
  closedir (d);
  qsort (ids, *n, sizeof *ids, name_cmp);
  return ids;
}

/* The name of UID in /etc/passwd (fgetpwent: rt is static, glibc's NSS is not at hand;
   runc's static build reads the same file), or its number. */
static char *
user_name (uid_t uid)
{
  FILE *f = fopen ("/etc/passwd", "re");
  struct passwd *pw;
  char *name = NULL;

  while (f != NULL && name == NULL && (pw = fgetpwent (f)) != NULL)
    if (pw->pw_uid == uid)
      name = xstrdup (pw->pw_name);
  if (f != NULL)
    fclose (f);
  return name != NULL ? name : xasprintf ("%u", (unsigned) uid);
}

/* runc lists the owner of the state directory by name ("root"), while `state` says "".
   The last name is kept: most containers have the same owner. */
static char *
dir_owner (const struct rt_container *c)
{
  static uid_t last_uid = (uid_t) -1;
  static char *last_name;
  struct stat st;

  if (c->dir == NULL || stat (c->dir, &st) < 0)
    return xstrdup ("");
  if (last_name == NULL || st.st_uid != last_uid)
    {
      free (last_name);
      last_name = user_name (st.st_uid);
      last_uid = st.st_uid;
    }
  return xstrdup (last_name);
}

/* The spec (for the annotations) only for json: the table has no use for it. */
static struct entry *
load_all (bool want_spec, size_t *n_out)
{
  cleanup_strv char **ids = NULL;
  struct entry *e;
  size_t n;

  ids = list_ids (&n);
  e = xcalloc (n + 1, sizeof *e);
  *n_out = 0;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_error rt_error_t err = NULL;
      struct rt_container *c = NULL;

      /* a container half created or half deleted has no state.json: skip it quietly */
      if (rt_state_load (ids[i], &c, &err) < 0)
        {
          if (err->status != ENOENT)
            rt_log (RT_LOG_WARN, "%s", err->msg);
          continue;
        }
      if (want_spec && rt_container_spec (c, &err) < 0)
        rt_log (RT_LOG_DEBUG, "list %s: %s", c->id, err->msg);
      free (c->owner);
      c->owner = dir_owner (c);
      e[*n_out].c = c;
      e[(*n_out)++].status = rt_container_status (c);
    }
  return e;
}

/* Go's text/tabwriter as runc sets it up: every column but the last padded by 3 to at
   least 12. */
static void
print_table (const struct entry *e, size_t n)
{
  enum
  {
    COLS = 6
  };
  char *(*rows)[COLS] = xcalloc (n + 1, sizeof *rows);
  int width[COLS] = { 0 };

  rows[0][0] = xstrdup ("ID");
  rows[0][1] = xstrdup ("PID");
  rows[0][2] = xstrdup ("STATUS");
  rows[0][3] = xstrdup ("BUNDLE");
  rows[0][4] = xstrdup ("CREATED");
  rows[0][5] = xstrdup ("OWNER");
  for (size_t i = 0; i < n; i++)
    {
      rows[i + 1][0] = xstrdup (e[i].c->id);
      rows[i + 1][1] = xasprintf ("%d", e[i].status == RT_STATUS_STOPPED ? 0 : e[i].c->pid);
      rows[i + 1][2] = xstrdup (rt_status_name (e[i].status));
      rows[i + 1][3] = xstrdup (e[i].c->bundle);
      rows[i + 1][4] = xstrdup (e[i].c->created);
      rows[i + 1][5] = xstrdup (e[i].c->owner);
    }
  for (size_t r = 0; r <= n; r++)
    for (int k = 0; k < COLS; k++)
      if ((int) strlen (rows[r][k]) + 3 > width[k])
        width[k] = (int) strlen (rows[r][k]) + 3;
  for (size_t r = 0; r <= n; r++)
    {
      for (int k = 0; k < COLS - 1; k++)
        printf ("%-*s", width[k] < 12 ? 12 : width[k], rows[r][k]);
      printf ("%s\n", rows[r][COLS - 1]);
      for (int k = 0; k < COLS; k++)
        free (rows[r][k]);
    }
  free (rows);
}

/* An array of state objects; "null" when there is none, as runc's encoder prints. */
static void
print_json (struct entry *e, size_t n)
{
  if (n == 0)
    {
      puts ("null");
      return;
    }
  putchar ('[');
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *json = rt_container_state_json (e[i].c, false);
      printf ("%s%s", i ? "," : "", json);
    }
  puts ("]");
}

int
rt_cmd_list (int argc, char **argv)
{
  const char *format = "table";
  bool quiet = false;
  struct entry *e;
  size_t n;
  int opt;

  while ((opt = rt_getopt (argc, argv, usage, "f:qh", opts)) != -1)
    if (opt == 'f')
      format = optarg;
    else /* 'q' */
      quiet = true;
  rt_check_args (argv[0], argc - optind, 0, 0);
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    {
      rt_error_t err = NULL;
      rt_error (&err, 0, "invalid format option \"%s\": table or json", format);
      rt_log_error_exit ("list", NULL, err);
    }
  e = load_all (!quiet && strcmp (format, "json") == 0, &n);
  if (quiet)
    for (size_t i = 0; i < n; i++)
      puts (e[i].c->id);
  else if (strcmp (format, "json") == 0)
    print_json (e, n);
  else
    print_table (e, n);
  for (size_t i = 0; i < n; i++)
    rt_container_free (e[i].c);
  free (e);
  return 0;
}
