#!/usr/bin/env python3
"""Salt peer benchmark: one salt-master and N salt-minions on 127.0.0.1, fan-out latency and memory.

Runs the Salt that scripts/install-salt.sh puts in .build-salt-venv with Salt's defaults: ZeroMQ
transport, 5 master workers, minions forking a process per job (`multiprocessing: True`, the setting
behind the main figures in shared/notes/peer-benchmarks.md) under their keep-alive parent. The one
change, `enable_fqdns_grains: False`, only shortens minion start-up (no reverse DNS look-ups).
Everything lives in a scratch directory under /dev/shm: one root_dir (config, pki, cache, sockets,
logs) per daemon. The master auto-accepts keys and listens on two free loopback ports.

Latency is timed inside a child Python run by the venv's interpreter with
`salt.client.LocalClient(mopts=...)`, so no CLI start-up is counted: the wall clock around one
`LocalClient.cmd('*', ...)`, which returns once every accepted minion has returned. Each function
gets one untimed warm-up run, then --iterations timed runs; a run in which any minion did not
answer fails the benchmark. RSS is read from /proc after the timed runs: the master's whole process
tree, and each minion's (keep-alive parent plus minion process; the minion process alone, the
notes' per-minion figure, is logged too).

Every process started is killed on the way out (SIGTERM, then SIGKILL), on errors and Ctrl-C too.
Python 3 standard library only.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILE_LIMIT = 65536
TAG_VARIABLE = "SALT_BENCH_SCRATCH"  # set in every child's environment; the final sweep looks for it

# Runs under the venv's Python. argv: master config file, minion count, iterations, job timeout,
# wait deadline (seconds). Progress goes to stderr, one JSON object per result line to stdout.
CLIENT = r'''
import json, os, sys, time
import salt.client, salt.config, salt.exceptions

conf, count, iterations, job_timeout, wait_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
client = salt.client.LocalClient(mopts=salt.config.client_config(conf))
expected = ["m%03d" % i for i in range(count)]

def emit(**fields):
    print(json.dumps(fields), flush=True)

def run(fun, arg, timeout=job_timeout):  # an int: LocalClient swaps any other type for its default 5 s
    started = time.perf_counter()
    ret = client.cmd("*", fun, arg, timeout=timeout)
    return time.perf_counter() - started, ret

def good(fun, value):
    if fun == "test.ping":
        return value is True
    return isinstance(value, str) and "load average" in value

deadline = time.monotonic() + wait_seconds
attempt = 0
while True:
    attempt += 1
    try:
        _, ret = run("test.ping", [], timeout=10)  # a minion that missed this publish costs one timeout
        answered = sorted(k for k, v in ret.items() if v is True)
        print("salt_bench: ping %d: %d/%d minions answered" % (attempt, len(answered), count), file=sys.stderr, flush=True)
    except salt.exceptions.SaltClientError as error:  # the master's workers are still loading
        answered = []
        print("salt_bench: ping %d: %s" % (attempt, str(error)[:80]), file=sys.stderr, flush=True)
    if answered == expected:
        break
    if time.monotonic() > deadline:
        emit(kind="timeout", answered=answered, missing=sorted(set(expected) - set(answered)))
        sys.exit(2)
    time.sleep(2)
emit(kind="ready", attempts=attempt)

for fun, arg in (("test.ping", []), ("cmd.run", ["uptime"])):
    times = []
    for i in range(iterations + 1):
        seconds, ret = run(fun, arg)
        ok = sorted(k for k, v in ret.items() if good(fun, v))
        if ok != expected:
            bad = {k: repr(v)[:200] for k, v in ret.items() if not good(fun, v)}
            emit(kind="incomplete", fun=fun, run=i, returned=len(ok),
                 missing=sorted(set(expected) - set(ret)), bad=bad)
            sys.exit(3)
        if i > 0:
            times.append(seconds)
        print("salt_bench: %s %s %.1f ms" % (fun, "warm-up" if i == 0 else "run %d" % i, seconds * 1000),
              file=sys.stderr, flush=True)
    emit(kind="times", fun=fun, seconds=times)
client.destroy()
sys.stdout.flush()
os._exit(0)  # interpreter teardown makes salt's leftover request sockets log spurious timeouts
'''


class BenchError(Exception):
    pass


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def raise_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FILE_LIMIT if hard == resource.RLIM_INFINITY else min(FILE_LIMIT, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), max(hard, wanted)))
    except (ValueError, OSError):
        pass


def free_ports(count):
    """Bound together so they differ; closed just before the master binds them."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def proc_table():
    """pid -> (ppid, session id) for every live process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(name)] = (int(fields[1]), int(fields[3]))
    return table


def tree(root, table):
    """root and all its descendants that are alive."""
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tagged(pid, tag):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            return tag in f.read().split(b"\0")
    except OSError:
        return False


def tail(path, lines=25):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as error:
        return "(%s)\n" % error


class SaltBench:
    def __init__(self, venv, scratch, count, log_level):
        self.venv = venv
        self.scratch = scratch
        self.count = count
        self.log_level = log_level
        self.started = []  # Popen objects, each the leader of its own session
        self.tag = ("%s=%s" % (TAG_VARIABLE, scratch)).encode()
        self.env = dict(os.environ, **{TAG_VARIABLE: scratch})
        self.master = None
        self.minions = []
        self.publish_port, self.ret_port = free_ports(2)

    # configuration -------------------------------------------------------------------------
    def daemon_dir(self, name, kind, settings):
        """<scratch>/<name>/ holds the config (conf/<kind>) and, as root_dir, everything else."""
        root = os.path.join(self.scratch, name)
        os.makedirs(os.path.join(root, "conf"))
        base = {
            "root_dir": root,
            "pki_dir": os.path.join(root, "pki"),
            "cachedir": os.path.join(root, "cache"),
            "sock_dir": os.path.join(root, "sock"),
            "pidfile": os.path.join(root, kind + ".pid"),
            "log_file": os.path.join(root, kind + ".log"),
            "log_level_logfile": self.log_level,
            "log_level": "warning",
            "user": "root",
        }
        base.update(settings)
        path = os.path.join(root, "conf", kind)
        with open(path, "w") as f:
            for key, value in base.items():  # JSON scalars are valid YAML
                f.write("%s: %s\n" % (key, json.dumps(value)))
        return root, path

    def write_configs(self):
        root, self.master_conf = self.daemon_dir("master", "master", {
            "interface": "127.0.0.1",
            "publish_port": self.publish_port,
            "ret_port": self.ret_port,
            "auto_accept": True,
            "key_logfile": os.path.join(self.scratch, "master", "key.log"),
            "file_roots": {"base": [os.path.join(self.scratch, "master", "srv")]},
            "pillar_roots": {"base": [os.path.join(self.scratch, "master", "pillar")]},
        })
        self.master_root = root
        self.minion_roots = []
        for i in range(self.count):
            name = "m%03d" % i
            root, _ = self.daemon_dir(name, "minion", {
                "id": name,
                "master": "127.0.0.1",
                "master_port": self.ret_port,
                "publish_port": self.publish_port,
                # reverse lookups of every local address at start-up; nothing here to resolve
                "enable_fqdns_grains": False,
            })
            self.minion_roots.append(root)

    # processes -----------------------------------------------------------------------------
    def spawn(self, argv, output):
        with open(output, "ab") as out:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                       env=self.env, start_new_session=True)
        self.started.append(process)
        return process

    def start_master(self):
        self.master = self.spawn([os.path.join(self.venv, "bin", "salt-master"),
                                  "-c", os.path.join(self.master_root, "conf")],
                                 os.path.join(self.master_root, "console.log"))

    def start_minions(self):
        for root in self.minion_roots:
            self.minions.append(self.spawn([os.path.join(self.venv, "bin", "salt-minion"),
                                            "-c", os.path.join(root, "conf")],
                                           os.path.join(root, "console.log")))
            time.sleep(0.05)

    def check_alive(self):
        if self.master.poll() is not None:
            raise BenchError("salt-master exited with %s" % self.master.returncode)
        dead = [(os.path.basename(root), p.returncode)
                for root, p in zip(self.minion_roots, self.minions) if p.poll() is not None]
        if dead:
            raise BenchError("salt-minion exited: %s" % ", ".join("%s (%s)" % d for d in dead[:10]))

    def accepted_keys(self):
        try:
            return len(os.listdir(os.path.join(self.master_root, "pki", "minions")))
        except OSError:
            return 0

    def wait_for_keys(self, deadline):
        last = -1
        while True:
            self.check_alive()
            keys = self.accepted_keys()
            if keys != last:
                log("accepted minion keys: %d/%d" % (keys, self.count))
                last = keys
            if keys >= self.count:
                return
            if time.monotonic() > deadline:
                raise BenchError("only %d of %d minion keys accepted in time" % (keys, self.count))
            time.sleep(1)

    def run_client(self, iterations, job_timeout, deadline):
        """Waits for every minion to answer a ping, then times. Returns {fun: [seconds]}."""
        script = os.path.join(self.scratch, "client.py")
        with open(script, "w") as f:
            f.write(CLIENT)
        wait_seconds = max(1.0, deadline - time.monotonic())
        process = subprocess.Popen([os.path.join(self.venv, "bin", "python"), script, self.master_conf,
                                    str(self.count), str(iterations), str(job_timeout), str(wait_seconds)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=self.env,
                                   start_new_session=True)
        self.started.append(process)
        results = {}
        ready_at = None
        for line in process.stdout:
            message = json.loads(line)
            kind = message.pop("kind")
            if kind == "ready":
                ready_at = time.monotonic()
                log("all %d minions answered test.ping (after %d pings)" % (self.count, message["attempts"]))
            elif kind == "times":
                results[message["fun"]] = message["seconds"]
            elif kind == "timeout":
                raise BenchError("not every minion answered test.ping in time; missing: %s"
                                 % ", ".join(message["missing"][:20]))
            else:
                raise BenchError("%s run %d: %d/%d minions returned; missing %s; bad %s" % (
                    message["fun"], message["run"], message["returned"], self.count,
                    message["missing"][:20], json.dumps(message["bad"])[:1000]))
        if process.wait() != 0 or len(results) != 2:
            raise BenchError("client exited with %s" % process.returncode)
        return results, ready_at

    def rss(self):
        """MiB: master tree, all minion trees, minion trees without their keep-alive parents; master
        process count. Waits (up to 10 s) for the minions' forked job processes to be gone first."""
        end = time.monotonic() + 10
        while True:
            table = proc_table()
            if all(len(tree(p.pid, table)) <= 2 for p in self.minions) or time.monotonic() > end:
                break
            time.sleep(0.5)
        master = sum(rss_kib(pid) for pid in tree(self.master.pid, table)) / 1024.0
        minions = sum(rss_kib(pid) for p in self.minions for pid in tree(p.pid, table)) / 1024.0
        keepalive = sum(rss_kib(p.pid) for p in self.minions) / 1024.0
        return master, minions, minions - keepalive, len(tree(self.master.pid, table))

    def print_log_tails(self):
        """The master's and the first three minions' logs (more with --log-level info --keep)."""
        for root, kind in [(self.master_root, "master")] + [(r, "minion") for r in self.minion_roots[:3]]:
            for name in ("console.log", kind + ".log"):
                path = os.path.join(root, name)
                if os.path.exists(path) and os.path.getsize(path):
                    sys.stderr.write("---- tail of %s\n%s" % (path, tail(path)))
                else:
                    sys.stderr.write("---- %s: empty or missing\n" % path)

    def stop(self):
        """SIGTERM every session we started, then SIGKILL whatever is left of them."""
        sessions = {p.pid for p in self.started}

        def ours():
            table = proc_table()
            me = os.getpid()
            return [pid for pid, (_, sid) in table.items()
                    if pid != me and (sid in sessions or tagged(pid, self.tag))]

        for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            pids = ours()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            end = time.monotonic() + grace
            while time.monotonic() < end:
                for p in self.started:
                    p.poll()  # reap
                if not ours():
                    break
                time.sleep(0.2)
        for p in self.started:
            try:
                p.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        left = ours()
        if left:
            log("WARNING: processes still alive after SIGKILL: %s" % left)


STARTED = time.monotonic()


def log(message):
    print("salt_bench: %6.1f s %s" % (time.monotonic() - STARTED, message), file=sys.stderr, flush=True)


def on_signal(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minions", type=int, required=True)
    parser.add_argument("--iterations", type=int, required=True, help="timed runs per function")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (configs, logs)")
    parser.add_argument("--venv", default=os.environ.get("STEWARD_SALT_VENV", os.path.join(REPO, ".build-salt-venv")))
    parser.add_argument("--start-timeout", type=float, default=None,
                        help="seconds for all minions to answer test.ping (default 120 + 4 per minion)")
    parser.add_argument("--job-timeout", type=int, default=60,
                        help="LocalClient.cmd timeout per run, seconds; a run returns as soon as all minions have")
    parser.add_argument("--log-level", default="warning", help="daemons' log file level")
    args = parser.parse_args()
    if args.minions < 1 or args.iterations < 1:
        parser.error("--minions and --iterations must be at least 1")
    for script in ("salt-master", "salt-minion", "python"):
        if not os.access(os.path.join(args.venv, "bin", script), os.X_OK):
            parser.error("%s/bin/%s missing: run scripts/install-salt.sh" % (args.venv, script))
    start_timeout = args.start_timeout if args.start_timeout is not None else 120 + 4 * args.minions

    raise_file_limit()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too: `cmd &` starts with it ignored
        signal.signal(sig, on_signal)
    scratch = tempfile.mkdtemp(prefix="salt-bench-", dir="/dev/shm")
    bench = SaltBench(args.venv, scratch, args.minions, args.log_level)
    status = 1
    began = time.monotonic()
    try:
        bench.write_configs()
        log("scratch %s; master on 127.0.0.1 publish_port %d ret_port %d; %d minions (multiprocessing: True)"
            % (scratch, bench.publish_port, bench.ret_port, args.minions))
        log("load average %.1f on %d cores" % (os.getloadavg()[0], os.cpu_count()))
        deadline = time.monotonic() + start_timeout
        bench.start_master()
        bench.start_minions()
        bench.wait_for_keys(deadline)
        results, ready_at = bench.run_client(args.iterations, args.job_timeout, deadline)
        log("start-up to all answering: %.1f s" % (ready_at - began))
        master_mib, minions_mib, workers_mib, master_processes = bench.rss()
        log("master: %d processes; minion process alone (without its keep-alive parent): %.1f MiB each; "
            "load average %.1f" % (master_processes, workers_mib / args.minions, os.getloadavg()[0]))
        for fun in ("test.ping", "cmd.run"):
            times = results[fun]
            print("SALT %s N=%d p50_ms=%.1f p99_ms=%.1f runs=%d" % (
                fun, args.minions, percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000, len(times)))
        print("SALT rss_mib master=%.1f minions=%.1f per_minion=%.1f" % (
            master_mib, minions_mib, minions_mib / args.minions))
        sys.stdout.flush()
        status = 0
    except BenchError as error:
        log("FAILED: %s" % error)
        bench.print_log_tails()
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        bench.stop()
        if args.keep:
            log("kept %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
        log("total %.1f s" % (time.monotonic() - began))
    sys.exit(status)


if __name__ == "__main__":
    main()
