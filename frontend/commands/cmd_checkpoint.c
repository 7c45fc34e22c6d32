/* rt checkpoint ID, rt restore ID: runc's commands and flags.  rt does not drive criu, so
   both check what they can (the container, the bundle) and then say why criu cannot be
   used: not installed, not usable on this kernel (`criu check` fails), or, where criu
   works, that rt cannot drive it.  Nothing is made or changed. */
#define _GNU_SOURCE
#include "rt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char checkpoint_usage[]
    = "NAME:\n"
      "   rt checkpoint - checkpoint a running container\n"
      "\n"
      "USAGE:\n"
      "   rt checkpoint [command options] <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container to be\n"
      "checkpointed.\n"
      "\n"
      "DESCRIPTION:\n"
      "   The checkpoint command saves the state of the container instance.\n"
      "\n"
      "OPTIONS:\n"
      "   --image-path value           path for saving criu image files\n"
      "   --work-path value            path for saving work files and logs\n"
      "   --parent-path value          path for previous criu image files in pre-dump\n"
      "   --leave-running              leave the process running after checkpointing\n"
      "   --tcp-established            allow open tcp connections\n"
      "   --ext-unix-sk                allow external unix sockets\n"
      "   --shell-job                  allow shell jobs\n"
      "   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
      "   --status-fd value            criu writes \\0 to this FD once lazy-pages is ready "
      "(default: -1)\n"
      "   --page-server value          ADDRESS:PORT of the page server\n"
      "   --file-locks                 handle file locks, for safety\n"
      "   --pre-dump                   dump container's memory information only, leave the "
      "container running after this\n"
      "   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full' and 'strict'\n"
      "   --empty-ns value             create a namespace, but don't restore its properties\n"
      "   --auto-dedup                 enable auto deduplication of memory images\n"
      "   --help, -h                   show help\n";

static const char restore_usage[]
    = "NAME:\n"
      "   rt restore - restore a container from a previous checkpoint\n"
      "\n"
      "USAGE:\n"
      "   rt restore [command options] <container-id>\n"
      "\n"
      "Where \"<container-id>\" is the name for the instance of the container to be\n"
      "restored.\n"
      "\n"
      "DESCRIPTION:\n"
      "   Restores the saved state of the container instance that was previously saved\n"
      "using the rt checkpoint command.\n"
      "\n"
      "OPTIONS:\n"
      "   --console-socket value       path to an AF_UNIX socket which will receive a file "
      "descriptor referencing the master end of the console's pseudoterminal\n"
      "   --image-path value           path to criu image files for restoring\n"
      "   --work-path value            path for saving work files and logs\n"
      "   --tcp-established            allow open tcp connections\n"
      "   --ext-unix-sk                allow external unix sockets\n"
      "   --shell-job                  allow shell jobs\n"
      "   --file-locks                 handle file locks, for safety\n"
      "   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full' and 'strict'\n"
      "   --bundle value, -b value     path to the root of the bundle directory\n"
      "   --detach, -d                 detach from the container's process\n"
      "   --pid-file value             specify the file to write the process id to\n"
      "   --no-subreaper               disable the use of the subreaper used to reap "
      "reparented processes\n"
      "   --no-pivot                   do not use pivot root to jail process inside rootfs.  "
      "This should be used whenever the rootfs is on top of a ramdisk\n"
      "   --empty-ns value             create a namespace, but don't restore its properties\n"
      "   --auto-dedup                 enable auto deduplication of memory images\n"
      "   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
      "   --lsm-profile value          Specify an LSM profile to be used during restore in "
      "the form of TYPE:NAME.\n"
      "   --lsm-mount-context value    Specify an LSM mount context to be used during "
      "restore.\n"
      "   --help, -h                   show help\n";

/* The flags of either command: their values are not used (nothing gets that far). */
enum
{
  OPT_VALUE = 256,
  OPT_BOOL,
};

static const struct option checkpoint_opts[] = {
  { "image-path", required_argument, NULL, OPT_VALUE },
  { "work-path", required_argument, NULL, OPT_VALUE },
  { "parent-path", required_argument, NULL, OPT_VALUE },
  { "leave-running", no_argument, NULL, OPT_BOOL },
  { "tcp-established", no_argument, NULL, OPT_BOOL },
  { "ext-unix-sk", no_argument, NULL, OPT_BOOL },
  { "shell-job", no_argument, NULL, OPT_BOOL },
  { "lazy-pages", no_argument, NULL, OPT_BOOL },
  { "status-fd", required_argument, NULL, OPT_VALUE },
  { "page-server", required_argument, NULL, OPT_VALUE },
  { "file-locks", no_argument, NULL, OPT_BOOL },
  { "pre-dump", no_argument, NULL, OPT_BOOL },
  { "manage-cgroups-mode", required_argument, NULL, OPT_VALUE },
  { "empty-ns", required_argument, NULL, OPT_VALUE },
  { "auto-dedup", no_argument, NULL, OPT_BOOL },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

static const struct option restore_opts[] = {
  { "console-socket", required_argument, NULL, OPT_VALUE },
  { "image-path", required_argument, NULL, OPT_VALUE },
  { "work-path", required_argument, NULL, OPT_VALUE },
  { "tcp-established", no_argument, NULL, OPT_BOOL },
  { "ext-unix-sk", no_argument, NULL, OPT_BOOL },
  { "shell-job", no_argument, NULL, OPT_BOOL },
  { "file-locks", no_argument, NULL, OPT_BOOL },
  { "manage-cgroups-mode", required_argument, NULL, OPT_VALUE },
  { "bundle", required_argument, NULL, 'b' },
  { "detach", no_argument, NULL, 'd' },
  { "pid-file", required_argument, NULL, OPT_VALUE },
  { "no-subreaper", no_argument, NULL, OPT_BOOL },
  { "no-pivot", no_argument, NULL, OPT_BOOL },
  { "empty-ns", required_argument, NULL, OPT_VALUE },
  { "auto-dedup", no_argument, NULL, OPT_BOOL },
  { "lazy-pages", no_argument, NULL, OPT_BOOL },
  { "lsm-profile", required_argument, NULL, OPT_VALUE },
  { "lsm-mount-context", required_argument, NULL, OPT_VALUE },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* Why criu cannot be used here: always an error (rt does not drive criu). */
static int
criu_refuse (rt_error_t *err)
{
  cleanup_free char *path = NULL, *out = NULL;
  char *argv[] = { NULL, (char *) "check", NULL };
  cleanup_error rt_error_t cerr = NULL;

  /* runc's words when criu is missing (Go's exec.Command searches only a bare name) */
  if (strchr (rt_global.criu, '/') != NULL && access (rt_global.criu, X_OK) < 0)
    return rt_error (err, errno, "CRIU version check failed: fork/exec %s", rt_global.criu);
  if (rt_lookpath (rt_global.criu, getenv ("PATH"), &path, err) < 0)
    return rt_error_wrap (err, "CRIU version check failed");
  argv[0] = path;
  if (rt_combined_output (argv, &out, &cerr) < 0)
    return rt_error (err, 0, "criu %s is not usable here (criu check failed: %s)", path,
                     out ? last_line (out) : cerr->msg);
  return rt_error (err, 0, "criu %s works, but rt cannot checkpoint or restore with it", path);
}

static int
checkpoint (const char *id, rt_error_t *err)
{
  cleanup_container struct rt_container *c = NULL;
  cleanup_close int lock = -1;
  enum rt_status st;

  if (rt_state_lock (id, &lock, err) < 0 || rt_state_load (id, &c, err) < 0)
    return -1;
  st = rt_container_status (c);
  if (st == RT_STATUS_CREATED || st == RT_STATUS_STOPPED)
    return rt_error (err, 0, "Container cannot be checkpointed in %s state", rt_status_name (st));
  return criu_refuse (err);
}

static int
restore (const char *id, const char *bundle, rt_error_t *err)
{
  cleanup_free char *config = xasprintf ("%s/config.json", bundle);

  cleanup_container struct rt_container *c = NULL;

  if (rt_state_load (id, &c, err) == 0)
    return rt_error (err, 0, "container \"%s\" already exists", id);
  if ((*err)->status != ENOENT)
    return -1;
  rt_error_free (err); /* no such container: what restore wants */
  if (access (config, R_OK) < 0)
    return rt_error (err, errno, "open %s", config);
  return criu_refuse (err);
}

static int
cr_cmd (int argc, char **argv, bool is_restore)
{
  const char *bundle = ".";
  rt_error_t err = NULL;
  const char *id;
  int c;

  while ((c = rt_getopt (argc, argv, is_restore ? restore_usage : checkpoint_usage,
                         is_restore ? "b:dh" : "h", is_restore ? restore_opts : checkpoint_opts))
         != -1)
    if (c == 'b')
      bundle = optarg;
  id = rt_arg_id (argc, argv);
  if ((is_restore ? restore (id, bundle, &err) : checkpoint (id, &err)) < 0)
    rt_log_error_exit (argv[0], id, err);
  return 0;
}

int
rt_cmd_checkpoint (int argc, char **argv)
{
  return cr_cmd (argc, argv, false);
}

int
rt_cmd_restore (int argc, char **argv)
{
  return cr_cmd (argc, argv, true);
}
