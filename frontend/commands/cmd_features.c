/* rt features: what this build of rt implements (runtime-spec features.md), as JSON. */
#define _GNU_SOURCE
#include "rt.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] = "NAME:\n"
                            "   rt features - show the enabled features\n"
                            "\n"
                            "USAGE:\n"
                            "   rt features\n"
                            "\n"
                            "DESCRIPTION:\n"
                            "   Show the enabled features: the Features structure of the OCI\n"
                            "runtime specification (features.md, features-linux.md) as JSON.\n"
                            "It says what this build of rt implements, whatever the host has.\n"
                            "\n"
                            "OPTIONS:\n"
                            "   --help, -h  show help\n";

int
rt_cmd_features (int argc, char **argv)
{
  cleanup_free char *json = NULL;

  rt_no_flags (argc, argv, usage);
  rt_check_args (argv[0], argc - optind, 0, 0);
  json = rt_features_json ();
  puts (json);
  return 0;
}
