/* What rt passes on from the environment it was started in (runc's notify_socket.go and
   its socket activation):

   NOTIFY_SOCKET: the container gets its own datagram socket, <root>/<id>/notify/notify.sock,
   whose directory is bind-mounted read-only at /run/notify with NOTIFY_SOCKET pointing
   there (runc 1.1's layout).  rt binds it for `start` and `run`, forwards what the container
   sends to the host's socket, and adds MAINPID= after READY=1; `start` and `run -d` return
   once the container is ready.

   LISTEN_FDS: fds 3.. pass into the container, whose env says LISTEN_FDS=N, LISTEN_PID=1.

   Both change the config nsinit gets (env, mounts), not the copy in the state dir. */
#define _GNU_SOURCE
#include "session.h"
#include "jsongen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define NOTIFY_DIR "notify"
#define NOTIFY_SOCK "notify.sock"

const char *
rt_notify_host (void)
{
  const char *host = getenv ("NOTIFY_SOCKET");
  return host && *host ? host : NULL;
}

char *
rt_notify_dir (const char *state_dir)
{
  return xasprintf ("%s/" NOTIFY_DIR, state_dir);
}

/* "@name" is an abstract socket, as systemd writes it. */
static int
host_addr (const char *host, struct sockaddr_un *addr, socklen_t *len, rt_error_t *err)
{
  size_t n = strlen (host);

  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (n >= sizeof addr->sun_path)
    return rt_error (err, ENAMETOOLONG, "NOTIFY_SOCKET \"%s\"", host);
  memcpy (addr->sun_path, host, n);
  if (host[0] == '@')
    addr->sun_path[0] = '\0';
  *len = offsetof (struct sockaddr_un, sun_path) + n + (host[0] == '@' ? 0 : 1);
  return 0;
}

/* Bound through /proc/self/fd/N so that a long --root cannot overflow sun_path. */
int
rt_notify_listen (struct rt_notify *n, const char *state_dir, const char *host, pid_t mainpid,
                  rt_error_t *err)
{
  cleanup_free char *dir = rt_notify_dir (state_dir);
  cleanup_close int dirfd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };

  n->sock = n->out = -1;
  n->mainpid = mainpid;
  if (dirfd < 0)
    return rt_error (err, errno, "open \"%s\"", dir);
  if (host_addr (host, &n->host, &n->host_len, err) < 0)
    return -1;
  snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/" NOTIFY_SOCK, dirfd);
  if (unlinkat (dirfd, NOTIFY_SOCK, 0) < 0 && errno != ENOENT)
    return rt_error (err, errno, "remove \"%s/" NOTIFY_SOCK "\"", dir);
  n->sock = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  n->out = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (n->sock < 0 || n->out < 0)
    return rt_error (err, errno, "socket");
  if (bind (n->sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    return rt_error (err, errno, "bind \"%s/" NOTIFY_SOCK "\"", dir);
  /* the container's process may run as any user */
  if (fchmodat (dirfd, NOTIFY_SOCK, 0777, 0) < 0)
    return rt_error (err, errno, "chmod \"%s/" NOTIFY_SOCK "\"", dir);
  return 0;
}

void
rt_notify_close (struct rt_notify *n)
{
  if (n->sock >= 0)
    close (n->sock);
  if (n->out >= 0)
    close (n->out);
  n->sock = n->out = -1;
}

static void
send_host (struct rt_notify *n, const char *buf, size_t len)
{
  if (len > 0
      && sendto (n->out, buf, len, MSG_NOSIGNAL, (struct sockaddr *) &n->host, n->host_len) < 0
      && !n->warned)
    {
      n->warned = true;
      rt_log (RT_LOG_WARN, "forward sd_notify message to NOTIFY_SOCKET: %s", rt_strerror (errno));
    }
}

/* One datagram, line by line: a MAINPID= of the container's would name a pid of its own
   namespace, so rt drops it and says its own after READY=1 (in the same message). */
int
rt_notify_forward (struct rt_notify *n, bool *ready)
{
  char in[4096], out[4096 + 32];
  ssize_t len = recv (n->sock, in, sizeof in, MSG_DONTWAIT);
  size_t o = 0;

  *ready = false;
  if (len < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  for (const char *p = in, *end = in + len; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      size_t l = (nl ? nl : end) - p;

      if (l == 7 && memcmp (p, "READY=1", 7) == 0)
        *ready = true;
      if (l > 0 && !(l >= 8 && memcmp (p, "MAINPID=", 8) == 0))
        {
          memcpy (out + o, p, l);
          o += l;
          out[o++] = '\n';
        }
      p += l + 1;
    }
  if (*ready)
    o += snprintf (out + o, sizeof out - o, "MAINPID=%d\n", n->mainpid);
  send_host (n, out, o);
  return 0;
}

int
rt_notify_wait_ready (struct rt_notify *n, pid_t pid, unsigned long long start_time)
{
  for (;;)
    {
      struct pollfd p = { .fd = n->sock, .events = POLLIN };
      bool ready;
      int r = poll (&p, 1, 100);

      if (r < 0 && errno != EINTR)
        return -1;
      if (r > 0 && rt_notify_forward (n, &ready) == 0 && ready)
        return 0;
      if (proc_start_time (pid) != start_time)
        return 0; /* the container went away without being ready, as runc */
    }
}

/* ---- the config nsinit gets ---- */

static bool
same_key (const char *a, const char *b)
{
  size_t n = strcspn (a, "=");
  return strncmp (a, b, n) == 0 && (b[n] == '=' || b[n] == '\0');
}

/* Each patch entry replaces the variable of the same name (Go's os.Setenv, which runc's
   init uses: the first position, the last value) or is appended. */
static void
gen_env (yajl_gen g, yajl_val env, const struct rt_spec_patch *p)
{
  size_t n = YAJL_IS_ARRAY (env) ? env->u.array.len : 0;
  bool *used = xcalloc (p->n_env + 1, sizeof (bool));

  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      yajl_val e = env->u.array.values[i];
      const char *s = YAJL_GET_STRING (e), *out = s;

      for (size_t j = 0; s && j < p->n_env; j++)
        if (same_key (p->env[j], s))
          {
            out = used[j] ? NULL : p->env[j]; /* a later duplicate goes */
            used[j] = true;
          }
      if (s == NULL)
        rt_json_value (g, e); /* not a string: the strict parser says so */
      else if (out)
        rt_json_str (g, out);
    }
  for (size_t j = 0; j < p->n_env; j++)
    if (!used[j])
      rt_json_str (g, p->env[j]);
  yajl_gen_array_close (g);
  free (used);
}

static void
gen_process (yajl_gen g, yajl_val proc, const struct rt_spec_patch *p)
{
  bool done = false;

  yajl_gen_map_open (g);
  for (size_t i = 0; YAJL_IS_OBJECT (proc) && i < proc->u.object.len; i++)
    {
      rt_json_str (g, proc->u.object.keys[i]);
      if (strcmp (proc->u.object.keys[i], "env") == 0)
        gen_env (g, proc->u.object.values[i], p), done = true;
      else
        rt_json_value (g, proc->u.object.values[i]);
    }
  if (!done)
    {
      rt_json_str (g, "env");
      gen_env (g, NULL, p);
    }
  yajl_gen_map_close (g);
}

static void
gen_mounts (yajl_gen g, yajl_val mounts, const struct rt_spec_patch *p)
{
  static const char *const opts[] = { "bind", "nosuid", "noexec", "nodev", "ro" };

  yajl_gen_array_open (g);
  for (size_t i = 0; YAJL_IS_ARRAY (mounts) && i < mounts->u.array.len; i++)
    rt_json_value (g, mounts->u.array.values[i]);
  yajl_gen_map_open (g);
  rt_json_key_str (g, "destination", p->bind_dest);
  rt_json_key_str (g, "source", p->bind_source);
  rt_json_str (g, "options");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < ARRAY_SIZE (opts); i++)
    rt_json_str (g, opts[i]);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
}

char *
rt_spec_json_patch (yajl_val config, const struct rt_spec_patch *p, size_t *out_len)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  bool mounts_done = false;

  yajl_gen_map_open (g);
  for (size_t i = 0; i < config->u.object.len; i++)
    {
      const char *k = config->u.object.keys[i];
      yajl_val v = config->u.object.values[i];

      rt_json_str (g, k);
      if (strcmp (k, "process") == 0 && p->n_env > 0)
        gen_process (g, v, p);
      else if (strcmp (k, "mounts") == 0 && p->bind_source)
        gen_mounts (g, v, p), mounts_done = true;
      else
        rt_json_value (g, v);
    }
  if (p->bind_source && !mounts_done)
    {
      rt_json_str (g, "mounts");
      gen_mounts (g, NULL, p);
    }
  yajl_gen_map_close (g);
  return rt_json_take (g, out_len);
}

/* sd_listen_fds(3) without unsetting: fds passed to rt itself, 0 when none. */
int
rt_listen_fds (void)
{
  const char *pid = getenv ("LISTEN_PID"), *fds = getenv ("LISTEN_FDS");
  unsigned long p, n;

  if (pid == NULL || fds == NULL || parse_ulong (pid, &p) < 0 || p != (unsigned long) getpid ()
      || parse_ulong (fds, &n) < 0 || n > 1024)
    return 0;
  return (int) n;
}
