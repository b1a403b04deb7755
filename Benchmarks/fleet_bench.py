#!/usr/bin/env python3
"""Steward fleet benchmark: a controller on loopback, a simulated fleet, figures in one table.

Driven through the HTTP API (POST /api/v1/jobs, then GET /api/v1/jobs/{id} until every run is
final). The API's timestamps have one-second resolution, so latency is the driver's wall clock
from just before the POST to the poll that first sees all runs final; polling every
POLL_INTERVAL adds up to that much to each figure, and each poll renders the whole job (all N
runs), which loads the controller: raise --poll-ms for large fleets.
Python 3 standard library only.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

POLL_INTERVAL = 0.002  # seconds; --poll-ms overrides


class Bench:
    def __init__(self, bin_dir, root):
        self.bin_dir = bin_dir
        self.root = root
        self.controller_dir = os.path.join(root, "controller")
        self.processes = []
        self.api = None
        self.token = None
        self.controller = None

    def start(self, argv, log_name):
        log = open(os.path.join(self.root, log_name), "wb")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def log_tail(self, log_name, size=3000):
        try:
            with open(os.path.join(self.root, log_name), "rb") as f:
                return f.read()[-size:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop_all(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def start_controller(self):
        self.controller = self.start(
            [os.path.join(self.bin_dir, "steward"), "serve", "--state-dir", self.controller_dir,
             "--agent-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--log-level", "warning"],
            "controller.log")
        endpoints_path = os.path.join(self.controller_dir, "controller.json")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.controller.poll() is not None:
                raise RuntimeError("controller exited:\n" + self.log_tail("controller.log"))
            try:
                with open(endpoints_path) as f:
                    endpoints = json.load(f)
                if endpoints.get("pid") == self.controller.pid:
                    self.api = endpoints["api"].rstrip("/")
                    with open(os.path.join(self.controller_dir, "admin.token")) as f:
                        self.token = f.read().strip()
                    return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        raise RuntimeError("controller did not publish its endpoints within 60 s")

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=60) as response:
            return json.loads(response.read())

    def healthz(self):
        with urllib.request.urlopen(self.api + "/healthz", timeout=10) as response:
            return json.loads(response.read())

    def create_token(self, uses):
        env = dict(os.environ, STEWARD_STATE_DIR=self.controller_dir)
        out = subprocess.run(
            [os.path.join(self.bin_dir, "steward"), "tokens", "create", "--labels", "role=sim",
             "--uses", str(uses), "--ttl", "1h", "--json"],
            env=env, capture_output=True, check=True, text=True)
        return json.loads(out.stdout)["token"]

    def start_fleet(self, count, token):
        fleet = self.start(
            [os.path.join(self.bin_dir, "steward-agent"), "simulate", "--count", str(count), "--token", token,
             "--state-dir", os.path.join(self.root, "fleet"), "--log-level", "error"],
            "fleet.log")
        deadline = time.monotonic() + max(60, count * 0.2)
        while time.monotonic() < deadline:
            if fleet.poll() is not None:
                raise RuntimeError("simulator exited:\n" + self.log_tail("fleet.log"))
            if self.healthz()["agents_online"] >= count:
                return fleet
            time.sleep(0.1)
        raise RuntimeError("only %d of %d agents online:\n%s"
                           % (self.healthz()["agents_online"], count, self.log_tail("fleet.log")))

    def run_job(self, target, action, expected_runs):
        """Seconds from submit to the poll that sees every run final; raises on failed runs."""
        started = time.monotonic()
        job = self.request("POST", "/api/v1/jobs", {"target": target, "action": action, "source": "api"})
        while True:
            runs = job["runs"]
            if len(runs) >= expected_runs and all(run["final"] for run in runs):
                elapsed = time.monotonic() - started
                bad = [run for run in runs if run["status"] != "succeeded"]
                if bad:
                    raise RuntimeError("job %s: %d runs did not succeed, e.g. %s" % (job["id"], len(bad), bad[0]))
                return elapsed
            if time.monotonic() - started > 120:
                raise RuntimeError("job %s not final after 120 s" % job["id"])
            time.sleep(POLL_INTERVAL)
            job = self.request("GET", "/api/v1/jobs/" + job["id"])

    def controller_rss_kib(self):
        with open("/proc/%d/status" % self.controller.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS for the controller")


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def milliseconds(seconds):
    return "%.1f ms" % (seconds * 1000)


def main():
    global POLL_INTERVAL
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--agents", type=int, default=50, help="simulated fleet size")
    parser.add_argument("--iterations", type=int, default=20, help="fan-out runs")
    parser.add_argument("--single-iterations", type=int, default=200, help="single-host round trips")
    parser.add_argument("--poll-ms", type=float, default=POLL_INTERVAL * 1000, help="job poll interval")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    POLL_INTERVAL = max(0.0005, args.poll_ms / 1000)

    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    root = tempfile.mkdtemp(prefix="steward-bench-", dir=base)
    bench = Bench(os.path.abspath(args.bin_dir), root)
    rows = []
    try:
        bench.start_controller()
        token = bench.create_token(args.agents)
        time.sleep(0.5)
        baseline = bench.controller_rss_kib()
        began = time.monotonic()
        bench.start_fleet(args.agents, token)
        rows.append(("fleet enrolled and online (N=%d)" % args.agents, "%.2f s" % (time.monotonic() - began), ""))

        time.sleep(1.0)  # let the sessions settle before sampling memory
        rss = bench.controller_rss_kib()
        rows.append(("controller RSS, N idle agents", "%.1f MiB" % (rss / 1024),
                     "+%.1f KiB/agent" % ((rss - baseline) / args.agents)))

        bench.run_job("all", ["ping"], args.agents)  # warm-up, not counted
        fanout = [bench.run_job("all", ["ping"], args.agents) for _ in range(args.iterations)]
        rows.append(("`ping all` fan-out, N=%d (%d runs)" % (args.agents, len(fanout)),
                     "p50 " + milliseconds(percentile(fanout, 0.5)), "p99 " + milliseconds(percentile(fanout, 0.99))))

        single = [bench.run_job("sim-00000", ["ping"], 1) for _ in range(args.single_iterations)]
        rows.append(("single-host ping round trip (%d runs)" % len(single),
                     "p50 " + milliseconds(percentile(single, 0.5)), "p99 " + milliseconds(percentile(single, 0.99))))

        execs = [bench.run_job("all", ["exec", "uptime"], args.agents) for _ in range(args.iterations)]
        rows.append(("`exec uptime` fan-out, N=%d (%d runs)" % (args.agents, len(execs)),
                     "p50 " + milliseconds(percentile(execs, 0.5)), "p99 " + milliseconds(percentile(execs, 0.99))))
    except Exception:
        print("benchmark failed; logs in " + root, file=sys.stderr)
        print("--- controller log ---\n" + bench.log_tail("controller.log"), file=sys.stderr)
        print("--- fleet log ---\n" + bench.log_tail("fleet.log"), file=sys.stderr)
        bench.stop_all()
        raise
    bench.stop_all()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)

    print("Steward benchmark: %s, %d cores, binaries %s, latency polled every %.0f ms"
          % (os.uname().release, os.cpu_count() or 0, args.bin_dir, POLL_INTERVAL * 1000))
    width = max(len(row[0]) for row in rows)
    print("| %s | %-14s | %-18s |" % ("measure".ljust(width), "value", "spread / per agent"))
    print("|%s|%s|%s|" % ("-" * (width + 2), "-" * 16, "-" * 20))
    for name, value, extra in rows:
        print("| %s | %-14s | %-18s |" % (name.ljust(width), value, extra))


if __name__ == "__main__":
    main()
