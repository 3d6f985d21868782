#!/usr/bin/env python3
"""Side-by-side benchmark of vigil-server and redis-server.

For each pipeline depth (-P 1 and -P 16) and each round, both servers are
started fresh on loopback, pinned to CPU 0 (redis-benchmark to CPU 1), and
the same redis-benchmark workload runs against each in alternation
(interleaved rounds, so drifts of the machine hit both). Per test it prints
requests/s of each, the throughput ratio (vigil / redis, higher is better),
and the server CPU time per request from /proc/PID/task/*/schedstat (ns on
CPU, lower is better) with its ratio. Medians over rounds.

--memory loads 1,000,000 keys with 100-byte values into each (redis-cli
--pipe) and reports RSS beside each other.
"""
import argparse
import glob
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

TESTS = "set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100,mset"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_ns(pid):
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            total += int(open(path).read().split()[0])
        except (OSError, ValueError):
            pass
    return total


def rss_bytes(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Server:
    def __init__(self, kind, binary):
        self.kind = kind
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix=f"bench-{kind}-")
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", self.dir]
        if kind == "redis":
            args += ["--appendonly", "no"]
        self.proc = subprocess.Popen(["taskset", "-c", "0"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"{kind} did not start")

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def run_benchmark(server, tests, requests, clients, pipeline):
    """Runs redis-benchmark once per test; returns {test: (rps, cpu_ns_per_request)}."""
    results = {}
    for test in tests.split(","):
        before = cpu_ns(server.proc.pid)
        out = subprocess.run(["taskset", "-c", "1", "redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port),
                              "-t", test, "-n", str(requests), "-c", str(clients), "-P", str(pipeline),
                              "-r", "100000", "--csv", "-q"], capture_output=True, text=True, check=True).stdout
        after = cpu_ns(server.proc.pid)
        for line in out.strip().splitlines():
            cells = [c.strip('"') for c in line.split(",")]
            if cells[0] == "test" or len(cells) < 2:
                continue
            if "needed to benchmark" in cells[0]:
                continue  # LRANGE tests fill the list first; its CPU counts towards the LRANGE row
            name = cells[0].split(" ")[0].lower()
            results[name] = (float(cells[1]), (after - before) / requests)
    return results


def bench(args):
    for pipeline in (1, 16):
        samples = {"vigil": [], "redis": []}
        for round_ in range(args.rounds):
            for kind in (("vigil", "redis") if round_ % 2 == 0 else ("redis", "vigil")):
                server = Server(kind, args.vigil if kind == "vigil" else args.redis)
                try:
                    samples[kind].append(run_benchmark(server, args.tests, args.requests, args.clients, pipeline))
                finally:
                    server.stop()
        print(f"\nredis-benchmark -c {args.clients} -P {pipeline} -n {args.requests}, {args.rounds} interleaved rounds, medians")
        print(f"{'test':<12} {'vigil rps':>12} {'redis rps':>12} {'ratio':>6}   {'vigil ns/req':>12} {'redis ns/req':>12} {'ratio':>6}")
        for test in samples["vigil"][0]:
            v_rps = statistics.median(s[test][0] for s in samples["vigil"])
            r_rps = statistics.median(s[test][0] for s in samples["redis"])
            v_cpu = statistics.median(s[test][1] for s in samples["vigil"])
            r_cpu = statistics.median(s[test][1] for s in samples["redis"])
            print(f"{test:<12} {v_rps:>12.0f} {r_rps:>12.0f} {v_rps / r_rps:>6.2f}   {v_cpu:>12.0f} {r_cpu:>12.0f} {v_cpu / r_cpu:>6.2f}")


def memory(args):
    path = os.path.join(tempfile.mkdtemp(prefix="bench-mem-"), "load.resp")
    value = "v" * 100
    with open(path, "w") as f:
        for i in range(args.keys):
            key = f"key:{i:012d}"
            f.write(f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n$100\r\n{value}\r\n")
    print(f"\nmemory: {args.keys} keys, 100-byte values (loaded with redis-cli --pipe)")
    rows = {}
    for kind in ("vigil", "redis"):
        server = Server(kind, args.vigil if kind == "vigil" else args.redis)
        try:
            base = rss_bytes(server.proc.pid)
            with open(path, "rb") as f:
                subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], stdin=f, check=True, capture_output=True)
            time.sleep(0.5)
            rows[kind] = (base, rss_bytes(server.proc.pid))
        finally:
            server.stop()
    for kind, (base, rss) in rows.items():
        print(f"{kind:<6} RSS {rss / 2**20:8.1f} MiB  ({(rss - base) / args.keys:6.1f} bytes/key over the empty server)")
    print(f"ratio vigil/redis RSS: {rows['vigil'][1] / rows['redis'][1]:.2f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vigil", required=True)
    p.add_argument("--redis", default=shutil.which("redis-server") or "redis-server")
    p.add_argument("--tests", default=TESTS)
    p.add_argument("--requests", type=int, default=200000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--keys", type=int, default=1_000_000)
    p.add_argument("--memory", action="store_true", help="also measure RSS after loading --keys keys")
    p.add_argument("--memory-only", action="store_true")
    args = p.parse_args()
    if not args.memory_only:
        bench(args)
    if args.memory or args.memory_only:
        memory(args)


if __name__ == "__main__":
    main()
