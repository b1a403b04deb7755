#!/usr/bin/env python3
"""Steward soak test: a controller and N simulated agents, one `ping` job to all of them every second,
for a fixed time; samples the controller's RSS and open file descriptors and the job latency over time.

    python3 Benchmarks/soak.py --bin-dir .build/release [--agents 1000] [--minutes 30] [--report docs/soak.md]

Prints one line per sample window (progress) and writes a markdown report: RSS, fds, p50/p99 latency
and errors per window, and whether RSS and fds stayed flat after warm-up. Not run in CI (it takes as
long as you ask). Reuses the benchmark's controller and fleet driver (fleet_bench.Bench).
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleet_bench  # noqa: E402


def percentile(values, fraction):
    return fleet_bench.percentile(values, fraction) if values else float("nan")


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between job starts")
    parser.add_argument("--window", type=float, default=60, help="seconds per reported sample")
    parser.add_argument("--warmup", type=float, default=120, help="seconds excluded from the flatness check")
    parser.add_argument("--report", help="write the markdown report here")
    args = parser.parse_args()
    fleet_bench.raise_file_limit()

    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    root = tempfile.mkdtemp(prefix="steward-soak-", dir=base)
    bench = fleet_bench.Bench(os.path.abspath(args.bin_dir), root)
    windows = []
    try:
        bench.start_controller()
        bench.start_fleet("k-", args.agents, "role=sim,fleet=k", args.agents)
        began = time.monotonic()
        end = began + args.minutes * 60
        window = {"latencies": [], "errors": 0, "start": 0.0}
        next_job = began
        while time.monotonic() < end:
            now = time.monotonic()
            if now < next_job:
                time.sleep(next_job - now)
            next_job += args.interval
            try:
                window["latencies"].append(bench.run_job("fleet=k", ["ping"], args.agents))
            except Exception as error:  # a failed or timed-out job is a figure, not the end of the soak
                window["errors"] += 1
                print("job failed: %s" % error, file=sys.stderr)
            elapsed = time.monotonic() - began
            if elapsed - window["start"] >= args.window:
                window.update(end=elapsed, rss=fleet_bench.rss_kib(bench.controller.pid),
                              fds=open_fds(bench.controller.pid))
                windows.append(window)
                print("%6.0f s  jobs %4d  errors %d  p50 %7.1f ms  p99 %7.1f ms  RSS %7.1f MiB  fds %d" % (
                    elapsed, len(window["latencies"]), window["errors"], 1000 * percentile(window["latencies"], 0.5),
                    1000 * percentile(window["latencies"], 0.99), window["rss"] / 1024, window["fds"]), flush=True)
                window = {"latencies": [], "errors": 0, "start": elapsed}
    finally:
        bench.stop_all()
        shutil.rmtree(root, ignore_errors=True)

    settled = [w for w in windows if w["start"] >= args.warmup] or windows
    rss = [w["rss"] for w in settled]
    fds = [w["fds"] for w in settled]
    jobs = sum(len(w["latencies"]) for w in windows)
    errors = sum(w["errors"] for w in windows)
    lines = [
        "# Steward soak: %d simulated agents, `ping` to all every %g s, %g minutes" % (args.agents, args.interval, args.minutes),
        "",
        "Machine: %s, %d cores; binaries `%s`. Reproduce: `python3 Benchmarks/soak.py --bin-dir %s --agents %d --minutes %g`."
        % (os.uname().release, os.cpu_count() or 0, args.bin_dir, args.bin_dir, args.agents, args.minutes),
        "",
        "Jobs: %d, errors: %d. After %.0f s of warm-up: controller RSS %.1f to %.1f MiB (%+.1f MiB), open fds %d to %d."
        % (jobs, errors, args.warmup, min(rss) / 1024, max(rss) / 1024, (rss[-1] - rss[0]) / 1024, min(fds), max(fds)),
        "",
        "| until | jobs | errors | p50 | p99 | controller RSS | fds |",
        "|------:|-----:|-------:|----:|----:|---------------:|----:|",
    ]
    for w in windows:
        lines.append("| %.0f s | %d | %d | %.1f ms | %.1f ms | %.1f MiB | %d |" % (
            w["end"], len(w["latencies"]), w["errors"], 1000 * percentile(w["latencies"], 0.5),
            1000 * percentile(w["latencies"], 0.99), w["rss"] / 1024, w["fds"]))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
