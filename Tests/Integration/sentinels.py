"""Sentinel test helpers: data nodes (Vigil or real redis-server), sentinels
(Vigil or real redis-sentinel), a `Cluster` builder wiring them together, and
a `FakeSentinel` (a small RESP server that announces itself with hellos and
answers is-master-down-by-addr however a test wants).

Every process listens on 127.0.0.1 in its own temporary directory. Vigil
processes start with `--port 0` and report their port in the log line
`Running mode=…, port=N`; real Redis processes cannot listen on port 0 (it
means "no TCP"), so they get a port probed free just before they start.
Restarts reuse the port and the config file. Everything a `Cluster` starts
is SIGKILLed by `Cluster.close()`; `stop_all()` kills every process this
module started and removes their directories (the `sentinel_cluster`
fixture calls both).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import redis

from vigil import binary, wait_until

MASTER = "mymaster"
DOWN_AFTER_MS = 1000
FAILOVER_TIMEOUT_MS = 10000
RUNNING_LINE = re.compile(rb"Running mode=(\w+), port=(\d+)")
# `pid:X 25 Nov 2026 00:57:15.050 # +monitor master mymaster 127.0.0.1 6379 quorum 2`
LOG_EVENT = re.compile(r"^\d+:\w \d+ \w+ \d+ [\d:.]+ [.\-*#] ([+\-][\w-]+) ?(.*)$")

HAVE_REDIS = shutil.which("redis-server") is not None
HAVE_REDIS_SENTINEL = shutil.which("redis-sentinel") is not None


def free_port():
    """A TCP port nobody listens on right now (for real Redis processes)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pairs(reply):
    """A flat [k1, v1, k2, v2 …] reply (or a dict) as a dict of str."""
    if isinstance(reply, dict):
        return {str(k): v for k, v in reply.items()}
    it = iter(reply)
    return {str(k): v for k, v in zip(it, it)}


# Every process this module started, so a test can stop them all even when a
# constructor failed half way (`stop_all`).
LIVE = []


def stop_all():
    """SIGKILLs every process started through this module and removes its
    directory (kept when VIGIL_KEEP_TEST_DIRS is set)."""
    while LIVE:
        p = LIVE.pop()
        p.resume()
        p.kill()
        if not os.environ.get("VIGIL_KEEP_TEST_DIRS"):
            shutil.rmtree(p.workdir, ignore_errors=True)


def first_start_on_a_free_port(process, attempts=5):
    """Starts a real Redis process on a probed free port, probing again if
    someone took the port meanwhile (the process then exits at once)."""
    for attempt in range(attempts):
        process.port = free_port()
        process._write_config()
        try:
            return process.start()
        except RuntimeError:
            process.kill()
            if attempt == attempts - 1 or "Address already in use" not in process.output():
                raise


class Process:
    """A child process logging to a file in `workdir`; restartable."""

    kind = "?"

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc = None
        self.log = None
        self.log_path = None
        self.starts = 0
        self.port = None

    def _spawn(self, cmd):
        if self.starts == 0:
            LIVE.append(self)
        self.starts += 1
        self.log_path = os.path.join(self.workdir, f"stdout.{self.starts}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)

    def output(self, all_runs=False):
        runs = range(1, self.starts + 1) if all_runs else [self.starts]
        text = ""
        for i in runs:
            path = os.path.join(self.workdir, f"stdout.{i}.log")
            if os.path.exists(path):
                text += open(path, "rb").read().decode("utf-8", "replace")
        return text

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _check_alive(self):
        if not self.alive():
            raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}: {self.output()[-3000:]}")

    def _read_running_port(self):
        self._check_alive()
        m = RUNNING_LINE.search(open(self.log_path, "rb").read())
        return int(m.group(2)) if m else None

    def kill(self):
        """SIGKILL (a crash), then reap."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        if self.log is not None:
            self.log.close()
            self.log = None

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.alive():
            self.proc.send_signal(signal.SIGCONT)

    def client(self, **kw):
        kw.setdefault("protocol", 2)
        kw.setdefault("decode_responses", True)
        kw.setdefault("socket_timeout", 5)
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    @property
    def address(self):
        return ("127.0.0.1", self.port)


class DataNode(Process):
    """A vigil-server or a real redis-server with a config file `node.conf`."""

    def __init__(self, kind="vigil", extra_config="", password=None):
        assert kind in ("vigil", "redis")
        super().__init__(tempfile.mkdtemp(prefix=f"sentinel-{kind}-node-"))
        self.kind = kind
        self.password = password
        if password is not None:
            extra_config += f"requirepass {password}\nmasterauth {password}\n"
        self.config_path = os.path.join(self.workdir, "node.conf")
        lines = ["bind 127.0.0.1", f'dir "{self.workdir}"', 'save ""', "appendonly no",
                 "repl-diskless-sync-delay 0", "enable-debug-command yes"]
        if kind == "redis":
            lines += ["daemonize no", 'logfile ""', "protected-mode no"]
        self.config_text = "\n".join(lines) + "\n" + extra_config
        if kind == "vigil":
            self._write_config()
            self.start()
        else:
            first_start_on_a_free_port(self)

    def _write_config(self):
        with open(self.config_path, "w") as f:
            f.write(self.config_text + (f"port {self.port}\n" if self.kind == "redis" else ""))

    def start(self):
        """Starts (or restarts on the same port) with the same config file."""
        if self.kind == "vigil":
            self._spawn([binary("vigil-server"), self.config_path, "--port", str(self.port or 0)])
            self.port = wait_until(self._read_running_port, timeout=20, message="vigil-server to report its port")
        else:
            self._spawn(["redis-server", self.config_path])
        c = self.client(socket_timeout=1)
        try:
            wait_until(lambda: self._check_alive() or c.ping(), timeout=20, message=f"{self.kind} node to answer PING")
        finally:
            c.close()
        return self

    def client(self, **kw):
        if self.password is not None:
            kw.setdefault("password", self.password)
        return super().client(**kw)

    def info(self, section="replication"):
        c = self.client()
        try:
            return c.info(section)
        finally:
            c.close()

    def replicaof(self, master):
        c = self.client()
        try:
            c.execute_command("REPLICAOF", "127.0.0.1", master.port)
        finally:
            c.close()

    def follows(self, port):
        """True when this node is a replica of 127.0.0.1:port with its link up."""
        i = self.info()
        return (i.get("role") == "slave" and int(i.get("master_port", -1)) == port
                and i.get("master_link_status") == "up")


class Sentinel(Process):
    """A Vigil sentinel (`sentinel conf`, or `vigil-server conf --sentinel`)
    or a real redis-sentinel, monitoring MASTER."""

    def __init__(self, kind="vigil", master_port=None, quorum=2, down_after=DOWN_AFTER_MS,
                 failover_timeout=FAILOVER_TIMEOUT_MS, config_text=None, via_server=False, extra_lines=()):
        assert kind in ("vigil", "redis")
        super().__init__(tempfile.mkdtemp(prefix=f"sentinel-{kind}-"))
        self.kind = kind
        self.via_server = via_server
        self.config_path = os.path.join(self.workdir, "sentinel.conf")
        if config_text is None:
            lines = ["bind 127.0.0.1"]
            if kind == "redis":
                lines += [f'dir "{self.workdir}"', "daemonize no", 'logfile ""', "protected-mode no"]
            lines += [f"sentinel monitor {MASTER} 127.0.0.1 {master_port} {quorum}",
                      f"sentinel down-after-milliseconds {MASTER} {down_after}",
                      f"sentinel failover-timeout {MASTER} {failover_timeout}"]
            lines += list(extra_lines)
            config_text = "\n".join(lines) + "\n"
        self.config_text = config_text
        self._write_config()

    def _write_config(self):
        with open(self.config_path, "w") as f:
            f.write((f"port {self.port}\n" if self.kind == "redis" and self.port else "") + self.config_text)

    def first_start(self):
        """The first start: a real redis-sentinel gets a probed free port."""
        return first_start_on_a_free_port(self) if self.kind == "redis" else self.start()

    def command_line(self):
        if self.kind == "redis":
            return ["redis-sentinel", self.config_path]
        if self.via_server:
            return [binary("vigil-server"), self.config_path, "--sentinel", "--port", str(self.port or 0)]
        return [binary("sentinel"), self.config_path, "--port", str(self.port or 0)]

    def start(self):
        """Starts (or restarts on the same port with the same, rewritten, config file)."""
        self._spawn(self.command_line())
        if self.kind == "vigil":
            self.port = wait_until(self._read_running_port, timeout=20, message="sentinel to report its port")
        c = self.client(socket_timeout=1)
        try:
            wait_until(lambda: self._check_alive() or c.ping(), timeout=20, message=f"{self.kind} sentinel to answer PING")
        finally:
            c.close()
        return self

    def call(self, *args, timeout=5):
        c = self.client(socket_timeout=timeout)
        try:
            return c.execute_command(*args)
        finally:
            c.close()

    def myid(self):
        return self.call("SENTINEL", "MYID")

    def master(self):
        return pairs(self.call("SENTINEL", "MASTER", MASTER))

    def replicas(self):
        return [pairs(r) for r in self.call("SENTINEL", "REPLICAS", MASTER)]

    def sentinels(self):
        return [pairs(s) for s in self.call("SENTINEL", "SENTINELS", MASTER)]

    def master_addr(self):
        host, port = self.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)
        return (host, int(port))

    def debug(self, **timers):
        """SENTINEL DEBUG INFO-PERIOD 1000 … from info_period=1000 …"""
        args = []
        for name, value in timers.items():
            args += [name.replace("_", "-").upper(), str(value)]
        assert self.call("SENTINEL", "DEBUG", *args) in ("OK", b"OK", True)

    def events(self):
        """[(unix_ms or None, event, payload)], oldest first: SENTINEL EVENTS
        for a running Vigil sentinel, else the events in its logs (all runs)."""
        if self.kind == "vigil" and self.alive():
            return [(int(t), e, p) for t, _m, e, p in self.call("SENTINEL", "EVENTS", MASTER, 100000)]
        return self.log_events()

    def log_events(self):
        out = []
        for line in self.output(all_runs=True).splitlines():
            m = LOG_EVENT.match(line)
            if m:
                out.append((None, m.group(1), m.group(2)))
        return out

    def count(self, event):
        return sum(1 for _t, e, _p in self.events() if e == event)

    def config_lines(self):
        return open(self.config_path).read().splitlines()


def count_events(sentinels, event):
    """How many times `event` happened over all `sentinels`."""
    return sum(s.count(event) for s in sentinels)


class Cluster:
    """A master with replicas and sentinels watching it.

    node_kind: "vigil" or "redis" for every data node; sentinel_kinds: one
    kind per sentinel. Sentinels get SENTINEL DEBUG INFO-PERIOD 1000 (replica
    discovery and role checks every second) plus `debug` timers."""

    def __init__(self, replicas=2, sentinel_kinds=("vigil",) * 3, node_kind="vigil", quorum=2,
                 down_after=DOWN_AFTER_MS, failover_timeout=FAILOVER_TIMEOUT_MS, debug=None,
                 via_server=(), discover=True, password=None):
        self.password = password
        self.nodes = []
        self.sentinels = []
        self.closed = False
        self.quorum = quorum
        try:
            self.master = self.add_node(node_kind)
            for _ in range(replicas):
                self.add_node(node_kind).replicaof(self.master)
            wait_until(lambda: all(n.follows(self.master.port) for n in self.nodes[1:]), timeout=20,
                       message="replicas to sync")
            timers = {"info_period": 1000}
            timers.update(debug or {})
            for i, kind in enumerate(sentinel_kinds):
                auth = [f"sentinel auth-pass {MASTER} {password}"] if password is not None else []
                s = Sentinel(kind, self.master.port, quorum=quorum, down_after=down_after,
                             failover_timeout=failover_timeout, via_server=i in via_server, extra_lines=auth)
                self.sentinels.append(s)
                s.first_start()
                s.debug(**timers)
            if discover:
                self.wait_discovery()
        except BaseException:
            self.close()
            raise

    def add_node(self, kind="vigil"):
        n = DataNode(kind, password=self.password)
        self.nodes.append(n)
        return n

    def live_sentinels(self):
        return [s for s in self.sentinels if s.alive()]

    def node_at(self, port):
        return next(n for n in self.nodes if n.port == port)

    def wait_discovery(self, timeout=20):
        """Every sentinel sees every replica and every other sentinel."""
        want_replicas = len(self.nodes) - 1
        want_peers = len(self.sentinels) - 1

        def done():
            for s in self.sentinels:
                m = s.master()
                if int(m["num-slaves"]) != want_replicas or int(m["num-other-sentinels"]) != want_peers:
                    return False
            return True
        wait_until(done, timeout=timeout, interval=0.1, message="sentinels to discover replicas and each other")
        wait_until(self.hello_channels_ready, timeout=timeout, interval=0.05,
                   message="every sentinel to subscribe to the hello channel on every node")

    def hello_channels_ready(self):
        """Every live data node has every sentinel subscribed to `__sentinel__:hello`."""
        for n in self.nodes:
            if not n.alive():
                continue
            c = n.client()
            try:
                (_channel, subscribers), = c.pubsub_numsub("__sentinel__:hello")
            finally:
                c.close()
            if subscribers != len(self.sentinels):
                return False
        return True

    def master_addrs(self):
        """The set of master addresses the live sentinels report."""
        return {s.master_addr() for s in self.live_sentinels()}

    def wait_new_master(self, old_port, timeout=20):
        """Waits until every live sentinel reports the same master, not old_port; returns its node."""
        def agreed():
            addrs = self.master_addrs()
            if len(addrs) == 1:
                (_host, port), = addrs
                return port if port != old_port else None
            return None
        port = wait_until(agreed, timeout=timeout, interval=0.05, message="sentinels to agree on a new master")
        self.master = self.node_at(port)
        return self.master

    def wait_followers(self, master, nodes=None, timeout=20):
        nodes = [n for n in (nodes or self.nodes) if n is not master and n.alive()]
        wait_until(lambda: all(n.follows(master.port) for n in nodes), timeout=timeout, interval=0.05,
                   message=f"{len(nodes)} nodes to replicate from the new master")

    def redis_py_sentinel(self, **kw):
        """redis-py's Sentinel client over every sentinel (data-node password included)."""
        import redis.sentinel
        kw.setdefault("socket_timeout", 0.5)
        if self.password is not None:
            kw.setdefault("password", self.password)
        return redis.sentinel.Sentinel([s.address for s in self.sentinels], **kw)

    def close(self):
        if self.closed:
            return
        self.closed = True
        for p in self.sentinels + self.nodes:
            p.resume()
            p.kill()


# --- A fake sentinel --------------------------------------------------------

def resp_encode(value):
    """Python value → RESP2 bytes (int, str/bytes as bulk, list, None)."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return b":%d\r\n" % value
    if value is None:
        return b"$-1\r\n"
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"$%d\r\n%s\r\n" % (len(value), value)
    if isinstance(value, list):
        return b"*%d\r\n" % len(value) + b"".join(resp_encode(v) for v in value)
    raise TypeError(value)


class FakeSentinel:
    """A RESP server on 127.0.0.1 that pretends to be a sentinel.

    It announces itself every `hello_period` seconds with a valid hello
    (through the master and straight to `targets`), answers PING with PONG,
    PUBLISH with 1, INFO with a sentinel-ish text, and
    SENTINEL is-master-down-by-addr with `answer(args, n)` — raw bytes
    (garbage) or a Python value — where n counts the questions so far.
    Anything else gets +OK."""

    def __init__(self, master_port, answer, targets=(), run_id=None, epoch=0, hello_period=0.5):
        self.run_id = run_id or os.urandom(20).hex()
        self.master_port = master_port
        self.answer = answer
        self.targets = list(targets)
        self.epoch = epoch
        self.hello_period = hello_period
        self.questions = []
        self.stopping = threading.Event()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.threads = [threading.Thread(target=self._accept, daemon=True),
                        threading.Thread(target=self._hello_loop, daemon=True)]
        for t in self.threads:
            t.start()

    def hello(self):
        return (f"127.0.0.1,{self.port},{self.run_id},{self.epoch},{MASTER},"
                f"127.0.0.1,{self.master_port},0")

    def _hello_loop(self):
        while not self.stopping.is_set():
            for port in [self.master_port] + [t.port for t in self.targets]:
                try:
                    c = redis.Redis(host="127.0.0.1", port=port, socket_timeout=0.3, socket_connect_timeout=0.3)
                    c.publish("__sentinel__:hello", self.hello())
                    c.close()
                except redis.RedisError:
                    pass  # the master may be paused or dead: hellos to the sentinels still go out
            self.stopping.wait(self.hello_period)

    def _accept(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        conn.settimeout(0.2)
        buf = b""
        with conn:
            while not self.stopping.is_set():
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while True:
                    parsed = self._parse(buf)
                    if parsed is None:
                        break
                    args, buf = parsed
                    try:
                        conn.sendall(self._reply(args))
                    except OSError:
                        return

    @staticmethod
    def _parse(buf):
        """One multibulk command from buf → (args, rest), or None if incomplete."""
        if not buf.startswith(b"*"):
            end = buf.find(b"\r\n")
            return None if end < 0 else (buf[:end].split(), buf[end + 2:])
        end = buf.find(b"\r\n")
        if end < 0:
            return None
        count = int(buf[1:end])
        pos = end + 2
        args = []
        for _ in range(count):
            end = buf.find(b"\r\n", pos)
            if end < 0:
                return None
            size = int(buf[pos + 1:end])
            start = end + 2
            if len(buf) < start + size + 2:
                return None
            args.append(buf[start:start + size])
            pos = start + size + 2
        return args, buf[pos:]

    def _reply(self, args):
        words = [a.decode("utf-8", "replace") for a in args]
        name = words[0].lower() if words else ""
        if name == "ping":
            return b"+PONG\r\n"
        if name == "publish":
            return b":1\r\n"
        if name == "info":
            return resp_encode(f"# Server\r\nrun_id:{self.run_id}\r\n# Sentinel\r\nsentinel_masters:1\r\n")
        if name == "sentinel" and len(words) > 1 and words[1].lower() == "is-master-down-by-addr":
            self.questions.append(words)
            reply = self.answer(words, len(self.questions))
            return reply if isinstance(reply, bytes) else resp_encode(reply)
        return b"+OK\r\n"

    def close(self):
        self.stopping.set()
        self.listener.close()
        for t in self.threads:
            t.join(timeout=2)


def assert_never(bad, duration, interval=0.1, message="condition"):
    """Polls `bad` for `duration` seconds and fails as soon as it is true."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        value = bad()
        assert not value, f"{message}: {value!r}"
        time.sleep(interval)
