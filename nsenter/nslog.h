/* JSON-lines logging from nsinit to rt over the log pipe (_RT_LOGPIPE):
   {"level":"debug","msg":"..."}, with "t": CLOCK_MONOTONIC ns when debugging.  rt forwards
   each line into its own log. */
#ifndef RT_NSLOG_H
#define RT_NSLOG_H

extern int nslog_fd;    /* -1: no log pipe */
extern int nslog_debug; /* 1: emit debug lines */

void nslog (const char *level, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

#define nsdebug(...)                                                                               \
  do                                                                                               \
    {                                                                                              \
      if (nslog_debug)                                                                             \
        nslog ("debug", __VA_ARGS__);                                                              \
    }                                                                                              \
  while (0)

/* A step of the --debug timing breakdown (rt's trace.c): "timing: STAGE" with the time. */
#define nstiming(stage) nsdebug ("timing: %s", stage)

#endif
