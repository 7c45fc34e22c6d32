/* rt error convention (after crun's libcrun_error_t): a fallible function returns
   int < 0 and fills *err; callers add context with rt_error_wrap(); main prints once. */
#ifndef RT_ERROR_H
#define RT_ERROR_H

#include <stdarg.h>

typedef struct rt_error_s
{
  int status; /* errno of the first failure, 0 if none */
  char *msg;
} rt_error_s, *rt_error_t;

/* strerror() as Go prints it (runc's words): "no such file or directory". */
const char *rt_strerror (int errnum);

/* Create an error "FMT: rt_strerror(ERRNUM)" (or just FMT when ERRNUM is 0).  Returns -1. */
int rt_error (rt_error_t *err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
int rt_verror (rt_error_t *err, int errnum, const char *fmt, va_list ap);

/* Prefix the message of *ERR with "FMT: ".  Returns -1. */
int rt_error_wrap (rt_error_t *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

void rt_error_free (rt_error_t *err);

/* S with control characters escaped (\n, \t, \r, \xNN), for printing a message that may
   hold ids, paths or arguments from the user: one line, nothing a terminal acts on.
   malloc'd; NULL when out of memory. */
char *rt_escape_controls (const char *s);

/* Writes C at P, escaped as rt_escape_controls does (at most 4 bytes); returns the end. */
char *rt_escape_control_char (char *p, unsigned char c);

#define cleanup_error __attribute__ ((cleanup (rt_error_free)))

/* The one way to ignore an error, where a failure changes nothing for the caller (a
   probe, a best-effort undo): a variable of the narrowest block, freed when it ends,
       cleanup_error rt_error_t ignored = NULL;
       if (probe (&ignored) < 0) ...
   One such variable serves several calls: rt_error() frees what it held.  Never pass
   NULL for ERR.  A caller's error that a function handled after the failure (ENOENT:
   gone already) is freed in place, rt_error_free (err), with a comment saying why. */

#endif
