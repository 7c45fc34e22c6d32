/* libFuzzer target: the config.json loader as rt create runs it: rt_spec_parse, then
   rt_spec_validate on whatever parses, then rt_spec_free (leaks are findings too). */
#define _GNU_SOURCE
#include "fuzz_common.h"
#include "spec.h"

#include <stdint.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct rt_spec *spec = NULL;
  rt_error_t err = NULL;

  if (rt_spec_parse ((const char *) data, size, &spec, &err) < 0)
    {
      FUZZ_ASSERT (spec == NULL && err != NULL && err->msg != NULL);
      rt_error_free (&err);
      return 0;
    }
  FUZZ_ASSERT (spec != NULL && err == NULL);
  if (rt_spec_validate (spec, &err) < 0)
    FUZZ_ASSERT (err != NULL && err->msg != NULL);
  rt_error_free (&err);
  rt_spec_free (spec);
  return 0;
}
