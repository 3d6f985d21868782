"""A seeded random write workload on a Vigil master with two Vigil replicas
that are disrupted while it runs; at the end both replicas hold exactly the
master's data set.

Writers (3 threads, raw RESP connections) cover every type, relative and
non-deterministic writes (INCRBYFLOAT, SPOP, served blocking pops, ...),
short and long TTLs, RENAME/DEL, MULTI/EXEC, SELECT over 3 databases and a
rare FLUSHDB. Meanwhile a disruptor thread:
  1. kills the replica links on the master (`CLIENT KILL TYPE replica`):
     both replicas must come back with a partial resync;
  2. detaches replica B (`REPLICAOF NO ONE`) and re-attaches it;
  3. SIGKILLs replica A and attaches a fresh process in its place.
Then writers stop, the keys whose short TTL has passed are expired on the
master (EXISTS over the finite key space), every replica's
`slave_repl_offset` must reach the master's `master_repl_offset`, and
`DEBUG DIGEST` plus a key-by-key dump (type, value, TTL present) of every
database must match the master's.

Invariants: bounded waits only (wait_until), every process is started through
the `nodes` fixture and killed at the end; the seed is printed and named in
every failure (`VIGIL_WORKLOAD_SEED=<n>` replays a writer sequence, thread
interleaving aside).
"""
import os
import random
import threading
import time

from rawresp import Raw
from vigil import wait_until

DATABASES = 3
OPS_PER_WRITER = 900
WRITERS = 3
PREFIXES = ("k", "l", "h", "s", "z", "x")  # x: any type, target of RENAME/stores
NAMES = [f"{p}:{i}" for p in PREFIXES for i in range(8)]
SHORT_TTL_MS = (30, 700)
LONG_TTL_S = (2000, 9000)


def info(c, section="replication"):
    return c.info(section)


def link_up(c):
    i = info(c)
    return i.get("master_link_status") == "up" and i.get("master_sync_in_progress", 0) == 0


class Writer:
    """One client thread issuing a seeded random command sequence."""

    def __init__(self, node, rng, budget, state):
        self.raw = Raw(node)
        self.rng = rng
        self.budget = budget
        self.state = state
        self.errors = []

    def key(self, prefix=None):
        p = prefix or self.rng.choice(PREFIXES)
        return f"{p}:{self.rng.randrange(8)}"

    def num(self):
        return str(self.rng.randrange(-50, 100))

    def flt(self):
        return repr(round(self.rng.uniform(-10, 10), self.rng.randrange(0, 4)))

    def member(self):
        return f"m{self.rng.randrange(12)}"

    def command(self):
        """A random write (or blocking pop) as an argument list."""
        r = self.rng
        k = self.key
        choices = [
            lambda: ["SET", k("k"), f"v{r.randrange(1000)}"],
            lambda: ["SET", k("k"), "x" * r.randrange(1, 300), "PX", r.randrange(*SHORT_TTL_MS)],
            lambda: ["SET", k("k"), self.num(), "EX", r.randrange(*LONG_TTL_S)],
            lambda: ["INCR", k("k")],
            lambda: ["INCRBY", k("k"), self.num()],
            lambda: ["INCRBYFLOAT", k("k"), self.flt()],
            lambda: ["APPEND", k("k"), f"a{r.randrange(100)}"],
            lambda: ["SETRANGE", k("k"), r.randrange(0, 40), f"r{r.randrange(100)}"],
            lambda: ["GETDEL", k("k")],
            lambda: ["LPUSH", k("l"), *[f"e{r.randrange(50)}" for _ in range(r.randrange(1, 5))]],
            lambda: ["RPUSH", k("l"), *[f"e{r.randrange(50)}" for _ in range(r.randrange(1, 5))]],
            lambda: ["RPOP", k("l")],
            lambda: ["LPOP", k("l"), r.randrange(1, 3)],
            lambda: ["LMOVE", k("l"), k("l"), r.choice(["LEFT", "RIGHT"]), r.choice(["LEFT", "RIGHT"])],
            lambda: ["LTRIM", k("l"), r.randrange(0, 3), r.randrange(-3, 20)],
            lambda: ["LSET", k("l"), 0, f"set{r.randrange(10)}"],
            lambda: ["BLPOP", k("l"), k("l"), "0.03"],
            lambda: ["BRPOP", k("l"), "0.03"],
            lambda: ["BLMOVE", k("l"), k("l"), "RIGHT", "LEFT", "0.03"],
            lambda: ["HSET", k("h"), f"f{r.randrange(10)}", f"v{r.randrange(100)}", f"f{r.randrange(10)}", self.num()],
            lambda: ["HINCRBY", k("h"), f"f{r.randrange(10)}", self.num()],
            lambda: ["HINCRBYFLOAT", k("h"), f"f{r.randrange(10)}", self.flt()],
            lambda: ["HDEL", k("h"), f"f{r.randrange(10)}", f"f{r.randrange(10)}"],
            lambda: ["SADD", k("s"), *[self.member() for _ in range(r.randrange(1, 6))]],
            lambda: ["SREM", k("s"), self.member()],
            lambda: ["SPOP", k("s")],
            lambda: ["SPOP", k("s"), r.randrange(1, 4)],
            lambda: ["SMOVE", k("s"), k("s"), self.member()],
            lambda: ["SINTERSTORE", k("x"), k("s"), k("s")],
            lambda: ["SUNIONSTORE", k("s"), k("s"), k("s")],
            lambda: ["ZADD", k("z"), self.flt(), self.member(), r.randrange(100), self.member()],
            lambda: ["ZINCRBY", k("z"), self.flt(), self.member()],
            lambda: ["ZPOPMIN", k("z")],
            lambda: ["ZPOPMAX", k("z"), r.randrange(1, 3)],
            lambda: ["ZREM", k("z"), self.member()],
            lambda: ["ZUNIONSTORE", k("x"), 2, k("z"), k("z"), "WEIGHTS", 1, 2],
            lambda: ["ZINTERSTORE", k("z"), 2, k("z"), k("z")],
            lambda: ["BZPOPMIN", k("z"), "0.03"],
            lambda: ["EXPIRE", k(), r.randrange(*LONG_TTL_S)],
            lambda: ["PEXPIRE", k(), r.randrange(*SHORT_TTL_MS)],
            lambda: ["PERSIST", k()],
            lambda: ["DEL", k(), k()],
            lambda: ["UNLINK", k()],
            lambda: ["RENAME", k(), k("x")],
            lambda: ["COPY", k(), k("x"), "REPLACE"],
        ]
        return r.choice(choices)()

    def step(self):
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            self.raw.call("SELECT", r.randrange(DATABASES))
        elif roll < 0.15:
            self.raw.call("MULTI")
            for _ in range(r.randrange(1, 5)):
                if r.random() < 0.2:
                    self.raw.call("SELECT", r.randrange(DATABASES))
                else:
                    cmd = self.command()
                    if cmd[0].startswith("B"):  # blocking pops inside MULTI never block
                        cmd = ["RPOP", cmd[1]]
                    self.raw.call(*cmd)
            self.raw.call("EXEC")
        elif roll < 0.152:
            self.raw.call("FLUSHDB")
        else:
            self.raw.call(*self.command())

    def run(self):
        done = 0
        deadline = time.monotonic() + 25
        try:
            while time.monotonic() < deadline and done < 4 * self.budget:
                if done >= self.budget and self.state["disruptions_done"].is_set():
                    break
                self.step()
                done += 1
                with self.state["lock"]:
                    self.state["ops"] += 1
        except Exception as e:  # reported by the test, with the seed
            self.errors.append(repr(e))
        finally:
            self.raw.close()


def dump(c):
    """Every key of every database: type, value, TTL present."""
    out = {}
    for db in range(DATABASES):
        c.execute_command("SELECT", db)
        for k in c.keys("*"):
            t = c.type(k)
            v = {b"string": lambda: c.get(k), b"list": lambda: c.lrange(k, 0, -1),
                 b"set": lambda: sorted(c.smembers(k)), b"hash": lambda: sorted(c.hgetall(k).items()),
                 b"zset": lambda: c.zrange(k, 0, -1, withscores=True)}.get(t, lambda: None)()
            out[(db, k)] = (t, v, c.pttl(k) > 0)
    c.execute_command("SELECT", 0)
    return out


def expire_passed_short_ttls(m):
    """Touches every possible key so the master deletes (and propagates) those
    whose short TTL has passed; true when no short TTL is left."""
    short_left = False
    for db in range(DATABASES):
        m.execute_command("SELECT", db)
        for name in NAMES:
            m.exists(name)
            ttl = m.pttl(name)
            if 0 < ttl <= SHORT_TTL_MS[1]:
                short_left = True
    m.execute_command("SELECT", 0)
    return not short_left


def test_replicas_converge_on_the_master_under_a_random_workload_and_disruptions(nodes):
    seed = int(os.environ.get("VIGIL_WORKLOAD_SEED", random.randrange(1 << 30)))
    print(f"workload seed: {seed} (replay with VIGIL_WORKLOAD_SEED={seed})")
    master = nodes("--repl-diskless-sync-delay", "0")
    m = master.client()
    replicas = {"A": nodes(), "B": nodes()}
    every_replica = list(replicas.values())  # including the SIGKILLed one, for its log
    for n in replicas.values():
        assert n.client().execute_command("REPLICAOF", "127.0.0.1", master.port) in (True, b"OK")
    for name, n in replicas.items():
        wait_until(lambda: link_up(n.client()), timeout=20, message=f"replica {name} link up (seed {seed})")

    state = {"lock": threading.Lock(), "ops": 0, "disruptions_done": threading.Event()}
    total = OPS_PER_WRITER * WRITERS
    writers = [Writer(master, random.Random(seed * 31 + i), OPS_PER_WRITER, state) for i in range(WRITERS)]
    disruption_errors = []

    def wait_ops(fraction):
        wait_until(lambda: state["ops"] >= total * fraction, timeout=20, message=f"{fraction:.0%} of the workload")

    def disrupt():
        try:
            wait_ops(0.2)
            partial_before = info(m, "stats")["sync_partial_ok"]
            m.execute_command("CLIENT", "KILL", "TYPE", "replica")
            for name, n in replicas.items():
                wait_until(lambda: link_up(n.client()), timeout=20, message=f"replica {name} back after CLIENT KILL")
            assert info(m, "stats")["sync_partial_ok"] >= partial_before + 2, \
                f"replicas did not resync partially after CLIENT KILL: {info(m, 'stats')}"

            wait_ops(0.45)
            b = replicas["B"].client()
            assert b.execute_command("REPLICAOF", "NO", "ONE") in (True, b"OK")
            wait_until(lambda: info(b)["role"] == "master", timeout=5, message="B promoted")
            time.sleep(0.05)  # let the master write a little while B is detached
            assert b.execute_command("REPLICAOF", "127.0.0.1", master.port) in (True, b"OK")
            wait_until(lambda: link_up(b), timeout=20, message="replica B re-attached")

            wait_ops(0.7)
            replicas["A"].stop()  # SIGKILL
            fresh = nodes()
            replicas["A"] = fresh
            every_replica.append(fresh)
            assert fresh.client().execute_command("REPLICAOF", "127.0.0.1", master.port) in (True, b"OK")
            wait_until(lambda: link_up(fresh.client()), timeout=20, message="restarted replica A attached")
        except Exception as e:
            disruption_errors.append(repr(e))
        finally:
            state["disruptions_done"].set()

    threads = [threading.Thread(target=w.run, daemon=True) for w in writers]
    threads.append(threading.Thread(target=disrupt, daemon=True))
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=40)
    assert not any(t.is_alive() for t in threads), f"workload threads did not finish (seed {seed})"
    print(f"workload ran {time.monotonic() - started:.1f} s")
    errors = [e for w in writers for e in w.errors] + disruption_errors
    assert not errors, f"seed {seed}: {errors}"
    assert master.proc.poll() is None, f"master died (seed {seed}):\n{master.output()[-3000:]}"

    wait_until(lambda: expire_passed_short_ttls(m), timeout=10, message=f"short TTLs to pass (seed {seed})")
    for name, n in replicas.items():
        c = n.client()
        wait_until(lambda: link_up(c), timeout=20, message=f"replica {name} link up at the end (seed {seed})")
        wait_until(lambda: info(c).get("slave_repl_offset") == info(m)["master_repl_offset"], timeout=20,
                   message=f"replica {name} offset to reach the master's (seed {seed})")

    master_digest = m.execute_command("DEBUG", "DIGEST")
    master_dump = dump(m)
    assert master_dump, f"the workload left no keys at all (seed {seed})"
    print(f"{state['ops']} operations, {len(master_dump)} keys at the end, master stats: "
          f"{ {k: v for k, v in info(m, 'stats').items() if k.startswith('sync_')} }")
    for name, n in replicas.items():
        c = n.client()
        replica_dump = dump(c)
        diff = {k: (master_dump.get(k), replica_dump.get(k)) for k in set(master_dump) | set(replica_dump)
                if master_dump.get(k) != replica_dump.get(k)}
        assert not diff, f"replica {name} differs from the master (seed {seed}): {list(diff.items())[:10]}"
        assert c.execute_command("DEBUG", "DIGEST") == master_digest, f"replica {name} digest differs (seed {seed})"

    for n in every_replica:
        dropped = [line for line in n.output().splitlines() if "Protocol error" in line]
        assert not dropped, f"a replica dropped its master link on a protocol error (seed {seed}): {dropped[:3]}"
