/* JSON-lines logging from nsinit to rt over the log pipe (_RT_LOGPIPE):
   {"level":"debug","msg":"..."}.  rt forwards each line into its own log. */
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

#endif
