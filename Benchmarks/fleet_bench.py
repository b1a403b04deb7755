#!/usr/bin/env python3
"""Steward fleet benchmark: a controller on loopback, simulated fleets, figures in one table.

Driven through the HTTP API: POST /api/v1/jobs, then GET /api/v1/jobs/{id}?wait=60, which the
controller answers once the job's last result is committed. Latency is the driver's wall clock
from just before the POST to that answer (two loopback HTTP round trips included).

Fleets: sizes up to 1,000 share one simulator process (`s-00000`...; smaller sizes target the first
names); larger sizes L/2 and L run as two simulator processes of L/2 agents (labels half=a / half=b,
both big=yes). Each simulator is one process of real TLS identities (see `steward-agent simulate`).
Python 3 standard library only.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

FILE_LIMIT = 65536  # each agent is one socket on each side


def raise_file_limit():
    """Children inherit it: the controller and the simulators each hold one socket per agent."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FILE_LIMIT if hard == resource.RLIM_INFINITY else min(FILE_LIMIT, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), max(hard, wanted)))
    except (ValueError, OSError):
        pass


class Bench:
    def __init__(self, bin_dir, root):
        self.bin_dir = bin_dir
        self.root = root
        self.controller_dir = os.path.join(root, "controller")
        self.processes = []
        self.api = None
        self.token = None
        self.controller = None
        self.controller_log = "controller.log"
        self.real_p50 = {}  # action -> p50 seconds to the real agents, for the Salt ratio

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

    def start_controller(self, agent_listen="127.0.0.1:0", api_listen="127.0.0.1:0", log_name="controller.log"):
        self.controller = self.start(
            [os.path.join(self.bin_dir, "steward"), "serve", "--state-dir", self.controller_dir,
             "--agent-listen", agent_listen, "--api-listen", api_listen, "--log-level", "warning"],
            log_name)
        self.controller_log = log_name
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
                    self.agent_address = endpoints["agents"]
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

    def create_token(self, uses, labels="role=sim"):
        env = dict(os.environ, STEWARD_STATE_DIR=self.controller_dir)
        out = subprocess.run(
            [os.path.join(self.bin_dir, "steward"), "tokens", "create", "--labels", labels,
             "--uses", str(uses), "--ttl", "1h", "--json"],
            env=env, capture_output=True, check=True, text=True)
        return json.loads(out.stdout)["token"]

    def start_fleet(self, prefix, count, labels, online_total, extra=()):
        """Starts `count` simulated agents named PREFIX-NNNNN; returns once `online_total` are online."""
        token = self.create_token(count, labels)
        log_name = "fleet-%s.log" % prefix.rstrip("-")
        fleet = self.start(
            [os.path.join(self.bin_dir, "steward-agent"), "simulate", "--count", str(count), "--token", token,
             "--name-prefix", prefix, "--state-dir", os.path.join(self.root, "fleet-" + prefix.rstrip("-")),
             "--log-level", "error"] + list(extra),
            log_name)
        deadline = time.monotonic() + max(120, count * 0.1)
        while time.monotonic() < deadline:
            if fleet.poll() is not None:
                raise RuntimeError("simulator exited:\n" + self.log_tail(log_name))
            if self.healthz()["agents_online"] >= online_total:
                return fleet
            time.sleep(0.2)
        raise RuntimeError("only %d of %d agents online:\n%s"
                           % (self.healthz()["agents_online"], online_total, self.log_tail(log_name)))

    def stop(self, process):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.processes.remove(process)

    def wait_online(self, expected, timeout=120):
        deadline = time.monotonic() + timeout
        while self.healthz()["agents_online"] != expected:
            if time.monotonic() > deadline:
                raise RuntimeError("%d agents online, expected %d" % (self.healthz()["agents_online"], expected))
            time.sleep(0.2)

    def run_job(self, target, action, expected_runs):
        """Seconds from submit to the answer of `GET /api/v1/jobs/ID?wait`, which the controller gives
        once the job's last result is committed; raises on failed runs."""
        started = time.monotonic()
        job = self.request("POST", "/api/v1/jobs", {"target": target, "action": action, "source": "api"})
        while job["status"] == "running":
            if time.monotonic() - started > 120:
                raise RuntimeError("job %s not finished after 120 s" % job["id"])
            job = self.request("GET", "/api/v1/jobs/%s?wait=60" % job["id"])
        elapsed = time.monotonic() - started
        runs = job["runs"]
        bad = [run for run in runs if run["status"] != "succeeded"]
        if len(runs) != expected_runs or bad:
            raise RuntimeError("job %s: %d runs, %d did not succeed, e.g. %s"
                               % (job["id"], len(runs), len(bad), bad[:1]))
        return elapsed

    def controller_cpu_seconds(self):
        return cpu_seconds(self.controller.pid)

    def start_real_agents(self, names, policy):
        """Enrolls and starts real `steward-agent run` processes; returns them once all are online."""
        token = self.create_token(len(names), "role=real,fleet=real")
        online_before = self.healthz()["agents_online"]
        agents = []
        for name in names:
            state = os.path.join(self.root, "real", name)
            subprocess.run(
                [os.path.join(self.bin_dir, "steward-agent"), "enroll", "--token", token, "--name", name,
                 "--state-dir", state, "--log-level", "error"],
                check=True, capture_output=True, timeout=60)
            agents.append(self.start(
                [os.path.join(self.bin_dir, "steward-agent"), "run", "--state-dir", state, "--policy", policy,
                 "--log-level", "warning"],
                "agent-%s.log" % name))
        self.wait_online(online_before + len(names))
        return agents

    def controller_rss_kib(self):
        with open("/proc/%d/status" % self.controller.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS for the controller")


def cpu_seconds(pid, children=False):
    """User + system CPU of a process (and of its waited-for children), from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for process %d" % pid)


def links_swift_runtime_dynamically(path):
    try:
        out = subprocess.run(["ldd", path], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return "libswiftCore" in out


def measure_real_agent(bench, rows, args, policy):
    """Footprint of one real agent (idle and per job), then ping and exec to N real agents."""
    agent_binary = os.path.join(bench.bin_dir, "steward-agent")
    dynamic = links_swift_runtime_dynamically(agent_binary)
    runtime = {True: "Swift runtime shared", False: "Swift runtime static", None: ""}[dynamic]
    rows.append(("real agent: binary size as built (debug info)", "%.1f MB" % (os.path.getsize(agent_binary) / 1e6), runtime))
    stripped = os.path.join(bench.root, "steward-agent.stripped")
    if shutil.which("strip"):
        # What the .deb ships (packaging/deb/build-deb.sh strips it).
        subprocess.run(["strip", "--strip-unneeded", "-o", stripped, agent_binary], check=True)
        rows.append(("real agent: binary size stripped (packaged)", "%.1f MB" % (os.path.getsize(stripped) / 1e6), runtime))
    first = bench.start_real_agents(["real-00"], policy)[0]
    time.sleep(5.0)
    rows.append(("real agent: idle RSS", "%.1f MiB" % (rss_kib(first.pid) / 1024), ""))
    rows.append(("real agent: open file descriptors", "%d" % len(os.listdir("/proc/%d/fd" % first.pid)), ""))
    before = cpu_seconds(first.pid)
    time.sleep(args.agent_idle_seconds)
    idle = cpu_seconds(first.pid) - before
    rows.append(("real agent: idle CPU", "%.3f %% of a core" % (100 * idle / args.agent_idle_seconds),
                 "over %.0f s" % args.agent_idle_seconds))
    for action, label in ((["ping"], "ping"), (["exec", "uptime"], "exec uptime")):
        bench.run_job("real-00", action, 1)
        jobs = 200  # CPU time comes in 10 ms clock ticks: 50 jobs left +-0.2 ms per job of rounding
        before = cpu_seconds(first.pid, children=True)
        own_before = cpu_seconds(first.pid)
        for _ in range(jobs):
            bench.run_job("real-00", action, 1)
        total = cpu_seconds(first.pid, children=True) - before
        own = cpu_seconds(first.pid) - own_before
        rows.append(("real agent: CPU per `%s` job" % label, "%.2f ms" % (1000 * own / jobs),
                     "%.2f ms with child" % (1000 * total / jobs) if total != own else "over %d jobs" % jobs))
    count = args.real_agents
    if count > 1:
        bench.start_real_agents(["real-%02d" % index for index in range(1, count)], policy)
        for action, label in ((["ping"], "ping"), (["exec", "uptime"], "exec uptime")):
            bench.run_job("fleet=real", action, count)
            values = [bench.run_job("fleet=real", action, count) for _ in range(args.iterations)]
            bench.real_p50[label] = percentile(values, 0.5)
            rows.append(latency_row("`%s` to %d real agents" % (label, count), values))


def fill_history(database, hosts, jobs_per_host):
    """Adds `hosts` agents and `jobs_per_host` fan-out jobs over all of them: hosts × jobs runs."""
    db = sqlite3.connect(database, timeout=60)
    try:
        # Bench data, not a record: a large page cache keeps the index inserts from thrashing.
        db.execute("PRAGMA cache_size = -524288")
        db.execute("PRAGMA synchronous = OFF")
        # Recent, so the controller's retention sweep (a year by default) keeps them.
        base = int(time.time() * 1000) - jobs_per_host * 1000 - 3_600_000
        with db:
            db.executemany(
                "INSERT INTO agents (id, name, status, labels, enrolled_at) VALUES (?, ?, 'active', '{}', ?)",
                [("hist-agent-%04d" % h, "hist-%04d" % h, base) for h in range(hosts)])
            db.executemany(
                "INSERT INTO jobs (id, created_at, requested_by, source, command_text, action, target, timeout_ms,"
                " delivery_deadline, status, finished_at) VALUES (?, ?, 'bench', 'api', 'ping', ?, 'hist-*', 60000, ?,"
                " 'finished', ?)",
                [("01JQBZ%020d" % j, base + j * 1000, b'{"ping":{}}', base + j * 1000 + 600_000, base + j * 1000 + 50)
                 for j in range(jobs_per_host)])
            db.executemany(
                "INSERT INTO runs (job_id, agent_id, status, created_at, offered_at, started_at, finished_at, exit_code)"
                " VALUES (?, ?, 'succeeded', ?, ?, ?, ?, 0)",
                (("01JQBZ%020d" % j, "hist-agent-%04d" % h, base + j * 1000, base + j * 1000 + 1,
                  base + j * 1000 + 2, base + j * 1000 + 40) for j in range(jobs_per_host) for h in range(hosts)))
        return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    finally:
        db.close()


def measure_history(bench, rows, args):
    """`steward history HOST` with a large store: the API call and the CLI process, newest 20 runs."""
    hosts = 1000
    began = time.monotonic()
    total = fill_history(os.path.join(bench.controller_dir, "steward.sqlite"), hosts, args.history_runs // hosts)
    rows.append(("history store filled (%d runs)" % total, "%.1f s" % (time.monotonic() - began), ""))
    path = "/api/v1/agents/hist-0500/history?limit=20"
    bench.request("GET", path)
    api = []
    for _ in range(200):
        started = time.monotonic()
        page = bench.request("GET", path)
        api.append(time.monotonic() - started)
        if len(page) != min(20, args.history_runs // hosts):
            raise RuntimeError("history gave %d rows, expected %d" % (len(page), min(20, args.history_runs // hosts)))
    rows.append(latency_row("history of one host, %d runs stored (API)" % total, api))
    env = dict(os.environ, STEWARD_STATE_DIR=bench.controller_dir)
    cli = []
    for _ in range(20):
        started = time.monotonic()
        subprocess.run([os.path.join(bench.bin_dir, "steward"), "history", "hist-0500"],
                       env=env, check=True, capture_output=True, timeout=60)
        cli.append(time.monotonic() - started)
    rows.append(latency_row("`steward history HOST` CLI, process start included", cli))


def measure_salt(bench, rows, args):
    """Salt 3008 master and N minions on loopback, timed with its in-process LocalClient
    (Benchmarks/salt_bench.py), next to Steward's figures for the same N real agents."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(
        [sys.executable, os.path.join(here, "salt_bench.py"), "--minions", str(args.real_agents),
         "--iterations", str(args.iterations)],
        capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError("salt benchmark failed:\n" + out.stderr[-3000:])
    figures = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "SALT":
            figures[parts[1]] = dict(part.split("=", 1) for part in parts[2:] if "=" in part)
    for salt_name, steward_name in (("test.ping", "ping"), ("cmd.run", "exec uptime")):
        figure = figures[salt_name]
        salt_p50 = float(figure["p50_ms"]) / 1000
        rows.append(("Salt `%s` to %s minions (%s runs)" % (salt_name if salt_name == "test.ping" else "cmd.run uptime",
                                                      figure["N"], figure["runs"]),
                     "p50 %.1f ms" % (salt_p50 * 1000), "p99 %s ms" % figure["p99_ms"]))
        if steward_name in bench.real_p50:
            rows.append(("Salt / Steward, `%s`, p50" % steward_name, "%.1f x" % (salt_p50 / bench.real_p50[steward_name]), ""))
    rss = figures.get("rss_mib")
    if rss:
        rows.append(("Salt RSS: master / per minion", "%s MiB" % rss["master"], "%s MiB/minion" % rss["per_minion"]))


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def milliseconds(seconds):
    return "%.1f ms" % (seconds * 1000)


def latency_row(name, values):
    return (name + " (%d runs)" % len(values),
            "p50 " + milliseconds(percentile(values, 0.5)), "p99 " + milliseconds(percentile(values, 0.99)))


def small_target(prefix, count, size):
    """A selector for the first `size` agents of a fleet of `count`."""
    if size == count:
        return "fleet=" + prefix.rstrip("-")
    if size == 1:
        return prefix + "00000"
    names = ",".join("%s%05d" % (prefix, index) for index in range(size))
    if len(names) > 1024:
        raise SystemExit("size %d is too many names for one selector: use the fleet size itself" % size)
    return names


def measure_throughput(bench, rows, agents, chunks):
    """Output chunks committed per second while `agents` simulated agents each stream `chunks` chunks."""
    line = "x" * 63  # 64 bytes per chunk with the newline
    fleet = bench.start_fleet("t-", agents, "role=sim,fleet=t", agents,
                              extra=["--exec-reply", line, "--exec-chunks", str(chunks), "--exec-interval-ms", "0"])
    bench.run_job("fleet=t", ["exec", "stream"], agents)  # warm-up
    rates = []
    for _ in range(3):
        elapsed = bench.run_job("fleet=t", ["exec", "stream"], agents)
        rates.append(agents * chunks / elapsed)
    rates.sort()
    rows.append(("output chunks committed/s, %d agents x %d chunks (3 runs)" % (agents, chunks),
                 "median %.0f/s" % rates[1], "%.0f to %.0f/s" % (rates[0], rates[-1])))
    bench.stop(fleet)
    bench.wait_online(0)


def log_errors(bench, log_name):
    """Lines at level error or above in a log the controller or a fleet wrote."""
    text = bench.log_tail(log_name, size=1 << 30)
    return sum(1 for line in text.splitlines() if " error " in line or " critical " in line)


def measure_reconnect_storm(bench, rows, total):
    """SIGKILLs the controller with `total` agents online, restarts it on the same ports, and times the
    fleet's return: to half and to all of it, and the errors logged meanwhile."""
    agent_listen, api_listen = bench.agent_address, bench.api.split("//", 1)[1]
    fleet_errors_before = sum(log_errors(bench, name) for name in os.listdir(bench.root) if name.startswith("fleet-"))
    bench.controller.kill()
    bench.controller.wait()
    bench.processes.remove(bench.controller)
    began = time.monotonic()
    bench.start_controller(agent_listen=agent_listen, api_listen=api_listen, log_name="controller-restarted.log")
    half_at = None
    deadline = began + 300
    while True:
        online = bench.healthz()["agents_online"]
        now = time.monotonic()
        if half_at is None and online >= total // 2:
            half_at = now - began
        if online >= total:
            break
        if now > deadline:
            raise RuntimeError("reconnect storm: %d of %d agents back after 300 s" % (online, total))
        time.sleep(0.1)
    all_at = time.monotonic() - began
    fleet_errors = sum(log_errors(bench, name) for name in os.listdir(bench.root) if name.startswith("fleet-")) - fleet_errors_before
    rows.append(("reconnect storm: controller SIGKILLed and restarted, %d agents" % total,
                 "half %.1f s, all %.1f s" % (half_at, all_at),
                 "errors: controller %d, agents %d" % (log_errors(bench, "controller-restarted.log"), fleet_errors)))


def measure_fanout(bench, rows, target, size, iterations):
    bench.run_job(target, ["ping"], size)  # warm-up, not counted
    rows.append(latency_row("`ping` fan-out, N=%d" % size, [bench.run_job(target, ["ping"], size) for _ in range(iterations)]))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--sizes", default="1,50,1000,5000,10000",
                        help="fan-out sizes; those above 1,000 must be L/2 and L for the largest L")
    parser.add_argument("--iterations", type=int, default=20, help="fan-out runs per size")
    parser.add_argument("--single-iterations", type=int, default=200, help="single-host round trips")
    parser.add_argument("--idle-seconds", type=float, default=30, help="controller CPU sample with the largest fleet idle")
    parser.add_argument("--real-agents", type=int, default=50, help="real steward-agent processes (0: skip)")
    parser.add_argument("--agent-idle-seconds", type=float, default=60, help="real agent idle CPU sample")
    parser.add_argument("--salt", action="store_true",
                        help="also time Salt with --real-agents minions (needs scripts/install-salt.sh)")
    parser.add_argument("--history-runs", type=int, default=1_000_000, help="runs in the history store (0: skip)")
    parser.add_argument("--throughput-agents", type=int, default=100, help="agents streaming output (0: skip)")
    parser.add_argument("--throughput-chunks", type=int, default=200, help="output chunks per agent and job")
    parser.add_argument("--no-storm", dest="storm", action="store_false",
                        help="skip the reconnect storm (controller SIGKILLed and restarted with the large fleet online)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    small = [size for size in sizes if size <= 1000]
    large = [size for size in sizes if size > 1000]
    if large and (len(large) > 2 or large[-1] % 2 or (len(large) == 2 and large[0] * 2 != large[1])):
        raise SystemExit("sizes above 1,000 must be L/2 and L (e.g. 5000,10000)")
    raise_file_limit()

    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    root = tempfile.mkdtemp(prefix="steward-bench-", dir=base)
    bench = Bench(os.path.abspath(args.bin_dir), root)
    rows = []
    try:
        bench.start_controller()
        time.sleep(0.5)
        baseline = bench.controller_rss_kib()
        if small:
            count = small[-1]
            began = time.monotonic()
            fleet = bench.start_fleet("s-", count, "role=sim,fleet=s", count)
            rows.append(("fleet enrolled and online (N=%d)" % count, "%.2f s" % (time.monotonic() - began), ""))
            time.sleep(1.0)  # let the sessions settle before sampling memory
            rss = bench.controller_rss_kib()
            rows.append(("controller RSS, %d idle agents" % count, "%.1f MiB" % (rss / 1024),
                         "+%.1f KiB/agent" % ((rss - baseline) / count)))
            for size in small:
                measure_fanout(bench, rows, small_target("s-", count, size), size, args.iterations)
            rows.append(latency_row("single-host `ping` round trip",
                                    [bench.run_job("s-00000", ["ping"], 1) for _ in range(args.single_iterations)]))
            exec_size = min(count, 50)
            exec_target = small_target("s-", count, exec_size)
            rows.append(latency_row("`exec uptime` fan-out, N=%d" % exec_size,
                                    [bench.run_job(exec_target, ["exec", "uptime"], exec_size) for _ in range(args.iterations)]))
            if args.storm and not large:
                measure_reconnect_storm(bench, rows, count)
            bench.stop(fleet)
            bench.wait_online(0)
        if args.throughput_agents > 0:
            measure_throughput(bench, rows, args.throughput_agents, args.throughput_chunks)
        if large:
            half = large[-1] // 2
            began = time.monotonic()
            bench.start_fleet("a-", half, "role=sim,half=a,big=yes", half)
            bench.start_fleet("b-", half, "role=sim,half=b,big=yes", large[-1])
            rows.append(("fleet enrolled and online (N=%d)" % large[-1], "%.2f s" % (time.monotonic() - began), ""))
            time.sleep(5.0)
            rss = bench.controller_rss_kib()
            rows.append(("controller RSS, %d idle agents" % large[-1], "%.1f MiB" % (rss / 1024),
                         "+%.1f KiB/agent" % ((rss - baseline) / large[-1])))
            cpu_before = bench.controller_cpu_seconds()
            time.sleep(args.idle_seconds)
            cpu = bench.controller_cpu_seconds() - cpu_before
            rows.append(("controller CPU, %d idle agents (heartbeats)" % large[-1],
                         "%.2f %% of a core" % (100 * cpu / args.idle_seconds), "over %.0f s" % args.idle_seconds))
            for size in large:
                target = "half=a" if size == half else "big=yes"
                measure_fanout(bench, rows, target, size, args.iterations)
            if args.storm:
                measure_reconnect_storm(bench, rows, large[-1])
            for process in [p for p in bench.processes if p is not bench.controller]:
                bench.stop(process)
            bench.wait_online(0, timeout=300)
        if args.real_agents > 0:
            policy = os.path.join(root, "agent-policy.yaml")
            shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packaging", "config", "agent.yaml"), policy)
            os.chmod(policy, 0o600)
            measure_real_agent(bench, rows, args, policy)
        if args.history_runs > 0:
            measure_history(bench, rows, args)
        if args.salt:
            bench.stop_all()  # nothing of Steward's runs while Salt is measured
            measure_salt(bench, rows, args)
    except Exception:
        print("benchmark failed; logs in " + root, file=sys.stderr)
        print("--- controller log ---\n" + bench.log_tail(bench.controller_log), file=sys.stderr)
        for name in sorted(os.listdir(root)):
            if (name.startswith("fleet-") or name.startswith("agent-")) and name.endswith(".log"):
                print("--- %s ---\n%s" % (name, bench.log_tail(name)), file=sys.stderr)
        bench.stop_all()
        raise
    bench.stop_all()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)

    print("Steward benchmark: %s, %d cores, binaries %s"
          % (os.uname().release, os.cpu_count() or 0, args.bin_dir))
    width = max(len(row[0]) for row in rows)
    print("| %s | %-18s | %-18s |" % ("measure".ljust(width), "value", "spread / per agent"))
    print("|%s|%s|%s|" % ("-" * (width + 2), "-" * 20, "-" * 20))
    for name, value, extra in rows:
        print("| %s | %-18s | %-18s |" % (name.ljust(width), value, extra))


if __name__ == "__main__":
    main()
