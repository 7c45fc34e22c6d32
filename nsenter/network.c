/* A new network namespace starts with lo down; runc brings it up so that 127.0.0.1
   works in the container (its loopback strategy).  Other interfaces are the business of
   whoever made the namespace (CNI, netavark). */
#define _GNU_SOURCE
#include "init.h"
#include "util.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static bool
new_network_namespace (const struct rt_spec *spec)
{
  const struct rt_namespace *ns = rt_linux_namespace (&spec->linux_, CLONE_NEWNET);

  return ns != NULL && ns->path == NULL;
}

int
network_loopback_up (const struct rt_spec *spec, rt_error_t *err)
{
  struct ifreq ifr = { 0 };
  cleanup_close int fd = -1;

  if (!new_network_namespace (spec))
    return 0;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return rt_error (err, errno, "socket for lo");
  strcpy (ifr.ifr_name, "lo");
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return rt_error (err, errno, "get the flags of lo");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    return rt_error (err, errno, "bring lo up");
  return 0;
}
