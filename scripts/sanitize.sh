#!/bin/bash
# The sanitizer build: configure build-asan with -DRT_SANITIZE=ON (ASan + UBSan), run the
# unit tests under ctest, then, as root with busybox-static at hand, one quick container
# (`rt run` of `echo`) with the sanitized rt (RT_SANITIZE leaves nsinit unsanitized).  Any
# sanitizer report, leaks included, fails.
#   scripts/sanitize.sh            (SKIP_RUN=1: unit tests only)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build-asan}

# UBSan's reports abort instead of scrolling past; ASan/LSan's fail the test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cmake -S "$src" -B "$build" -DRT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS=-fno-sanitize-recover=all >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

echo "sanitize.sh: unit tests under ASan/UBSan"
log=$build/ctest.log
if ! ctest --test-dir "$build" --output-on-failure >"$log" 2>&1; then
  cat "$log" >&2
  echo "sanitize.sh: unit tests FAILED under ASan/UBSan" >&2
  exit 1
fi
if grep -qE '^==[0-9]+==ERROR|runtime error:' "$log"; then
  cat "$log" >&2
  echo "sanitize.sh: sanitizer report in the unit tests" >&2
  exit 1
fi
tail -n 3 "$log"

if [ -n "${SKIP_RUN:-}" ] || [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ]; then
  echo "sanitize.sh: container run skipped (needs root, busybox-static; SKIP_RUN unset)"
  exit 0
fi

echo "sanitize.sh: rt run under ASan/UBSan"
tmp=$(mktemp -d)
id=rt-asan-$$
cleanup() {
  "$build/rt" --root "$tmp/state" delete --force "$id" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"$src/scripts/make-bundle.sh" "$tmp/bundle" echo sanitized-hello >/dev/null
# Leak checks stay with the unit tests: rt run ends in execve()/_exit() paths where memory
# still held is not a leak.  Reports go to files, since stderr may be the container's.
out=$(cd "$tmp/bundle" &&
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$tmp/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$tmp/ubsan" \
    "$build/rt" --root "$tmp/state" run "$id" </dev/null 2>&1) || {
  echo "$out" >&2
  cat "$tmp"/asan.* "$tmp"/ubsan.* 2>/dev/null >&2 || true
  echo "sanitize.sh: rt run FAILED under ASan/UBSan" >&2
  exit 1
}
if ls "$tmp"/asan.* "$tmp"/ubsan.* >/dev/null 2>&1; then
  cat "$tmp"/asan.* "$tmp"/ubsan.* >&2
  echo "sanitize.sh: sanitizer report from rt run" >&2
  exit 1
fi
[ "$out" = sanitized-hello ] || {
  echo "sanitize.sh: rt run printed \"$out\", want sanitized-hello" >&2
  exit 1
}
echo "sanitize.sh: rt run ok ($out)"
