/* SCMP_ACT_NOTIFY on the host side (runc's sendContainerProcessState): the init loads the
   filter and passes the listener fd up the init socket; rt connects to listenerPath, which
   is a host path the container cannot see, and sends the container process state as JSON
   with the fd as SCM_RIGHTS in the first sendmsg, then closes the connection. */
#define _GNU_SOURCE
#include "seccomp_notify.h"
#include "fdpass.h"
#include "jsongen.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

static int
recv_fd (int sock, rt_error_t *err)
{
  char byte;
  int fd = -1;
  size_t n_fds;
  ssize_t n = rt_recvmsg_fds (sock, &byte, 1, &fd, 1, &n_fds);

  if (n < 0)
    return rt_error (err, errno, "receive the seccomp listener fd");
  if (n != 1 || n_fds != 1)
    {
      if (n_fds > 0)
        close (fd);
      return rt_error (err, 0, "the init sent no seccomp listener fd");
    }
  return fd;
}

/* {"ociVersion":..,"fds":["seccompFd"],"pid":N,"metadata":..,"state":{...}} */
static char *
process_state_json (const struct rt_seccomp *sc, const struct rt_container *c, pid_t pid)
{
  yajl_gen g = yajl_gen_alloc (NULL);

  yajl_gen_map_open (g);
  rt_json_str (g, "ociVersion");
  rt_json_str (g, RT_SPEC_VERSION);
  rt_json_str (g, "fds");
  yajl_gen_array_open (g);
  rt_json_str (g, "seccompFd");
  yajl_gen_array_close (g);
  rt_json_str (g, "pid");
  yajl_gen_integer (g, pid);
  if (sc->listener_metadata)
    {
      rt_json_str (g, "metadata");
      rt_json_str (g, sc->listener_metadata);
    }
  rt_json_str (g, "state");
  rt_container_state_gen (g, c);
  yajl_gen_map_close (g);
  return rt_json_take (g, NULL);
}

static int
send_state (const char *path, const char *json, int fd, rt_error_t *err)
{
  size_t len = strlen (json);
  cleanup_close int sock = rt_unix_connect (path);
  ssize_t n;

  if (sock < 0)
    return rt_error (err, errno,
                     "failed to connect with seccomp agent specified in the seccomp profile: "
                     "dial unix %s: connect",
                     path);
  n = rt_sendmsg_fds (sock, json, len, &fd, 1);
  /* the spec allows more sendmsg calls, the fds only in the first */
  if (n < 0 || send_all (sock, json + n, len - (size_t) n) < 0)
    return rt_error (err, errno, "send the container state to the seccomp listener \"%s\"", path);
  return 0;
}

int
rt_seccomp_notify (struct rt_session *s, const struct rt_container *c, pid_t pid, rt_error_t *err)
{
  const struct rt_seccomp *sc = c->spec->linux_.seccomp;
  cleanup_free char *json = NULL;
  cleanup_close int fd = -1;

  if (sc == NULL || sc->listener_path == NULL)
    return rt_error (err, 0, "the init sent a seccomp listener fd but there is no listenerPath");
  fd = recv_fd (s->sock, err);
  if (fd < 0)
    return -1;
  json = process_state_json (sc, c, pid);
  if (send_state (sc->listener_path, json, fd, err) < 0)
    return -1;
  if (rt_msg_send (s->sock, RT_MSG_SECCOMP_DONE, 0, NULL, 0) < 0)
    return rt_error (err, errno, "tell the init the seccomp listener is served");
  return 0;
}
