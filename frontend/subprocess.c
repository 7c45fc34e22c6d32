/* Running a helper program of the host (ps, criu) and collecting what it prints. */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* ARGV[0] (searched in PATH) with stdout and stderr together, like Go's CombinedOutput:
 *OUT gets what it printed; a non-zero exit is an error "exit status N: OUTPUT". */
int
rt_combined_output (char *const argv[], char **out, rt_error_t *err)
{
  int p[2], status;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return rt_error (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (p[0]);
      close (p[1]);
      return rt_error (err, errno, "fork");
    }
  if (pid == 0)
    {
      dup2 (p[1], 1);
      dup2 (p[1], 2);
      execvp (argv[0], argv);
      dprintf (2, "exec: \"%s\": %s\n", argv[0], rt_strerror (errno));
      _exit (127);
    }
  close (p[1]);
  if (read_fd_all (p[0], out, NULL, err) < 0)
    {
      close (p[0]);
      waitpid (pid, NULL, 0);
      return -1;
    }
  close (p[0]);
  if (waitpid (pid, &status, 0) < 0)
    return rt_error (err, errno, "wait for %s", argv[0]);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return rt_error (err, 0, "exit status %d: %s",
                     WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status), *out);
  return 0;
}
