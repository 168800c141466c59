#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# in a build directory of their own, and runs each for a bounded time with the test
# fixtures as seed corpus.
#
#   tests/fuzz/run-fuzzers.sh SOURCE_DIR BUILD_DIR [SECONDS]
#
# Exits 77 (skipped) when clang or its libFuzzer runtime is missing, non-zero when a
# target crashes, leaks or aborts; the reproducer is left in BUILD_DIR/artifacts.
set -euo pipefail

src=${1:?source directory}
build=${2:?build directory}
seconds=${3:-20}

command -v clang >/dev/null || { echo "clang is missing: skipping"; exit 77; }
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}' |
     clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "clang has no libFuzzer runtime: skipping"
  exit 77
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" \
    -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dwerror=true >"$build.setup.log" 2>&1 ||
    { cat "$build.setup.log"; exit 1; }
fi
ninja -C "$build" -j2 tests/fuzz/fuzz-sse-stream tests/fuzz/fuzz-response

rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"
status=0
run () {
  local target=$1; shift
  local corpus="$build/corpus-$target"

  rm -rf "$corpus"
  mkdir -p "$corpus"
  for seed in "$@"; do
    # The first byte of each input chooses how it is split or which status it has.
    { printf '\x03'; cat "$seed"; } >"$corpus/$(basename "$seed")"
  done
  echo "== $target: ${seconds}s from $# seeds"
  # Keep inputs small (a chunk, a reply) so the time goes to variety, not size.
  if ! UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
       ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
       "$build/tests/fuzz/$target" -max_total_time="$seconds" -max_len=16384 \
         -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
         -artifact_prefix="$build/artifacts/$target-" "$corpus" 2>"$build/$target.log"; then
    status=1
  fi
  grep -E '^(#[0-9]+.*(DONE|INITED)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)|==[0-9]+==ERROR|SUMMARY)' \
    "$build/$target.log" || true
  [ $status -eq 0 ] || tail -n 60 "$build/$target.log"
}

run fuzz-sse-stream "$src"/tests/fixtures/*.sse
run fuzz-response "$src"/tests/fixtures/*.json
exit $status
