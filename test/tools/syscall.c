/* rt-syscall: make one system call and say what the kernel answered, for seccomp tests
   that run inside a busybox container (so it is linked statically).

     rt-syscall NAME|NUMBER [ARG...]

   ARG is a number (decimal, 0x hex, or negative) or s:TEXT for a pointer to TEXT; missing
   arguments are 0.  Prints "ret=N" on success or "errno=N NAME" on failure, exit 0 or 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
parse_arg (const char *s, long *out)
{
  char *end;

  if (strncmp (s, "s:", 2) == 0)
    {
      *out = (long) (s + 2);
      return 0;
    }
  errno = 0;
  if (s[0] == '-')
    *out = strtol (s, &end, 0);
  else
    *out = (long) strtoul (s, &end, 0);
  return errno || end == s || *end ? -1 : 0;
}

int
main (int argc, char **argv)
{
  long nr, a[6] = { 0 }, ret;
  const char *ename;

  if (argc < 2 || argc > 8)
    {
      fputs ("usage: rt-syscall NAME|NUMBER [ARG...] (at most 6)\n", stderr);
      return 2;
    }
  if (parse_arg (argv[1], &nr) < 0)
    {
      nr = seccomp_syscall_resolve_name (argv[1]);
      if (nr == __NR_SCMP_ERROR || nr < 0)
        {
          fprintf (stderr, "rt-syscall: unknown syscall %s\n", argv[1]);
          return 2;
        }
    }
  for (int i = 2; i < argc; i++)
    if (parse_arg (argv[i], &a[i - 2]) < 0)
      {
        fprintf (stderr, "rt-syscall: bad argument %s\n", argv[i]);
        return 2;
      }
  ret = syscall (nr, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (ret == -1)
    {
      int e = errno;
      ename = strerrorname_np (e);
      printf ("errno=%d %s\n", e, ename ? ename : "?");
      return 1;
    }
  printf ("ret=%ld\n", ret);
  return 0;
}
