/* One conversation with nsinit (session.c): launch it, place it in a cgroup, send the
   bootstrap message, learn the pids, then exchange init-protocol frames while
   forwarding the stub's log lines.  create and exec each drive their own serve loop. */
#ifndef RT_SESSION_H
#define RT_SESSION_H

#include "initconfig.h"
#include "rt.h"
#include "sync.h"

struct rt_session
{
  int sock;  /* rt's end of the init socket */
  int logfd; /* read end of the log pipe */
  pid_t stage0, stage1;
  pid_t pid;        /* the init (stage 2): the container's init, or the exec'd process */
  char *stub_error; /* the stub's last fatal log line: the error to print */
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
  const struct rt_resources *resources; /* applied to cg right after, or NULL */
};

void rt_session_init (struct rt_session *s);
/* Up to the pids: both stub stages reaped, s->pid is the init. */
int rt_session_start (struct rt_session *s, const struct rt_session_opts *o, rt_error_t *err);
int rt_session_send_config (struct rt_session *s, const struct rt_init_config *ic, const char *doc,
                            size_t doc_len, rt_error_t *err);
/* One frame; returns 1 at EOF (the init closed its end), 0 with a frame. */
int rt_session_recv (struct rt_session *s, struct rt_msg_hdr *hdr, char **data, rt_error_t *err);
/* The stub or init went away: report its own message when it left one. */
int rt_session_failed (struct rt_session *s, const char *when, rt_error_t *err);
void rt_session_drain_logs (struct rt_session *s);
/* SIGKILL and reap whatever of the session still runs. */
void rt_session_kill (struct rt_session *s);
void rt_session_close (struct rt_session *s);

/* Foreground (tty.c): forward every catchable signal to PID until it exits; with
   MASTER >= 0 also proxy stdio to that pty (raw mode, window size, SIGWINCH).
   *exit_status is its status, 128+N when killed by signal N. */
int rt_wait_forwarding_signals (pid_t pid, int master, int *exit_status, rt_error_t *err);
/* A socketpair standing in for --console-socket, and the master nsinit sends on it. */
int rt_console_pair (int *ours, int *theirs, rt_error_t *err);
int rt_console_recv_master (int sock, rt_error_t *err);

int rt_write_pid_file (const char *path, pid_t pid, rt_error_t *err);
int rt_connect_console (const char *path, rt_error_t *err);

#endif
