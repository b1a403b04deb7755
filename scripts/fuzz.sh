#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (release, fuzzer + address sanitizer) and runs each one.
#
#   scripts/fuzz.sh                run every target for 1 minute, then minimise Fuzz/Corpus
#   scripts/fuzz.sh --minutes N    the same, N minutes per target
#   scripts/fuzz.sh --ci           25 s per target on a scratch copy of the corpus; fails on any crash
#   scripts/fuzz.sh ... TARGET...  only these targets (FuzzFrameDecoder FuzzSessionStateMachines FuzzPayloads)
#
# Each run starts from Fuzz/Corpus/<target>/ plus seeds the target writes from the current message
# definitions. Locally, new inputs go to Fuzz/Corpus/<target>/ (minimised with -merge=1, seeds
# included, at the end) and crashing inputs to Fuzz/Crashers/<target>/, where
# `swift test --filter FuzzRegression` replays them: fix the bug, keep the file. In CI the crashing
# input is printed (hex) and the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
ci=false
targets=()
while (($#)); do
  case "$1" in
    --ci) ci=true; seconds=25 ;;
    --minutes) seconds=$(($2 * 60)); shift ;;
    --seconds) seconds=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    Fuzz*) targets+=("$1") ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
((${#targets[@]})) || targets=(FuzzFrameDecoder FuzzSessionStateMachines FuzzPayloads)

max_len() {
  case "$1" in
    FuzzFrameDecoder) echo 4096 ;;
    FuzzSessionStateMachines) echo 2048 ;;
    *) echo 1024 ;;
  esac
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== fuzz build (release, -sanitize=fuzzer,address)"
start=$(date +%s)
# --sanitize=fuzzer makes SwiftPM link libFuzzer's main; the Swift code also needs AddressSanitizer, in
# the same flag because swiftc keeps only the last -sanitize= (with a second --sanitize=address the
# Swift code would lose its coverage instrumentation).
sanitizers="fuzzer,address"
build=(swift build -c release --package-path Fuzz --sanitize=fuzzer -Xswiftc "-sanitize=$sanitizers")
if ! "${build[@]}" >"$scratch/build.log" 2>&1; then
  grep -v "ld.gold: warning: Cannot export local symbol" "$scratch/build.log" | tail -60
  echo "fuzz build failed"
  exit 1
fi
bin=$("${build[@]}" --show-bin-path)
echo "fuzz build took $(($(date +%s) - start)) s"

# The Swift backtracer would wait on a crashed fuzzer for minutes; libFuzzer and ASan report crashes themselves.
export SWIFT_BACKTRACE=enable=no
export SWIFT_DETERMINISTIC_HASHING=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

failed=()
for target in "${targets[@]}"; do
  corpus=Fuzz/Corpus/$target
  crashers=Fuzz/Crashers/$target
  mkdir -p "$corpus"
  if $ci; then
    work=$scratch/$target
    mkdir -p "$work/corpus" "$work/crashers"
    cp "$corpus"/* "$work/corpus/" 2>/dev/null || true
    corpus=$work/corpus
    crashers=$work/crashers
  fi
  mkdir -p "$crashers"
  echo "== $target: ${seconds} s, -max_len=$(max_len "$target"), corpus $(find "$corpus" -type f | wc -l) files"
  log=$scratch/$target.log
  set +e
  seeds=$scratch/seeds/$target
  STEWARD_FUZZ_SEEDS=$seeds "$bin/$target" "$corpus" "$seeds" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$crashers/" >"$log" 2>&1
  status=$?
  set -e
  grep -E "^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "!! $target failed (exit $status):"
    grep -vE "^#[0-9]+ +(NEW|REDUCE|pulse|INITED)|^(INFO|stat::)" "$log" | tail -60
    for crash in "$crashers"/*; do
      [ -f "$crash" ] && { echo "-- $crash:"; od -An -tx1 "$crash" | head -40; }
    done
    failed+=("$target")
    continue
  fi
  if ! $ci; then
    merged=$scratch/$target.merged
    mkdir -p "$merged"
    if ! STEWARD_FUZZ_SEEDS=$seeds "$bin/$target" -merge=1 -max_len="$(max_len "$target")" "$merged" "$corpus" "$seeds" >"$log.merge" 2>&1 || [ -z "$(find "$merged" -type f)" ]; then
      tail -20 "$log.merge"
      echo "!! $target: corpus minimisation failed, corpus left as it is"
      failed+=("$target")
      continue
    fi
    rm -f "$corpus"/*
    cp "$merged"/* "$corpus/"
    echo "   corpus minimised: $(find "$corpus" -type f | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
  fi
done

if ((${#failed[@]})); then
  echo "fuzzing found crashes in: ${failed[*]}"
  exit 1
fi
echo "fuzzing passed: ${targets[*]}"
