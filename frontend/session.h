/* One conversation with nsinit (session.c): launch it, place it in a cgroup, send the
   bootstrap message, learn the pids, then exchange init-protocol frames while
   forwarding the stub's log lines.  create and exec each drive their own serve loop. */
#ifndef RT_SESSION_H
#define RT_SESSION_H

#include "initconfig.h"
#include "rt.h"
#include "sync.h"

#include <sys/socket.h>
#include <sys/un.h>

struct rt_session
{
  int sock;  /* rt's end of the init socket */
  int logfd; /* read end of the log pipe */
  pid_t stage0, stage1;
  pid_t pid;        /* the init (stage 2): the container's init, or the exec'd process */
  char *stub_error; /* the stub's last fatal log line: the error to print */
  bool no_cgroup;   /* rootless, the cgroup was not delegated: none was made */
  char logbuf[8192];
  size_t loglen;
};

struct rt_session_opts
{
  const char *inittype; /* "standard" or "setns" */
  const void *blob;
  size_t blob_len;
  int *extra_fds; /* inherited by nsinit at the same numbers (fifo, console) */
  size_t n_extra_fds;
  int preserve_fds;
  const char *cwd;
  struct rt_cgroup *cg;                 /* where stage 0 goes before it clones, or NULL */
  const struct rt_resources *resources; /* see rt_session_set_resources, or NULL */
  /* the encoded init config (rt_init_config_encode), sent right behind the bootstrap
     message: the init finds it when it reaches main() */
  const char *config;
  size_t config_len;
  bool cgroup_default;      /* no linux.cgroupsPath: rootless may go without one (runc) */
  const char *cpu_affinity; /* process.execCPUAffinity.initial (checked), or NULL */
};

void rt_session_init (struct rt_session *s);
/* Up to the pids and the init config: s->pid is the init, which now sets up while the
   stub's stages 0 and 1 finish. */
int rt_session_start (struct rt_session *s, const struct rt_session_opts *o, rt_error_t *err);
/* Wait for stages 0 and 1 (they exit once the init runs): an error if either failed.
   After start, and before waiting on the init, which a failed stage leaves blocked. */
int rt_session_reap_stages (struct rt_session *s, rt_error_t *err);
/* Write o->resources (with the default device rules) to the cgroup, at the init's
   HOOKS or READY (runc: procHooks / procReady). */
int rt_session_set_resources (struct rt_session *s, const struct rt_session_opts *o,
                              rt_error_t *err);
/* The part of that which changes nothing yet (v2: loading the device eBPF program),
   done right after start so that it overlaps with the container's mounts. */
int rt_session_prepare_resources (struct rt_session *s, const struct rt_session_opts *o,
                                  rt_error_t *err);
/* The go-ahead after the init's READY: the seccomp program (SECCOMP, SECCOMP_LEN bytes,
   when there is one), then RT_MSG_RUN with STATE (or nothing). */
int rt_session_send_run (struct rt_session *s, const char *seccomp, size_t seccomp_len,
                         const char *state, rt_error_t *err);
/* A send to the init failed (EPIPE: it is gone): the error it sent before it went, else
   what rt_session_failed says.  WHAT names the send. */
int rt_session_lost (struct rt_session *s, const char *what, rt_error_t *err);
/* One frame; returns 1 at EOF (the init closed its end), 0 with a frame. */
int rt_session_recv (struct rt_session *s, struct rt_msg_hdr *hdr, char **data, rt_error_t *err);
/* The stub or init went away: report its own message when it left one. */
int rt_session_failed (struct rt_session *s, const char *when, rt_error_t *err);
void rt_session_drain_logs (struct rt_session *s);
/* SIGKILL and reap whatever of the session still runs. */
void rt_session_kill (struct rt_session *s);
/* Close rt's ends and free; what still runs is left (rt_session_kill). */
void rt_session_close (struct rt_session *s);

/* ---- the foreground (tty.c) ---- */

/* runc's checkTerminal: a terminal without --console-socket needs rt in the foreground,
   and --console-socket needs both a terminal and a detached rt. */
int rt_check_terminal (bool detach, bool terminal, const char *console_socket, rt_error_t *err);
/* Foreground run/exec, before anything starts: block every signal (they stay pending and
   rt_wait_forwarding_signals forwards them; nsinit and hooks reset the mask) and become
   child subreaper. */
void rt_signals_capture (void);
/* Our terminal's window size onto MASTER (when stdin is a terminal). */
void rt_tty_resize (int master);

struct rt_notify;
struct rt_wait
{
  pid_t pid;                /* the container's process */
  int master;               /* pty master to proxy our stdio with (raw mode, SIGWINCH), or -1 */
  struct rt_notify *notify; /* sd_notify messages to forward meanwhile, or NULL */
};
/* Forward every catchable signal to w->pid until it exits, reaping whatever else we
   adopted.  *exit_status is its status, 128+N when killed by signal N. */
int rt_wait_forwarding_signals (const struct rt_wait *w, int *exit_status, rt_error_t *err);
/* A socketpair standing in for --console-socket, and the master nsinit sends on it. */
int rt_console_pair (int *ours, int *theirs, rt_error_t *err);
int rt_console_recv_master (int sock, rt_error_t *err);
/* Receive the master on OURS into *MASTER unless done already (or OURS < 0). */
int rt_console_take_master (int ours, int *master, rt_error_t *err);

/* --preserve-fds (and LISTEN_FDS) N: fds 3 .. 3+N-1 must be open, checked before rt opens
   anything of its own (runc: "unable to stat preserved-fd"). */
int rt_check_preserved_fds (int n, rt_error_t *err);

/* ---- NOTIFY_SOCKET and LISTEN_FDS (notify.c) ---- */
#define RT_NOTIFY_DIR_IN_CONTAINER "/run/notify"
#define RT_NOTIFY_SOCKET_IN_CONTAINER RT_NOTIFY_DIR_IN_CONTAINER "/notify.sock"

struct rt_notify
{
  int sock; /* bound at <root>/<id>/notify/notify.sock, or -1 */
  int out;  /* unbound, to send to the host's socket */
  struct sockaddr_un host;
  socklen_t host_len;
  pid_t mainpid; /* MAINPID= sent after READY=1 */
  bool warned;
};

const char *rt_notify_host (void); /* $NOTIFY_SOCKET, or NULL */
char *rt_notify_dir (const char *state_dir);
int rt_notify_listen (struct rt_notify *n, const char *state_dir, const char *host, pid_t mainpid,
                      rt_error_t *err);
/* Forward one datagram if one is there; *ready when it said READY=1.  -1 on errors. */
int rt_notify_forward (struct rt_notify *n, bool *ready);
/* Forward until READY=1 or until the process (PID, START_TIME) is gone. */
int rt_notify_wait_ready (struct rt_notify *n, pid_t pid, unsigned long long start_time);
void rt_notify_close (struct rt_notify *n);
#define cleanup_notify __attribute__ ((cleanup (rt_notify_close)))

/* What the config nsinit gets has on top of the bundle's. */
struct rt_spec_patch
{
  char **env; /* KEY=VALUE: replaces KEY in process.env, or is appended */
  size_t n_env;
  const char *bind_source, *bind_dest; /* a read-only bind mount appended to mounts */
};
/* CONFIG (the parsed config.json, an object) with P applied, as text of *OUT_LEN bytes. */
char *rt_spec_json_patch (yajl_val config, const struct rt_spec_patch *p, size_t *out_len);
/* LISTEN_FDS when LISTEN_PID is rt's pid, else 0. */
int rt_listen_fds (void);

int rt_write_pid_file (const char *path, pid_t pid, rt_error_t *err);
int rt_connect_console (const char *path, rt_error_t *err);

#endif
