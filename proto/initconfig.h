/* The init config: what rt sends nsinit's main() in RT_MSG_CONFIG (sync.h), right behind
   the bootstrap message, for create/run (a standard init) and exec (a setns init) alike.
   Wire form: a JSON object of options (struct rt_init_config below, fds by number: they
   are inherited by nsinit), a NUL byte, then a JSON document: the bundle's config.json for
   a standard init, the process object for a setns init.  The document goes through the
   same strict parser as on the front end; unknown options are refused.  (What the
   container imposes on an exec'd process beyond its namespaces and cgroup, its seccomp
   filter, comes compiled: sync.h's RT_MSG_SECCOMP_PROG.) */
#ifndef RT_INITCONFIG_H
#define RT_INITCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "spec.h"

struct rt_init_config
{
  char *id;
  bool setns;   /* exec into an existing container */
  char *rootfs; /* absolute host path of the rootfs (standard init) */
  char *bundle;
  bool no_pivot, no_new_keyring;
  int console_fd;   /* connected --console-socket inherited by nsinit, or -1 */
  int preserve_fds; /* fds 3 .. 3+N-1 pass into the container */
  int fifo_fd;      /* O_PATH fd of exec.fifo, or -1 (rt run starts at once) */
  /* linux.personality and linux.memoryPolicy, for the init and exec'd processes alike
     (rt checked them): personality(2)'s value and set_mempolicy(2)'s mode, or -1. */
  int personality, mempolicy_mode;
  char *mempolicy_nodes; /* "0-3,7" or NULL */
  char *idmap_fds;       /* idmapped mounts rt made: "MOUNT-INDEX:FD,...", or NULL */
  /* rt sends RT_MSG_MOUNT_SOURCES after the config: bind sources it cloned in the
     container's new mount namespace with its own (host root's) rights. */
  bool mount_sources;
  /* Not on the wire: the init's.  mount_fds[i] is mounts[i]'s source as a detached mount
     (open_tree OPEN_TREE_CLONE) that the init moves into place without resolving the
     source again, or -1 (the init resolves it); null_fd: /dev/null for the masks, or -1. */
  int *mount_fds;
  size_t n_mount_fds;
  int null_fd;
  struct rt_spec *spec;       /* standard */
  struct rt_process *process; /* setns; for standard it points into spec */
};

int rt_init_config_encode (const struct rt_init_config *c, const char *doc, size_t doc_len,
                           char **out, size_t *len, rt_error_t *err);
int rt_init_config_decode (const char *buf, size_t len, struct rt_init_config **out,
                           rt_error_t *err);
void rt_init_config_free (struct rt_init_config *c);

#endif
