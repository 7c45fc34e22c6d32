/* process.capabilities with libcap: the bounding set is cut before the user changes,
   then effective, permitted and inheritable are set to exactly what the spec lists
   (nothing when it lists nothing: inheritable is never granted unasked), then ambient. */
#define _GNU_SOURCE
#include "init.h"
#include "nslog.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

/* A set as a bitmask over the kernel's capabilities.  Names the kernel or libcap does
   not know are skipped with a warning, as runc does. */
static uint64_t
caps_mask (char *const *names, size_t n, const char *set)
{
  int last = (int) cap_max_bits ();
  uint64_t mask = 0;

  for (size_t i = 0; i < n; i++)
    {
      cap_value_t v;
      if (cap_from_name (names[i], &v) < 0 || v >= last || v >= 64)
        {
          nslog ("warning", "capabilities.%s: ignoring unknown or unavailable capability %s", set,
                 names[i]);
          continue;
        }
      mask |= 1ULL << v;
    }
  return mask;
}

/* "cap_chown" in BUF (cap_to_name allocates). */
static const char *
cap_name (int c, char *buf, size_t len)
{
  char *n = cap_to_name (c);
  snprintf (buf, len, "%s", n ? n : "?");
  cap_free (n);
  return buf;
}

int
caps_drop_bounding (const struct rt_process *p, rt_error_t *err)
{
  int last = (int) cap_max_bits ();
  uint64_t keep = caps_mask (p->caps.bounding, p->caps.n_bounding, "bounding");
  char name[64];

  for (int c = 0; c < last; c++)
    if (!(keep & (1ULL << c)) && cap_drop_bound (c) < 0 && errno != EINVAL)
      return rt_error (err, errno, "drop %s from the bounding set",
                       cap_name (c, name, sizeof name));
  return 0;
}

static int
set_flag (cap_t caps, cap_flag_t flag, uint64_t mask)
{
  for (int c = 0; c < 64; c++)
    {
      cap_value_t v = c;
      if ((mask & (1ULL << c)) && cap_set_flag (caps, flag, 1, &v, CAP_SET) < 0)
        return -1;
    }
  return 0;
}

static int
raise_ambient (uint64_t mask, rt_error_t *err)
{
  char name[64];

  if (cap_reset_ambient () < 0 && errno != EINVAL)
    return rt_error (err, errno, "clear the ambient set");
  for (int c = 0; c < 64; c++)
    {
      if (!(mask & (1ULL << c)) || cap_set_ambient (c, CAP_SET) == 0)
        continue;
      /* EPERM: not in permitted and inheritable, which the spec did not grant (runc's
         own `runc spec` asks for ambient without inheritable); EINVAL: no ambient
         support.  Both leave the set as the spec allows it, so go on like crun. */
      if (errno != EPERM && errno != EINVAL)
        return rt_error (err, errno, "raise ambient capability %s",
                         cap_name (c, name, sizeof name));
      nsdebug ("ambient %s not raised: %s", cap_name (c, name, sizeof name), rt_strerror (errno));
    }
  return 0;
}

int
caps_apply (const struct rt_process *p, rt_error_t *err)
{
  const struct rt_caps *c = &p->caps;
  uint64_t eff = caps_mask (c->effective, c->n_effective, "effective");
  uint64_t perm = caps_mask (c->permitted, c->n_permitted, "permitted");
  uint64_t inh = caps_mask (c->inheritable, c->n_inheritable, "inheritable");
  uint64_t amb = caps_mask (c->ambient, c->n_ambient, "ambient");
  cap_t caps;
  int ret;

  caps = cap_init (); /* all clear */
  if (caps == NULL)
    return rt_error (err, errno, "cap_init");
  ret = set_flag (caps, CAP_EFFECTIVE, eff) | set_flag (caps, CAP_PERMITTED, perm)
        | set_flag (caps, CAP_INHERITABLE, inh);
  if (ret == 0)
    ret = cap_set_proc (caps);
  cap_free (caps);
  if (ret < 0)
    return rt_error (err, errno, "set capabilities");
  return raise_ambient (amb, err);
}
