#define _GNU_SOURCE
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void
rt_cleanup_freep (void *p)
{
  free (*(void **) p);
}

void
rt_cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

void
rt_cleanup_fclosep (FILE **f)
{
  if (*f != NULL)
    fclose (*f);
}

void
rt_cleanup_strvp (char ***v)
{
  strv_free (*v);
}

static void
oom (void)
{
  static const char msg[] = "rt: out of memory\n";
  if (write (2, msg, sizeof msg - 1) < 0)
    _exit (1);
  _exit (1);
}

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r;
  if (s == NULL)
    return NULL;
  r = strdup (s);
  if (r == NULL)
    oom ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  char *r;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&r, fmt, ap) < 0)
    oom ();
  va_end (ap);
  return r;
}

void
strv_free (char **v)
{
  if (v == NULL)
    return;
  for (char **p = v; *p; p++)
    free (*p);
  free (v);
}

size_t
strv_len (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

int
read_all (int fd, void *buf, size_t len)
{
  char *p = buf;
  while (len > 0)
    {
      ssize_t r = read (fd, p, len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      if (r == 0)
        {
          errno = EIO;
          return -1;
        }
      p += r;
      len -= r;
    }
  return 0;
}

int
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t r = write (fd, p, len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      p += r;
      len -= r;
    }
  return 0;
}

/* write_all for a socket whose peer may be gone (the stub's init pipe): EPIPE, never
   SIGPIPE.  Not a socket (ENOTSOCK): plain writes. */
int
send_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t r = send (fd, p, len, MSG_NOSIGNAL);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0 && errno == ENOTSOCK)
        return write_all (fd, p, len);
      if (r < 0)
        return -1;
      p += r;
      len -= r;
    }
  return 0;
}

int
read_fd_max (int fd, size_t max, char **out, size_t *len, rt_error_t *err)
{
  size_t cap = 4096, n = 0;
  cleanup_free char *buf = xmalloc (cap);

  for (;;)
    {
      ssize_t r;
      if (n + 1 >= cap)
        buf = xrealloc (buf, cap *= 2);
      r = read (fd, buf + n, cap - n - 1);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return rt_error (err, errno, "read");
      if (r == 0)
        break;
      n += r;
      if (n > max)
        return rt_error (err, EFBIG, "more than %zu MiB", max >> 20);
    }
  buf[n] = '\0';
  if (len)
    *len = n;
  *out = take_ptr (&buf);
  return 0;
}

int
read_fd_all (int fd, char **out, size_t *len, rt_error_t *err)
{
  return read_fd_max (fd, SIZE_MAX - 1, out, len, err);
}

int
read_input (const char *path, char **out, size_t *len, rt_error_t *err)
{
  /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below) */
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  struct stat st;

  if (fd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  if (fstat (fd, &st) < 0)
    return rt_error (err, errno, "stat \"%s\"", path);
  if (!S_ISREG (st.st_mode))
    return rt_error (err, 0, "\"%s\" is not a regular file", path);
  if (st.st_size > (off_t) RT_INPUT_MAX)
    return rt_error (err, EFBIG, "\"%s\" has %lld bytes, more than %u MiB", path,
                     (long long) st.st_size, RT_INPUT_MAX >> 20);
  if (read_fd_max (fd, RT_INPUT_MAX, out, len, err) < 0)
    return rt_error_wrap (err, "\"%s\"", path);
  return 0;
}

int
read_file_at (int dirfd, const char *path, char **out, size_t *len, rt_error_t *err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  if (read_fd_all (fd, out, len, err) < 0)
    return rt_error_wrap (err, "\"%s\"", path);
  return 0;
}

int
read_file (const char *path, char **out, size_t *len, rt_error_t *err)
{
  return read_file_at (AT_FDCWD, path, out, len, err);
}

/* DATA into FD, just opened from PATH (-1 with errno when that failed), then closed. */
static int
write_opened (int fd, const char *path, const void *data, size_t len, rt_error_t *err)
{
  cleanup_close int owned = fd;

  if (owned < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  if (write_all (owned, data, len) < 0)
    return rt_error (err, errno, "write \"%s\"", path);
  return 0;
}

int
write_file_at (int dirfd, const char *path, const void *data, size_t len, rt_error_t *err)
{
  return write_opened (openat (dirfd, path, O_WRONLY | O_TRUNC | O_CLOEXEC), path, data, len, err);
}

int
write_file (const char *path, const void *data, size_t len, mode_t mode, rt_error_t *err)
{
  int flags = O_WRONLY | O_TRUNC | O_CLOEXEC | (mode ? O_CREAT : 0);

  return write_opened (open (path, flags, mode), path, data, len, err);
}

/* TMP takes PATH's place, atomically for a reader.  A rename over an existing file makes
   ext4 write the new one out at once (auto_da_alloc: ~0.1 ms here, and blocks that then
   cost a discard when the file is deleted: ~0.2 ms more); exchanging the two names does
   not, and the old file, now at TMP, is unlinked.  When the exchange fails (no PATH yet,
   a filesystem without RENAME_EXCHANGE), a rename.  PATH a directory: put back, and
   EISDIR as rename says. */
static int
replace_file (const char *tmp, const char *path)
{
  int e;

  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) < 0)
    return rename (tmp, path);
  if (unlink (tmp) == 0)
    return 0;
  e = errno;
  renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE);
  errno = e;
  return -1;
}

int
write_file_atomic (const char *path, const void *data, size_t len, mode_t mode, rt_error_t *err)
{
  cleanup_free char *tmp = xasprintf ("%s.tmp-%d", path, getpid ());
  /* a new file of our own: never through a symlink or into a file someone put there */
  cleanup_close int fd
      = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode ? mode : 0600);

  if (fd < 0)
    return rt_error (err, errno, "create \"%s\"", tmp);
  if (write_all (fd, data, len) < 0)
    {
      int e = errno;
      unlink (tmp);
      return rt_error (err, e, "write \"%s\"", tmp);
    }
  if (replace_file (tmp, path) < 0)
    {
      int e = errno;
      unlink (tmp);
      return rt_error (err, e, "rename \"%s\"", path);
    }
  return 0;
}

int
rt_name_lookup (const struct rt_name_value *t, size_t n, const char *name, long *value)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (t[i].name, name) == 0)
      {
        *value = t[i].value;
        return 0;
      }
  return -1;
}

const char *
last_line (char *text)
{
  size_t len = strlen (text);
  char *nl;

  while (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  nl = strrchr (text, '\n');
  return nl != NULL ? nl + 1 : text;
}

char *
path_clean (const char *path)
{
  size_t len = strlen (path);
  char *out = xmalloc (len + 2);
  size_t o = 0;
  const char *p = path;

  while (*p)
    {
      const char *end;
      size_t n;

      while (*p == '/')
        p++;
      end = strchrnul (p, '/');
      n = end - p;
      if (n == 0 || (n == 1 && p[0] == '.'))
        ;
      else if (n == 2 && p[0] == '.' && p[1] == '.')
        {
          while (o > 0 && out[o - 1] != '/')
            o--;
          if (o > 0)
            o--; /* drop the '/' too; at the root ".." stays at the root */
        }
      else
        {
          out[o++] = '/';
          memcpy (out + o, p, n);
          o += n;
        }
      p = end;
    }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return out;
}

int
mkdir_p (const char *path, mode_t mode, rt_error_t *err)
{
  cleanup_free char *p = xstrdup (path);
  for (char *s = p + 1; *s; s++)
    {
      if (*s != '/')
        continue;
      *s = '\0';
      if (mkdir (p, mode) < 0 && errno != EEXIST)
        return rt_error (err, errno, "mkdir \"%s\"", p);
      *s = '/';
    }
  if (mkdir (p, mode) < 0 && errno != EEXIST)
    return rt_error (err, errno, "mkdir \"%s\"", p);
  return 0;
}

static int
rm_rf_at (int dir, const char *name, dev_t dev)
{
  struct stat st;
  int fd;
  DIR *d;
  struct dirent *de;

  if (fstatat (dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR (st.st_mode))
    return unlinkat (dir, name, 0);
  if (st.st_dev != dev)
    {
      errno = EXDEV;
      return -1;
    }
  fd = openat (dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return -1;
    }
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      rm_rf_at (dirfd (d), de->d_name, dev);
    }
  closedir (d);
  return unlinkat (dir, name, AT_REMOVEDIR);
}

int
rm_rf (const char *path)
{
  struct stat st;
  if (lstat (path, &st) < 0)
    return errno == ENOENT ? 0 : -1;
  return rm_rf_at (AT_FDCWD, path, st.st_dev);
}

int
parse_ulong (const char *s, unsigned long *out)
{
  char *end;
  if (s == NULL || *s == '\0' || !isdigit ((unsigned char) *s))
    return -1;
  errno = 0;
  *out = strtoul (s, &end, 10);
  return (errno || *end) ? -1 : 0;
}

/* A uid or gid given on the command line: 0 if it is one, -ERANGE if it is a number
   outside 0..RT_ID_MAX (runc refuses -1 and the like with its range message), -EINVAL
   if it is no number. */
int
parse_user_id (const char *s, uint32_t *out)
{
  unsigned long n;
  const char *digits = (s && *s == '-') ? s + 1 : s;

  if (parse_ulong (digits, &n) < 0)
    return (digits && *digits && digits[strspn (digits, "0123456789")] == '\0') ? -ERANGE : -EINVAL;
  if (digits != s || n > 2147483647ul)
    return -ERANGE;
  *out = (uint32_t) n;
  return 0;
}

int
parse_long (const char *s, long *out)
{
  char *end;
  if (s == NULL || *s == '\0')
    return -1;
  errno = 0;
  *out = strtol (s, &end, 10);
  return (errno || *end || end == s) ? -1 : 0;
}

static const struct
{
  const char *name;
  int sig;
} signals[] = {
  { "HUP", SIGHUP },       { "INT", SIGINT },   { "QUIT", SIGQUIT },     { "ILL", SIGILL },
  { "TRAP", SIGTRAP },     { "ABRT", SIGABRT }, { "IOT", SIGIOT },       { "BUS", SIGBUS },
  { "FPE", SIGFPE },       { "KILL", SIGKILL }, { "USR1", SIGUSR1 },     { "SEGV", SIGSEGV },
  { "USR2", SIGUSR2 },     { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },     { "TERM", SIGTERM },
  { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },     { "STOP", SIGSTOP },
  { "TSTP", SIGTSTP },     { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },     { "URG", SIGURG },
  { "XCPU", SIGXCPU },     { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
  { "WINCH", SIGWINCH },   { "IO", SIGIO },     { "POLL", SIGPOLL },     { "PWR", SIGPWR },
  { "SYS", SIGSYS },
};

int
signal_parse (const char *s)
{
  unsigned long n;
  if (s == NULL)
    return -1;
  if (parse_ulong (s, &n) == 0)
    return (n > 0 && n < (unsigned long) NSIG) ? (int) n : -1;
  if (strncasecmp (s, "SIG", 3) == 0)
    s += 3;
  for (size_t i = 0; i < ARRAY_SIZE (signals); i++)
    if (strcasecmp (s, signals[i].name) == 0)
      return signals[i].sig;
  if (strncasecmp (s, "RTMIN", 5) == 0 || strncasecmp (s, "RTMAX", 5) == 0)
    {
      long off = 0;
      const char *rest = s + 5;
      if (*rest && parse_long (rest, &off) < 0)
        return -1;
      int sig = (strncasecmp (s, "RTMIN", 5) == 0 ? SIGRTMIN : SIGRTMAX) + (int) off;
      return (sig >= SIGRTMIN && sig <= SIGRTMAX) ? sig : -1;
    }
  return -1;
}

const char *
signal_name (int sig)
{
  for (size_t i = 0; i < ARRAY_SIZE (signals); i++)
    if (signals[i].sig == sig)
      return signals[i].name;
  return NULL;
}

int
proc_stat (pid_t pid, char *state, unsigned long long *start_time)
{
  char path[64], buf[1024];
  cleanup_close int fd = -1;
  ssize_t n;
  char *p;

  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  /* the command name may hold anything, ")" included: the fields start after the last */
  p = strrchr (buf, ')');
  if (p == NULL || p[1] != ' ')
    return -1;
  p += 2;
  if (state)
    *state = *p;
  /* p is at field 3 (state); the start time is field 22 */
  for (int field = 3; field < 22 && p; field++)
    {
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  if (p == NULL || sscanf (p, "%llu", start_time) != 1)
    return -1;
  return 0;
}

unsigned long long
proc_start_time (pid_t pid)
{
  unsigned long long start = 0;
  return proc_stat (pid, NULL, &start) == 0 ? start : 0;
}

/* Go's exec.findExecutable: 0, or -1 with errno from stat, or 1 (Go's fs.ErrPermission)
   for a directory or a file without any execute bit. */
static int
check_executable (const char *path)
{
  struct stat st;
  if (stat (path, &st) < 0)
    return -1;
  return !S_ISDIR (st.st_mode) && (st.st_mode & 0111) ? 0 : 1;
}

int
rt_lookpath (const char *name, const char *path_env, char **out, rt_error_t *err)
{
  cleanup_free char *copy = NULL;
  char *dir, *rest;

  if (strchr (name, '/'))
    {
      int r = check_executable (name);
      /* runc's words (exec.LookPath's), which docker maps to exit codes 127 and 126 */
      if (r < 0)
        return rt_error (err, errno, "exec: \"%s\": stat %s", name, name);
      if (r > 0)
        return rt_error (err, 0, "exec: \"%s\": permission denied", name);
      *out = xstrdup (name);
      return 0;
    }
  copy = xstrdup (path_env ? path_env : RT_DEFAULT_PATH);
  for (rest = copy; (dir = strsep (&rest, ":")) != NULL;)
    {
      cleanup_free char *full = xasprintf ("%s/%s", dir[0] ? dir : ".", name);
      if (check_executable (full) == 0)
        {
          *out = take_ptr (&full);
          return 0;
        }
    }
  return rt_error (err, 0, "exec: \"%s\": executable file not found in $PATH", name);
}
