#!/bin/bash
# Build rt's libFuzzer targets (test/fuzz) with clang in build-fuzz and run each for SECONDS
# (default 600), JOBS targets at a time (default 2), niced.  Prints per target the executions,
# the edge coverage and whether it crashed; exits non-zero on any crash, leak, hang or
# sanitizer report.  CI runs a smoke pass: scripts/fuzz.sh 20
#   scripts/fuzz.sh [SECONDS] [TARGET...]      TARGET: bootstrap, spec, ... (default: all)
# New inputs accumulate in build-fuzz/corpus/TARGET (the seeds in test/fuzz/corpus/TARGET
# stay as they are); a crashing input is saved as build-fuzz/artifacts/TARGET-crash-*.
# COVERAGE=1: afterwards, replay each corpus in a source-coverage build (build-fuzz-cov,
# needs llvm-profdata and llvm-cov) and print the line coverage of the code under test.
set -euo pipefail

seconds=${1:-600}
[ $# -gt 0 ] && shift
case $seconds in
  '' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac
jobs=${JOBS:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build-fuzz}

CC=clang cmake -S "$src" -B "$build" -DRT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz -j "$(nproc)" >/dev/null

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$src"/test/fuzz/fuzz_*.c; do
    t=$(basename "$f" .c)
    targets+=("${t#fuzz_}")
  done
fi

mkdir -p "$build/artifacts" "$build/logs"

run_one() {
  local t=$1 dict=()
  case $t in
    bootstrap) dict=(-dict="$src/test/fuzz/bootstrap.dict") ;;
    spec | process | init_config) dict=(-dict="$src/test/fuzz/json.dict") ;;
  esac
  mkdir -p "$build/corpus/$t"
  # -timeout: an input that takes 10 s is a hang, a finding like a crash.
  nice -n 10 "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${dict[@]}" \
    "$build/corpus/$t" "$src/test/fuzz/corpus/$t" >"$build/logs/$t.log" 2>&1
}

# Run the targets JOBS at a time; remember each one's exit status.
declare -A pid_of status_of
running=0
for t in "${targets[@]}"; do
  [ -x "$build/fuzz_$t" ] || {
    echo "fuzz.sh: no target fuzz_$t" >&2
    exit 2
  }
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzz.sh: fuzz_$t for ${seconds}s"
  run_one "$t" &
  pid_of[$t]=$!
  running=$((running + 1))
done
for t in "${targets[@]}"; do
  if wait "${pid_of[$t]}"; then status_of[$t]=0; else status_of[$t]=$?; fi
done

report() {
  local t=$1 log=$build/logs/$1.log execs rate cov ft edges result
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  edges=$(sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -1)
  result=ok
  if [ "${status_of[$t]}" != 0 ] || grep -qE '^==[0-9]+==ERROR|^SUMMARY: |runtime error:|deadly signal|property failed' "$log"; then
    result="CRASH (exit ${status_of[$t]}, log $log)"
  fi
  printf '%-20s %6ss  execs %-10s (%s/s)  cov %s/%s edges  ft %s  corpus %s  %s\n' "$t" \
    "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${edges:-?}" "${ft:-?}" \
    "$(find "$build/corpus/$t" -type f | wc -l)" "$result"
  [ "$result" = ok ]
}

# The files each target is about, for the line coverage.
files_of() {
  case $1 in
    bootstrap | bootstrap_roundtrip) echo proto/bootstrap_decode.c proto/bootstrap_encode.c ;;
    spec) echo proto/spec_*.c ;;
    process) echo proto/spec_*.c proto/process_gen.c ;;
    init_config) echo proto/initconfig.c proto/spec_*.c ;;
    *) echo proto ;;
  esac
}

line_coverage() {
  local cov=$build-cov t
  if ! command -v llvm-profdata >/dev/null || ! command -v llvm-cov >/dev/null; then
    echo "fuzz.sh: no llvm-profdata/llvm-cov (Debian package llvm): no line coverage" >&2
    return 0
  fi
  CC=clang cmake -S "$src" -B "$cov" -DRT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_C_FLAGS=-fprofile-instr-generate -fcoverage-mapping" >/dev/null
  cmake --build "$cov" --target fuzz -j "$(nproc)" >/dev/null
  echo "fuzz.sh: line coverage of the corpora (llvm-cov; lines, missed, cover)"
  for t in "${targets[@]}"; do
    rm -f "$cov/$t.profraw"
    LLVM_PROFILE_FILE=$cov/$t.profraw "$cov/fuzz_$t" -runs=0 "$build/corpus/$t" \
      "$src/test/fuzz/corpus/$t" >/dev/null 2>&1 || true
    llvm-profdata merge -sparse "$cov/$t.profraw" -o "$cov/$t.profdata"
    # shellcheck disable=SC2046
    (cd "$src" && llvm-cov report "$cov/fuzz_$t" -instr-profile="$cov/$t.profdata" \
      $(files_of "$t")) | awk -v t="$t" '$2 ~ /^[0-9]+$/ && $1 != "TOTAL" {
        n = split($1, p, "/"); printf "%-20s %-20s lines %5s  missed %4s  %s\n", t, p[n], $8, $9, $10 }'
  done
}

failed=0
echo "fuzz.sh: results"
for t in "${targets[@]}"; do
  report "$t" || failed=1
done
if [ "$failed" != 0 ]; then
  echo "fuzz.sh: FAILED; crashing inputs:" >&2
  ls -1 "$build"/artifacts/ >&2 || true
  for t in "${targets[@]}"; do
    grep -qE '^==[0-9]+==ERROR|runtime error:|deadly signal|property failed' "$build/logs/$t.log" &&
      grep -E -m1 -A12 '^==[0-9]+==ERROR|runtime error:|deadly signal|property failed' \
        "$build/logs/$t.log" >&2
  done
  exit 1
fi
if [ -n "${COVERAGE:-}" ]; then
  line_coverage
fi
