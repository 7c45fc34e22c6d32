/* The container's init by pidfd: taken once its identity (pid and start time) is checked,
   so a signal or a namespace lookup reaches that process or fails, never a process that
   got its pid after it died. */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/pidfd.h of 6.11 (the build host's headers may be older) */
#define RT_PIDFS_IOCTL_MAGIC 0xFF

int
rt_container_pidfd (const struct rt_container *c, int *out, rt_error_t *err)
{
  cleanup_close int fd = -1;

  if (c->pid <= 0)
    return rt_error (err, ESRCH, "container \"%s\" has no init", c->id);
  fd = pidfd_open (c->pid, 0);
  /* the pidfd names whoever has the pid now: it is the init if the start time matches
     after it was taken */
  if ((fd < 0 && errno == ESRCH) || (fd >= 0 && proc_start_time (c->pid) != c->start_time))
    return rt_error (err, ESRCH, "container not running");
  if (fd < 0)
    return rt_error (err, errno, "pidfd_open %d", c->pid);
  *out = take_fd (&fd);
  return 0;
}

int
rt_pidfd_signal (int pidfd, int sig, rt_error_t *err)
{
  if (pidfd_send_signal (pidfd, sig, NULL, 0) < 0)
    return rt_error (err, errno, "signal the container's init");
  return 0;
}

/* PIDFD_GET_<X>_NAMESPACE for a CLONE_NEW* flag (the process's own, as /proc/PID/ns/X). */
static int
ns_ioctl (int type)
{
  switch (type)
    {
      case CLONE_NEWCGROUP:
        return 1;
      case CLONE_NEWIPC:
        return 2;
      case CLONE_NEWNS:
        return 3;
      case CLONE_NEWNET:
        return 4;
      case CLONE_NEWPID:
        return 5;
      case CLONE_NEWUSER:
        return 9;
      case CLONE_NEWUTS:
        return 10;
      default: /* CLONE_NEWTIME (0x80) */
        return 7;
    }
}

int
rt_pidfd_ns (int pidfd, pid_t pid, int type, rt_error_t *err)
{
  char path[64];
  int fd = ioctl (pidfd, _IO (RT_PIDFS_IOCTL_MAGIC, ns_ioctl (type)), 0);

  if (fd >= 0)
    return fd;
  if (errno == ESRCH)
    return rt_error (err, ESRCH, "container not running");
  /* before 6.11: /proc/PID/ns, and the pidfd says whether PID was still ours then */
  snprintf (path, sizeof path, "/proc/%d/ns/%s", pid, rt_namespace_proc_name (type));
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_error (err, errno, "open \"%s\"", path);
  if (pidfd_send_signal (pidfd, 0, NULL, 0) < 0)
    {
      close (fd);
      return rt_error (err, ESRCH, "container not running");
    }
  return fd;
}
