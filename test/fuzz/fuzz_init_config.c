/* libFuzzer target: the init config nsinit's main() receives from rt
   (rt_init_config_decode): an options object, a NUL, then config.json or process.json. */
#define _GNU_SOURCE
#include "fuzz_common.h"
#include "initconfig.h"

#include <stdint.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct rt_init_config *c = NULL;
  rt_error_t err = NULL;

  if (rt_init_config_decode ((const char *) data, size, &c, &err) < 0)
    {
      FUZZ_ASSERT (c == NULL && err != NULL && err->msg != NULL);
      rt_error_free (&err);
      return 0;
    }
  FUZZ_ASSERT (c != NULL && err == NULL && c->process != NULL);
  FUZZ_ASSERT (c->setns ? c->spec == NULL : c->spec != NULL);
  rt_init_config_free (c);
  return 0;
}
