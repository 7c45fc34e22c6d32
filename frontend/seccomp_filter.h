/* linux.seccomp compiled on rt's side (seccomp_filter.c). */
#ifndef RT_SECCOMP_FILTER_H
#define RT_SECCOMP_FILTER_H

#include "rt.h"

/* The payload of RT_MSG_SECCOMP_PROG for S: the seccomp(2) flags (uint32_t, with
   SECCOMP_FILTER_FLAG_NEW_LISTENER when a rule is SCMP_ACT_NOTIFY), then the BPF program
   (struct sock_filter[]).  *msg = NULL when S is NULL. */
int rt_seccomp_compile (const struct rt_seccomp *s, char **msg, size_t *len, rt_error_t *err);

/* The Ith of linux.seccomp.flags that rt passes to seccomp(2), NULL past the end. */
const char *rt_seccomp_supported_flag (size_t i);

/* Compile S now when its program could exceed the kernel's 4096 instructions, so that such
   a profile is refused before anything is made (0 if it fits or S is NULL, or compiled into
   *msg).  Smaller profiles are compiled while the init sets up (*msg stays NULL). */
int rt_seccomp_compile_early (const struct rt_seccomp *s, char **msg, size_t *len, rt_error_t *err);

#endif
