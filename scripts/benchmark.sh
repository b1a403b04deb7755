#!/usr/bin/env bash
# Steward benchmark: controller + simulated fleet on loopback, one table of figures.
#   scripts/benchmark.sh [--tiny] [--sizes 1,50,1000,5000,10000] [--iterations K] [--single-iterations M]
#                        [--idle-seconds S] [--real-agents N] [--agent-idle-seconds S] [--history-runs R]
#                        [--throughput-agents N] [--throughput-chunks K] [--no-storm] [--salt] [--keep]
#   --salt: also install Salt 3008 in a venv (scripts/install-salt.sh) and time it against the real agents.
#   --tiny: sizes 1 and 10, 2 iterations (what CI runs; under a minute with debug binaries).
# STEWARD_BIN_DIR picks the binaries (default .build/release, built here when missing);
# STEWARD_BIN_DIR=.build/debug reuses a debug build.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir="${STEWARD_BIN_DIR:-.build/release}"
salt=0
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --tiny) args+=(--sizes 1,10 --iterations 2 --single-iterations 2 --real-agents 2 --agent-idle-seconds 2 --history-runs 10000 --throughput-agents 10 --throughput-chunks 20); shift ;;
        --sizes|--iterations|--single-iterations|--idle-seconds|--real-agents|--agent-idle-seconds|--history-runs|--throughput-agents|--throughput-chunks) args+=("$1" "$2"); shift 2 ;;
        --keep|--no-storm) args+=("$1"); shift ;;
        --salt) args+=(--salt); salt=1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

if [ ! -x "$bin_dir/steward" ] || [ ! -x "$bin_dir/steward-agent" ]; then
    if [ "$bin_dir" = ".build/release" ]; then
        echo "building release binaries (several minutes)..." >&2
        # The Swift runtime linked in, as the packages ship it (the agent's binary size is one of the figures).
        swift build -c release --static-swift-stdlib --product steward >&2
        swift build -c release --static-swift-stdlib --product steward-agent >&2
    else
        echo "no steward / steward-agent binaries in $bin_dir" >&2
        exit 1
    fi
fi

if [ "$salt" = 1 ]; then
    bash scripts/install-salt.sh >&2
fi

exec python3 Benchmarks/fleet_bench.py --bin-dir "$bin_dir" "${args[@]}"
