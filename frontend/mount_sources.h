/* Bind sources cloned by rt in the container's mount namespace (see mount_sources.c). */
#ifndef RT_MOUNT_SOURCES_H
#define RT_MOUNT_SOURCES_H

#include "error.h"
#include "spec.h"

#include <stdbool.h>
#include <sys/types.h>

/* Will rt send RT_MSG_MOUNT_SOURCES (the init config's mountSources)? */
bool rt_mount_sources_wanted (const struct rt_spec *spec);
/* Once the stub reported INIT's pid and the config went out: clone the sources in INIT's
   mount namespace and send them on SOCK. */
int rt_mount_sources_send (const struct rt_spec *spec, const char *bundle, pid_t init, int sock,
                           rt_error_t *err);

#endif
