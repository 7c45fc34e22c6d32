/* linux.netDevices (config-linux.md "Network Devices"): host interfaces moved into the
   container's network namespace with rtnetlink, renamed, their permanent global addresses
   carried over (a move drops them) and set up.  Nothing moves them back: the spec says the
   runtime MUST NOT, the kernel returns physical devices when the namespace dies. */
#define _GNU_SOURCE
#include "linux_fields.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NL_BUF 32768

struct nlreq
{
  struct nlmsghdr h;
  union
  {
    struct ifinfomsg ifi;
    struct ifaddrmsg ifa;
  };
  char attrs[512];
};

/* Addresses kept from before the move: each RTM_NEWADDR message as the kernel dumped it. */
struct saved_addrs
{
  char **msgs;
  size_t n;
};

static void
saved_addrs_free (struct saved_addrs *a)
{
  for (size_t i = 0; i < a->n; i++)
    free (a->msgs[i]);
  free (a->msgs);
}
#define cleanup_saved_addrs __attribute__ ((cleanup (saved_addrs_free)))

static bool
name_ok (const char *s)
{
  size_t n = strlen (s);
  return n > 0 && n < IFNAMSIZ && strcmp (s, ".") != 0 && strcmp (s, "..") != 0
         && strpbrk (s, "/: \t\n") == NULL;
}

int
rt_netdev_check (const struct rt_spec *spec, rt_error_t *err)
{
  const struct rt_linux *l = &spec->linux_;

  if (l->n_net_devices == 0)
    return 0;
  if (rt_linux_namespace (l, CLONE_NEWNET) == NULL)
    return rt_error (err, 0, "linux.netDevices: requires a network namespace");
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      const struct rt_net_device *d = &l->net_devices[i];
      const char *name = d->name && *d->name ? d->name : d->host_name;

      if (!name_ok (d->host_name) || !name_ok (name))
        return rt_error (err, 0, "linux.netDevices[\"%s\"]: invalid interface name \"%s\"",
                         d->host_name, name_ok (d->host_name) ? name : d->host_name);
      if (if_nametoindex (d->host_name) == 0)
        return rt_error (err, errno, "linux.netDevices: host interface \"%s\"", d->host_name);
    }
  return 0;
}

static void
add_attr (struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
  struct rtattr *rta = (struct rtattr *) ((char *) h + NLMSG_ALIGN (h->nlmsg_len));

  rta->rta_type = type;
  rta->rta_len = RTA_LENGTH (len);
  memcpy (RTA_DATA (rta), data, len);
  h->nlmsg_len = NLMSG_ALIGN (h->nlmsg_len) + RTA_ALIGN (rta->rta_len);
}

/* Send H and wait for the kernel's ack; -1 with errno from the kernel's answer. */
static int
nl_call (int sock, struct nlmsghdr *h)
{
  char buf[4096];
  ssize_t n;

  h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  if (send (sock, h, h->nlmsg_len, 0) < 0)
    return -1;
  n = recv (sock, buf, sizeof buf, 0);
  if (n < 0)
    return -1;
  for (struct nlmsghdr *r = (struct nlmsghdr *) buf; NLMSG_OK (r, (size_t) n);
       r = NLMSG_NEXT (r, n))
    if (r->nlmsg_type == NLMSG_ERROR)
      {
        int e = ((struct nlmsgerr *) NLMSG_DATA (r))->error;
        errno = -e;
        return e == 0 ? 0 : -1;
      }
  errno = EPROTO;
  return -1;
}

static int
nl_socket (void)
{
  return socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* A permanent address of global scope (the spec's IFA_F_PERMANENT, RT_SCOPE_UNIVERSE). */
static bool
keep_addr (struct nlmsghdr *r, int ifindex)
{
  struct ifaddrmsg *ifa = NLMSG_DATA (r);
  unsigned flags = ifa->ifa_flags;
  int len = IFA_PAYLOAD (r);

  if ((int) ifa->ifa_index != ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
    return false;
  for (struct rtattr *a = IFA_RTA (ifa); RTA_OK (a, len); a = RTA_NEXT (a, len))
    if (a->rta_type == IFA_FLAGS)
      memcpy (&flags, RTA_DATA (a), sizeof flags);
  return flags & IFA_F_PERMANENT;
}

static int
save_addrs (int sock, int ifindex, struct saved_addrs *out, rt_error_t *err)
{
  struct nlreq req = { .h = { .nlmsg_len = NLMSG_LENGTH (sizeof (struct ifaddrmsg)),
                              .nlmsg_type = RTM_GETADDR,
                              .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP } };
  cleanup_free char *buf = xmalloc (NL_BUF);

  if (send (sock, &req, req.h.nlmsg_len, 0) < 0)
    return rt_error (err, errno, "netlink: list addresses");
  for (;;)
    {
      ssize_t n = recv (sock, buf, NL_BUF, 0);
      if (n < 0)
        return rt_error (err, errno, "netlink: list addresses");
      for (struct nlmsghdr *r = (struct nlmsghdr *) buf; NLMSG_OK (r, (size_t) n);
           r = NLMSG_NEXT (r, n))
        {
          if (r->nlmsg_type == NLMSG_DONE)
            return 0;
          if (r->nlmsg_type == NLMSG_ERROR)
            return rt_error (err, -((struct nlmsgerr *) NLMSG_DATA (r))->error,
                             "netlink: list addresses");
          if (r->nlmsg_type != RTM_NEWADDR || !keep_addr (r, ifindex))
            continue;
          out->msgs = xrealloc (out->msgs, (out->n + 1) * sizeof (char *));
          out->msgs[out->n] = xmalloc (r->nlmsg_len);
          memcpy (out->msgs[out->n++], r, r->nlmsg_len);
        }
    }
}

/* A netlink socket in the network namespace NETNS (sockets stay in the namespace they
   were made in). */
static int
socket_in (int netns, rt_error_t *err)
{
  cleanup_close int self = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int sock, e;

  if (self < 0)
    return rt_error (err, errno, "open /proc/self/ns/net");
  if (setns (netns, CLONE_NEWNET) < 0)
    return rt_error (err, errno, "enter the container's network namespace");
  sock = nl_socket ();
  e = errno;
  if (setns (self, CLONE_NEWNET) < 0)
    {
      /* rt would go on in the container's namespace: never */
      perror ("rt: return to the host network namespace");
      _exit (1);
    }
  if (sock < 0)
    return rt_error (err, e, "netlink socket in the container's network namespace");
  return sock;
}

static int
move_link (int sock, int ifindex, int netns, const char *name)
{
  struct nlreq req
      = { .h = { .nlmsg_len = NLMSG_LENGTH (sizeof (struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK },
          .ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex } };

  add_attr (&req.h, IFLA_NET_NS_FD, &netns, sizeof netns);
  if (name)
    add_attr (&req.h, IFLA_IFNAME, name, strlen (name) + 1);
  return nl_call (sock, &req.h);
}

static int
link_up (int sock, int ifindex)
{
  struct nlreq req = {
    .h = { .nlmsg_len = NLMSG_LENGTH (sizeof (struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK },
    .ifi
    = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = IFF_UP, .ifi_change = IFF_UP }
  };
  return nl_call (sock, &req.h);
}

/* The index the device got in the container (the kernel keeps it unless it is taken). */
static int
index_in (int sock, const char *name, int old)
{
  struct nlreq req = { .h = { .nlmsg_len = NLMSG_LENGTH (sizeof (struct ifinfomsg)),
                              .nlmsg_type = RTM_GETLINK,
                              .nlmsg_flags = NLM_F_REQUEST },
                       .ifi = { .ifi_family = AF_UNSPEC } };
  char buf[8192];
  ssize_t n;

  if (strchr (name, '%'))
    return old; /* a template: the kernel chose the name */
  add_attr (&req.h, IFLA_IFNAME, name, strlen (name) + 1);
  if (send (sock, &req, req.h.nlmsg_len, 0) < 0 || (n = recv (sock, buf, sizeof buf, 0)) < 0)
    return old;
  for (struct nlmsghdr *r = (struct nlmsghdr *) buf; NLMSG_OK (r, (size_t) n);
       r = NLMSG_NEXT (r, n))
    if (r->nlmsg_type == RTM_NEWLINK)
      return ((struct ifinfomsg *) NLMSG_DATA (r))->ifi_index;
  return old;
}

static int
restore_addrs (int sock, int ifindex, const struct saved_addrs *a, const char *name,
               rt_error_t *err)
{
  for (size_t i = 0; i < a->n; i++)
    {
      struct nlmsghdr *h = (struct nlmsghdr *) a->msgs[i];

      h->nlmsg_type = RTM_NEWADDR;
      h->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
      h->nlmsg_seq = 0;
      h->nlmsg_pid = 0;
      ((struct ifaddrmsg *) NLMSG_DATA (h))->ifa_index = (unsigned) ifindex;
      if (nl_call (sock, h) < 0)
        return rt_error (err, errno, "linux.netDevices: add an address to \"%s\"", name);
    }
  return 0;
}

static int
move_one (int host, int inner, int netns, const struct rt_net_device *d, rt_error_t *err)
{
  const char *name = d->name && *d->name ? d->name : d->host_name;
  cleanup_saved_addrs struct saved_addrs addrs = { 0 };
  int ifindex = (int) if_nametoindex (d->host_name);

  if (ifindex == 0)
    return rt_error (err, errno, "linux.netDevices: host interface \"%s\"", d->host_name);
  if (save_addrs (host, ifindex, &addrs, err) < 0)
    return -1;
  if (move_link (host, ifindex, netns, d->name && *d->name ? d->name : NULL) < 0)
    return rt_error (err, errno, "linux.netDevices: move \"%s\" into the container as \"%s\"",
                     d->host_name, name);
  ifindex = index_in (inner, name, ifindex);
  if (restore_addrs (inner, ifindex, &addrs, name, err) < 0)
    return -1;
  if (link_up (inner, ifindex) < 0)
    return rt_error (err, errno, "linux.netDevices: set \"%s\" up", name);
  return 0;
}

int
rt_netdev_move (const struct rt_spec *spec, pid_t pid, rt_error_t *err)
{
  const struct rt_linux *l = &spec->linux_;
  cleanup_close int netns = -1, host = -1, inner = -1;
  char path[64];

  if (l->n_net_devices == 0)
    return 0;
  snprintf (path, sizeof path, "/proc/%d/ns/net", pid);
  netns = open (path, O_RDONLY | O_CLOEXEC);
  if (netns < 0)
    return rt_error (err, errno, "open %s", path);
  host = nl_socket ();
  if (host < 0)
    return rt_error (err, errno, "netlink socket");
  inner = socket_in (netns, err);
  if (inner < 0)
    return -1;
  for (size_t i = 0; i < l->n_net_devices; i++)
    if (move_one (host, inner, netns, &l->net_devices[i], err) < 0)
      return -1;
  return 0;
}
