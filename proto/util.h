/* Small helpers shared by rt and nsinit: cleanup attributes (defer), full reads and
   writes, and file helpers.  Everything here is async-signal-agnostic plain libc. */
#ifndef RT_UTIL_H
#define RT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

void rt_cleanup_freep (void *p);
void rt_cleanup_closep (int *fd);
void rt_cleanup_fclosep (FILE **f);
void rt_cleanup_strvp (char ***v);

#define cleanup_free __attribute__ ((cleanup (rt_cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (rt_cleanup_closep)))
#define cleanup_fclose __attribute__ ((cleanup (rt_cleanup_fclosep)))
#define cleanup_strv __attribute__ ((cleanup (rt_cleanup_strvp)))

/* Hand ownership of *FD to the caller: returns it and leaves -1 behind. */
static inline int
take_fd (int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

static inline void *
take_ptr (void *pp)
{
  void **p = pp;
  void *r = *p;
  *p = NULL;
  return r;
}

#define ARRAY_SIZE(a) (sizeof (a) / sizeof ((a)[0]))

void *xmalloc (size_t n);
void *xcalloc (size_t n, size_t size);
void *xrealloc (void *p, size_t n);
char *xstrdup (const char *s);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void strv_free (char **v);
size_t strv_len (char *const *v);

/* Read or write exactly LEN bytes, retrying on EINTR.  Return 0, or -1 with errno
   (EPIPE/ENODATA-like short I/O is reported as errno EIO for reads at EOF). */
int read_all (int fd, void *buf, size_t len);
int write_all (int fd, const void *buf, size_t len);
int send_all (int fd, const void *buf, size_t len);

/* Read a whole fd or file into a NUL-terminated buffer. */
int read_fd_all (int fd, char **out, size_t *len, rt_error_t *err);
int read_fd_max (int fd, size_t max, char **out, size_t *len, rt_error_t *err);
/* What a user hands rt (config.json, exec --process, update -r): a regular file of at most
   RT_INPUT_MAX bytes (README), so that /dev/zero, a FIFO or a huge file is one error. */
#define RT_INPUT_MAX (16u << 20)
int read_input (const char *path, char **out, size_t *len, rt_error_t *err);
int read_file (const char *path, char **out, size_t *len, rt_error_t *err);
int read_file_at (int dirfd, const char *path, char **out, size_t *len, rt_error_t *err);

/* Write DATA to PATH (O_WRONLY|O_TRUNC, no O_CREAT unless MODE != 0). */
int write_file (const char *path, const void *data, size_t len, mode_t mode, rt_error_t *err);
int write_file_at (int dirfd, const char *path, const void *data, size_t len, rt_error_t *err);
/* Write to a new temporary file in the same directory (O_EXCL|O_NOFOLLOW) that takes
   PATH's place atomically, fsync-free (replace_file in util.c). */
int write_file_atomic (const char *path, const void *data, size_t len, mode_t mode,
                       rt_error_t *err);

int mkdir_p (const char *path, mode_t mode, rt_error_t *err);

/* Lexical cleaning, Go's filepath.Clean for an absolute path: "/a/b" from any path, no
   empty, "." or ".." components, ".." stops at the root (so "../../x" stays below it),
   "/" for the root.  Touches no file.  Malloc'ed. */
char *path_clean (const char *path);

/* The last line of TEXT, its trailing newlines dropped (TEXT is modified): the reason a
   tool such as criu or the BPF verifier gives after its other output. */
const char *last_line (char *text);

/* Remove a directory tree (no symlink following, stays on one file system). */
int rm_rf (const char *path);

/* A name of the spec and the kernel's number for it (seccomp operators, scheduler
   policies, propagation flags, ...): tables of these are searched by name. */
struct rt_name_value
{
  const char *name;
  long value;
};
/* The value of NAME in T (N entries) in *VALUE: 0, or -1 when T does not have it. */
int rt_name_lookup (const struct rt_name_value *t, size_t n, const char *name, long *value);

/* Parse an unsigned or signed decimal integer; the whole string must be consumed. */
int parse_ulong (const char *s, unsigned long *out);
int parse_long (const char *s, long *out);
int parse_user_id (const char *s, uint32_t *out);

/* Signal by name ("KILL", "SIGKILL", "kill") or number; -1 if unknown. */
int signal_parse (const char *s);
const char *signal_name (int sig);

/* State letter (field 3) and start time (field 22) of /proc/PID/stat in one read;
   -1 when the process is gone.  proc_start_time: 0 when gone. */
int proc_stat (pid_t pid, char *state, unsigned long long *start_time);
unsigned long long proc_start_time (pid_t pid);

/* Go's exec.LookPath in runc's words (`exec: "X": executable file not found in $PATH`, which
   docker maps to exit codes 127 and 126): NAME with a slash as it is, else searched in
   PATH_ENV (RT_DEFAULT_PATH if NULL).  *OUT gets the path to execute. */
#define RT_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
int rt_lookpath (const char *name, const char *path_env, char **out, rt_error_t *err);

#endif
