"""Differential test: the same random command streams go to vigil-server and
to a real redis-server 7.0, and the raw replies must match byte for byte, in
RESP2 and RESP3.

Covered: strings (SET options, INCR family, INCRBYFLOAT formatting,
GETRANGE/SETRANGE, APPEND, LCS …), generic keys (EXISTS … COPY/MOVE, the
EXPIRE family with NX/XX/GT/LT, TTLs, OBJECT, SCAN/KEYS), lists (every
command; blocking ones with data, with a short timeout, and blocked then
served by a second client's push), hashes (including one past the listpack
size), a few set/sorted-set commands (cross-type errors, intset order, SSCAN,
ZSCAN), MULTI/EXEC/DISCARD/WATCH (with a second client touching watched
keys), SELECT/SWAPDB/FLUSHDB, and wrong types, wrong arities and bad numbers.
Each seed ends by comparing the whole keyspace of databases 0-2.

Where Redis itself is not deterministic the comparison is looser, never
skipped: TTLs allow a little clock skew, random picks (RANDOMKEY,
HRANDFIELD, SRANDMEMBER, SPOP) compare by shape, SCAN compares the set of
keys of a full iteration (cursors may differ), KEYS compares sorted, and
whole-hash/set replies compare unordered only when Redis itself holds the
value as a hash table (its order is then Redis's private hash order).

Known differences, accepted on purpose (see the comments where they are):
OBJECT ENCODING/REFCOUNT where Redis remembers how a value was made
(COMPACTED_ENCODINGS); HRANDFIELD with a huge negative count is never sent
to a hash (Redis 7.0 tries to build the reply and hangs); SET with a past
EXAT/PXAT is not generated (the key lingers until Redis's timing-dependent
active expiry, which DBSIZE sees); and PENDING_DISPATCH_FIXES below.

Replies are read from raw sockets with the tiny RESP reader below, so no
client library normalises away a byte difference. A mismatch prints the seed,
protocol, the last commands sent and both replies; re-run one seed with
VIGIL_DIFF_SEEDS=N VIGIL_DIFF_FIRST_SEED=S. Needs redis-server on PATH
(scripts/test installs it)."""
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from vigil import wait_until

FIRST_SEED = int(os.environ.get("VIGIL_DIFF_FIRST_SEED", "0"))
SEED_COUNT = int(os.environ.get("VIGIL_DIFF_SEEDS", "60"))         # about 0.35 s each
STEPS = int(os.environ.get("VIGIL_DIFF_STEPS", "160"))              # commands (or macros) per seed
BLOCKED_POP_RATE = float(os.environ.get("VIGIL_DIFF_BLOCKED_RATE", "0.01"))
HISTORY_SHOWN = int(os.environ.get("VIGIL_DIFF_HISTORY", "15"))     # commands printed before a mismatch
SEEDS = range(FIRST_SEED, FIRST_SEED + SEED_COUNT)

# Differences that need a change in Vigil's dispatch core (Sources/Node/Dispatch.swift)
# are not generated while this is True: (1) the "unknown command" error text counts
# its 128-byte budget over the quoted arguments only, as Redis does, and quotes
# arguments as raw bytes up to a NUL (not as lossy UTF-8); (2) container
# commands (OBJECT, CONFIG, CLIENT …) check a subcommand's arity before MULTI
# queues it, and refuse an unknown subcommand then too. Flip to False once
# dispatch does both.
PENDING_DISPATCH_FIXES = True

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server not installed (scripts/test installs it)")


# --- a tiny RESP reader that keeps every reply's raw bytes ---------------------------

class Reply:
    """One parsed reply: `kind` is the RESP type byte, `value` the payload
    (children for aggregates, (key, value) pairs for maps), `raw` its exact bytes."""
    __slots__ = ("kind", "value", "raw")

    def __init__(self, kind, value, raw):
        self.kind, self.value, self.raw = kind, value, raw

    def __repr__(self):
        text = repr(self.raw)
        return text if len(text) <= 1500 else text[:1500] + "…"


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    """A raw RESP connection."""

    def __init__(self, address, family=socket.AF_INET):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(15)
        self.sock.connect(address)
        self.buf = b""
        self.pos = 0
        self.consumed = []

    def close(self):
        self.sock.close()

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise ConnectionError("server closed the connection")
        self.buf = self.buf[self.pos:] + data
        self.pos = 0

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos:i]
                self.consumed.append(self.buf[self.pos:i + 2])
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        chunk = self.buf[self.pos:self.pos + n + 2]
        assert chunk.endswith(b"\r\n"), f"bulk not terminated by CRLF: {chunk!r}"
        self.consumed.append(chunk)
        self.pos += n + 2
        return chunk[:-2]

    def read(self):
        start = len(self.consumed)
        line = self._line()
        kind, rest = chr(line[0]), line[1:]
        if kind in "+-,#(":
            value = rest
        elif kind == ":":
            value = int(rest)
        elif kind == "_":
            value = None
        elif kind in "$=!":
            n = int(rest)
            value = None if n < 0 else self._exact(n)
        elif kind in "*~>":
            n = int(rest)
            value = None if n < 0 else [self.read() for _ in range(n)]
        elif kind in "%|":
            value = [(self.read(), self.read()) for _ in range(int(rest))]
        else:
            raise AssertionError(f"unknown RESP type byte in {line!r}")
        return Reply(kind, value, b"".join(self.consumed[start:]))

    def call(self, args):
        self.send(args)
        return self.reply()

    def send(self, args):
        self.sock.sendall(encode(args))

    def reply(self):
        self.consumed = []
        return self.read()


# --- the two servers ---------------------------------------------------------------

@pytest.fixture(scope="module")
def redis_address():
    d = tempfile.mkdtemp(prefix="vigil-diff-")
    sock = os.path.join(d, "r.sock")
    p = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", sock, "--dir", d,
                          "--save", "", "--appendonly", "no"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ready():
        c = Conn(sock, socket.AF_UNIX)
        try:
            return c.call(["PING"]).raw == b"+PONG\r\n"
        finally:
            c.close()
    try:
        wait_until(ready, timeout=20, message="redis-server up")
        yield sock
    finally:
        p.kill()
        p.wait()


class Side:
    """One server under test: a main client `a` and a second client `b`
    (the other party of WATCH tests), both on `db`."""

    def __init__(self, name, connect, protocol):
        self.name = name
        self.a = connect()
        self.b = connect()
        for c in (self.a, self.b):
            if protocol == 3:
                r = c.call(["HELLO", "3"])
                assert r.kind == "%", f"{name}: HELLO 3 answered {r!r}"
            assert c.call(["SELECT", "0"]).raw == b"+OK\r\n"
        assert self.a.call(["FLUSHALL"]).raw == b"+OK\r\n"

    def close(self):
        self.a.close()
        self.b.close()


# --- comparing replies ---------------------------------------------------------------

def shape(r):
    """What a random pick must agree on: types, nulls, lengths; simple replies
    and errors verbatim."""
    if r.kind in "*~>":
        return (r.kind, None if r.value is None else tuple(shape(e) for e in r.value))
    if r.kind == "%":
        return (r.kind, tuple((shape(k), shape(v)) for k, v in r.value))
    if r.kind in "$=":
        return (r.kind, r.value is None)
    if r.kind in ":,":
        return (r.kind,)
    return (r.kind, r.value)


def elements(r, pairs):
    """The elements of an aggregate reply as a sorted list (pairs kept together)."""
    if r.kind == "%":
        items = [(k.raw, v.raw) for k, v in r.value]
    elif r.kind in "*~" and r.value is not None:
        if pairs and all(e.kind == "*" for e in r.value):          # RESP3 [[f, v], …]
            items = [tuple(x.raw for x in e.value) for e in r.value]
        elif pairs:
            raws = [e.raw for e in r.value]
            items = list(zip(raws[0::2], raws[1::2]))
        else:
            items = [e.raw for e in r.value]
    else:
        return None
    return sorted(items)


def close_ints(x, y, tolerance):
    if x.kind == ":" and y.kind == ":":
        return x.value == y.value or (x.value >= 0 and y.value >= 0 and abs(x.value - y.value) <= tolerance)
    if x.kind in "*~" and y.kind == x.kind and x.value is not None and y.value is not None:
        return len(x.value) == len(y.value) and all(close_ints(a, b, tolerance) for a, b in zip(x.value, y.value))
    return x.raw == y.raw


COMPACTED_ENCODINGS = {(b"raw", b"embstr"), (b"raw", b"int"), (b"embstr", b"int"),
                       (b"hashtable", b"listpack"), (b"skiplist", b"listpack"), (b"hashtable", b"intset")}


class Cmd:
    """A command and how its replies are compared:
    exact | ttl_s | ttl_ms | shape | sorted | unordered | unordered_pairs |
    unordered_always | encoding."""

    def __init__(self, args, mode="exact", key=None, resync=None, unless_hash=None):
        self.args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.unless_hash = unless_hash   # skipped when this key holds a hash (see HUGE_NEGATIVE_COUNTS)
        self.mode = mode
        self.key = key          # for unordered: the key whose encoding decides
        self.resync = resync    # a key to delete on both sides afterwards (random mutations)

    def __repr__(self):
        return " ".join(repr(a)[2:-1] if a.isascii() and b" " not in a and a else repr(a) for a in self.args)


def replies_agree(cmd, want, got, encoding_of):
    if want.raw == got.raw:
        return True
    mode = cmd.mode
    if mode == "ttl_s":
        return close_ints(want, got, 2)
    if mode == "ttl_ms":
        return close_ints(want, got, 2000)
    if mode == "encoding":
        # Known difference: Redis's encoding remembers how a value was made and
        # never turns it back into a compact form (a string APPENDed to stays
        # "raw", INCRBYFLOAT's "3" is "embstr", a hash that outgrew its listpack
        # stays "hashtable" after HDEL); Vigil answers from the contents.
        # OBJECT REFCOUNT follows: INCRBYFLOAT's "3" is not one of Redis's shared integers.
        return (want.value, got.value) in COMPACTED_ENCODINGS or (want.value, got.value) == (1, 2147483647)
    if mode == "shape":
        return shape(want) == shape(got)
    if mode == "sorted":
        return want.kind == got.kind and elements(want, False) == elements(got, False) is not None
    if mode in ("unordered", "unordered_pairs"):
        # Only where Redis's own order is its hash order (not insertion order).
        if cmd.key is not None and encoding_of(cmd.key) not in (b"hashtable", b"skiplist"):
            return False
        pairs = mode == "unordered_pairs"
        return want.kind == got.kind and elements(want, pairs) == elements(got, pairs) is not None
    if mode == "unordered_always":
        pairs = cmd.key == "pairs"
        return want.kind == got.kind and elements(want, pairs) == elements(got, pairs) is not None
    return False


# --- random command streams ------------------------------------------------------------

STRING_KEYS = ["s1", "s2", "n1"]
LIST_KEYS = ["l1", "l2"]
HASH_KEYS = ["h1", "h2"]
SET_KEYS = ["t1"]
ZSET_KEYS = ["z1"]
ALL_KEYS = STRING_KEYS + LIST_KEYS + HASH_KEYS + SET_KEYS + ZSET_KEYS + ["none", ""]

INTS = ["0", "1", "-1", "2", "3", "10", "100", "-100", "9223372036854775807", "-9223372036854775808",
        "9223372036854775806", "-9223372036854775807", "4611686018427387904"]
BAD_INTS = ["9223372036854775808", "-9223372036854775809", "1.5", "abc", "", " 1", "1 ", "+1", "0x10",
            "01", "-0", "1e3", "1\x00"]
FLOATS = ["1.5", "-2.25", "0.1", "0.2", "-0.3", "1.1", "3.3", "-1.7", "0.007", "1e3", "3.0e-2", "-0", "0", "10.50", "2.", ".5", "1e308", "-1e308",
          "1e-310", "5e-324", "1.7976931348623157e308", "123456789012345678", "0.1e1", "7", "-7",
          "3.14159265358979", "1e17", "1e18", "12345678901234567890"]
BAD_FLOATS = ["inf", "-inf", "+inf", "nan", "abc", "", " 2", "2 ", "1e400", "0x1p3", "1..2", "1e", "-"]
STRINGS = ["a", "b", "foo", "bar", "hello world", "", "\x00\x01\xff", "a\r\nb", "x" * 45, "y" * 70,
           "3", "-7", "2.5", "\xe9t\xe9", "A" * 44, "00", "123abc"]
ELEMS = ["a", "b", "c", "1", "2", "a", "b"]
FIELDS = ["f1", "f2", "f3", "f4", "n", "x"]
HUGE_NEGATIVE_COUNTS = ("-9223372036854775807",)
INDICES = ["-100", "-10", "-3", "-2", "-1", "0", "1", "2", "3", "5", "10", "100",
           "9223372036854775807", "-9223372036854775808"]


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.in_multi = False

    # small helpers
    def pick(self, xs):
        return self.rng.choice(xs)

    def chance(self, p):
        return self.rng.random() < p

    def key(self, pool):
        return self.pick(pool) if self.chance(0.8) else self.pick(ALL_KEYS)

    def keys(self, pool, lo=1, hi=3):
        return [self.key(pool) for _ in range(self.rng.randint(lo, hi))]

    def int_arg(self, good=INTS, bad_p=0.08):
        return self.pick(BAD_INTS) if self.chance(bad_p) else self.pick(good)

    def value(self):
        r = self.rng.random()
        if r < 0.3:
            return self.pick(INTS)
        if r < 0.45:
            return self.pick(FLOATS)
        if r < 0.5:
            return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 8)))
        return self.pick(STRINGS)

    def case(self, word):
        r = self.rng.random()
        return word.lower() if r < 0.3 else word.title() if r < 0.4 else word

    def index(self):
        return self.pick(BAD_INTS) if self.chance(0.04) else self.pick(INDICES)

    # --- strings
    def expiry_option(self, set_command=True):
        now = int(time.time())
        options = [
            ["EX", self.pick(["100", "1000", "5000", "0", "-5", "abc", "9223372036854775807", "1.5", "922337203685477"])],
            ["PX", self.pick(["100000", "2500000", "0", "-1", "9223372036854775807", "x"])],
            ["EXAT", self.pick([str(now + 1000), str(now + 3000), "0", "-1", "9223372036854775807"])],
            ["PXAT", self.pick([str(now * 1000 + 2000000), "0", "9223372036854775807"])],
        ]
        if not set_command:
            # GETEX deletes a key given a past time at once. SET keeps it until the
            # (timing-dependent) active expiry reclaims it, which DBSIZE would see.
            options += [["EXAT", "1"], ["PXAT", "1"]]
        options.append(["KEEPTTL"] if set_command else ["PERSIST"])
        return self.pick(options)

    def gen_string(self):
        k = self.key(STRING_KEYS)
        v = self.value()
        c = self.rng.randrange(28)
        if c <= 3:
            opts = []
            for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
                r = self.rng.random()
                if r < 0.25:
                    opts.append(self.pick(["NX", "XX"]))
                elif r < 0.45:
                    opts.append("GET")
                elif r < 0.95:
                    opts += self.expiry_option()
                else:
                    opts.append(self.pick(["BOGUS", "EX"]))
            return Cmd(["SET", k, v] + [self.case(o) for o in opts], "exact")
        if c == 4:
            return Cmd(["GET", k])
        if c == 5:
            return Cmd(["GETSET", k, v])
        if c == 6:
            return Cmd(["GETDEL", k])
        if c == 7:
            opts = []
            for _ in range(self.rng.choice([0, 1, 1, 2])):
                opts += self.expiry_option(set_command=False)
            return Cmd(["GETEX", k] + opts)
        if c == 8:
            return Cmd(["MGET"] + self.keys(STRING_KEYS, 1, 4))
        if c == 9:
            n = self.rng.randint(1, 3)
            args = []
            for _ in range(n):
                args += [self.key(STRING_KEYS), self.value()]
            if self.chance(0.1):
                args.pop()
            return Cmd([self.pick(["MSET", "MSETNX"])] + args)
        if c == 10:
            return Cmd(["SETNX", k, v])
        if c == 11:
            return Cmd(["SETEX", k, self.pick(["100", "0", "-1", "abc", "9223372036854775807", "1000"]), v])
        if c == 12:
            return Cmd(["PSETEX", k, self.pick(["100000", "0", "-1", "abc", "9223372036854775807"]), v])
        if c == 13:
            return Cmd(["STRLEN", k])
        if c == 14:
            return Cmd(["APPEND", k, v])
        if c in (15, 16):
            return Cmd([self.pick(["GETRANGE", "SUBSTR"]), k, self.index(), self.index()])
        if c == 17:
            off = self.pick(["0", "1", "2", "5", "10", "45", "100", "-1", "abc", "536870911", "536870912",
                             "9223372036854775807"])
            val = v if off not in ("536870911",) else ""
            return Cmd(["SETRANGE", k, off, val])
        if c in (18, 19):
            return Cmd([self.pick(["INCR", "DECR"]), k])
        if c in (20, 21):
            return Cmd([self.pick(["INCRBY", "DECRBY"]), k, self.int_arg()])
        if c in (22, 23):
            return Cmd(["INCRBYFLOAT", k, self.pick(BAD_FLOATS) if self.chance(0.15) else self.pick(FLOATS + INTS)])
        if c == 24:
            return Cmd(["SET", k, self.pick(INTS + FLOATS)])
        if c == 25:
            return Cmd(["OBJECT", "ENCODING", k], "encoding")
        opts = [self.case(self.pick(["LEN", "IDX", "WITHMATCHLEN", "IDX", "MINMATCHLEN", "BOGUS"]))
                for _ in range(self.rng.choice([0, 1, 2, 3]))]
        opts = [o for opt in opts for o in ([opt, self.pick(["0", "1", "2", "-1", "x"])] if opt.upper() == "MINMATCHLEN" else [opt])]
        return Cmd(["LCS", k, self.key(STRING_KEYS)] + opts)

    # --- generic keys
    def gen_key(self):
        k = self.key(ALL_KEYS)
        k2 = self.key(ALL_KEYS)
        now = int(time.time())
        c = self.rng.randrange(24)
        if c == 0:
            return Cmd(["EXISTS"] + self.keys(ALL_KEYS, 1, 4))
        if c == 1:
            return Cmd([self.pick(["DEL", "UNLINK"])] + self.keys(ALL_KEYS, 1, 3))
        if c == 2:
            return Cmd([self.pick(["RENAME", "RENAMENX"]), k, k2])
        if c == 3:
            opts = []
            if self.chance(0.4):
                opts += ["DB", self.pick(["0", "1", "2", "16", "-1", "x"])]
            if self.chance(0.4):
                opts.append(self.case("REPLACE"))
            if self.chance(0.05):
                opts.append("BOGUS")
            return Cmd(["COPY", k, k2] + opts)
        if c == 4:
            return Cmd(["MOVE", k, self.pick(["0", "1", "2", "16", "-1", "x"])])
        if c == 5:
            return Cmd(["TYPE", k])
        if c in (6, 7, 8, 9):
            cmd = self.pick(["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
            if cmd == "EXPIRE":
                t = self.pick(["100", "1000", "5000", "0", "-1", "10000", "9223372036854775807", "abc",
                               "100.5", "9223372036854775", "-9223372036854775808"])
            elif cmd == "PEXPIRE":
                t = self.pick(["100000", "2000000", "0", "-1", "9223372036854775807", "x"])
            elif cmd == "EXPIREAT":
                t = self.pick([str(now + 1000), str(now + 3000), str(now + 8000), "1", "0", "-1",
                               "9223372036854775807"])
            else:
                t = self.pick([str(now * 1000 + 1500000), str(now * 1000 + 9000000), "1", "0",
                               "9223372036854775807"])
            opts = [self.case(self.pick(["NX", "XX", "GT", "LT"])) for _ in range(self.rng.choice([0, 0, 1, 1, 2]))]
            if self.chance(0.03):
                opts.append("BOGUS")
            return Cmd([cmd, k, t] + opts)
        if c in (10, 11):
            return Cmd([self.pick(["TTL", "EXPIRETIME"]), k], "ttl_s")
        if c == 12:
            return Cmd([self.pick(["PTTL", "PEXPIRETIME"]), k], "ttl_ms")
        if c == 13:
            return Cmd(["PERSIST", k])
        if c == 14:
            sub = self.pick(["ENCODING", "ENCODING", "ENCODING", "REFCOUNT", "BOGUS"])
            if sub == "BOGUS" and self.in_multi and PENDING_DISPATCH_FIXES:
                sub = "REFCOUNT"
            return Cmd(["OBJECT", sub, k], "encoding" if sub in ("ENCODING", "REFCOUNT") else "exact")
        if c == 15:
            return Cmd(["KEYS", self.pick(["*", "s*", "?1", "[hl]*", "*1", "nomatch", "[a-m]?", "\\s1"])], "sorted")
        if c == 16:
            return Cmd(["DBSIZE"])
        if c == 17:
            return Cmd(["RANDOMKEY"], "shape")
        if c == 18:
            return Cmd(["TOUCH"] + self.keys(ALL_KEYS, 1, 3))
        if c == 19:
            return self.gen_scan()
        if c == 20:
            return Cmd(["EXISTS", k, k])
        if c == 21:
            args = ["OBJECT", self.pick(["FREQ", "HELP"]), k][:2 if self.chance(0.5) else 3]
            if self.in_multi and PENDING_DISPATCH_FIXES:
                args = ["OBJECT", "HELP"]
            return Cmd(args)
        return Cmd(["TYPE", k])

    def gen_scan(self):
        if self.in_multi:
            # (a cursor of "-1" is valid but starts in Redis's random hash order)
            return Cmd(["SCAN", self.pick(["abc", " 1", "18446744073709551616"])])
        opts = []
        if self.chance(0.4):
            opts += ["MATCH", self.pick(["*", "s*", "*1", "l?", "nomatch"])]
        if self.chance(0.4):
            opts += ["COUNT", self.pick(["1", "2", "10", "1000", "0", "-1", "x"])]
        if self.chance(0.3):
            opts += ["TYPE", self.pick(["string", "list", "hash", "set", "zset", "STRING", "nosuchtype"])]
        return ScanAll("SCAN", None, opts)

    # --- lists
    def gen_list(self):
        k = self.key(LIST_KEYS)
        k2 = self.key(LIST_KEYS)
        e = self.pick(ELEMS)
        c = self.rng.randrange(30)
        if c <= 3:
            n = self.rng.randint(1, 4) if self.chance(0.95) else self.rng.randint(100, 300)
            return Cmd([self.pick(["LPUSH", "RPUSH"]), k] + [self.pick(ELEMS + STRINGS[:6]) for _ in range(n)])
        if c == 4:
            return Cmd([self.pick(["LPUSHX", "RPUSHX"]), k] + [self.pick(ELEMS) for _ in range(self.rng.randint(1, 3))])
        if c in (5, 6):
            args = [self.pick(["LPOP", "RPOP"]), k]
            if self.chance(0.5):
                args.append(self.pick(["0", "1", "2", "3", "10", "-1", "abc", "9223372036854775807"]))
            return Cmd(args)
        if c == 7:
            return Cmd(["LLEN", k])
        if c in (8, 9):
            return Cmd(["LRANGE", k, self.index(), self.index()])
        if c == 10:
            return Cmd(["LINDEX", k, self.index()])
        if c == 11:
            return Cmd(["LSET", k, self.index(), e])
        if c == 12:
            return Cmd(["LINSERT", k, self.case(self.pick(["BEFORE", "AFTER", "BEFORE", "MIDDLE"])), self.pick(ELEMS + ["zz"]), e])
        if c == 13:
            return Cmd(["LREM", k, self.pick(["0", "1", "2", "-1", "-2", "5", "x"]), e])
        if c == 14:
            return Cmd(["LTRIM", k, self.index(), self.index()])
        if c in (15, 16):
            opts = []
            for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
                o = self.pick(["RANK", "COUNT", "MAXLEN"])
                opts += [self.case(o), self.pick(["1", "2", "-1", "-2", "0", "3", "x",
                                                  "-9223372036854775808", "9223372036854775807"])]
            if self.chance(0.03):
                opts.append("BOGUS")
            return Cmd(["LPOS", k, e] + opts)
        if c in (17, 18):
            return Cmd(["LMOVE", k, k2, self.case(self.pick(["LEFT", "RIGHT"])),
                        self.case(self.pick(["LEFT", "RIGHT", "LEFT", "RIGHT", "UP"]))])
        if c == 19:
            return Cmd(["RPOPLPUSH", k, k2])
        # Redis reads a timeout as a long double, then truncates seconds * 1000 as x86 does.
        refused = ["-1", "abc", "inf", "-inf", "1e400", "1e5000", " 1", "nan", "9223372036854776", "1e16"]
        timeout = self.pick(["0.01", "0.01", "0.01"] + refused) if not self.in_multi else \
            self.pick(["0", "1", "0x10", "1e-400", "-0.0001", "-0.001", "9223372036854775", "-0"] + refused)
        if c in (20, 21):
            return Cmd([self.pick(["BLPOP", "BRPOP"])] + self.keys(LIST_KEYS, 1, 2) + [timeout])
        if c == 22:
            return Cmd(["BLMOVE", k, k2, self.pick(["LEFT", "RIGHT"]), self.pick(["LEFT", "RIGHT"]), timeout])
        if c == 23:
            return Cmd(["BRPOPLPUSH", k, k2, timeout])
        if c in (24, 25, 26):
            ks = self.keys(LIST_KEYS, 1, 2)
            numkeys = str(len(ks)) if self.chance(0.9) else self.pick(["0", "-1", "5", "x"])
            args = [numkeys] + ks + [self.case(self.pick(["LEFT", "RIGHT", "LEFT", "RIGHT", "MIDDLE"]))]
            if self.chance(0.5):
                args += [self.case("COUNT"), self.pick(["1", "2", "5", "0", "-1", "x"])]
            if self.chance(0.5):
                return Cmd(["LMPOP"] + args)
            return Cmd(["BLMPOP", timeout] + args)
        return Cmd(["LRANGE", k, "0", "-1"])

    # --- hashes
    def gen_hash(self):
        k = self.key(HASH_KEYS)
        f = self.pick(FIELDS)
        c = self.rng.randrange(24)
        if c <= 3:
            args = [self.pick(["HSET", "HSET", "HMSET"]), k]
            for _ in range(self.rng.randint(1, 3)):
                args += [self.pick(FIELDS), self.value()]
            if self.chance(0.05):
                args.pop()
            return Cmd(args)
        if c == 4:
            return Cmd(["HSETNX", k, f, self.value()])
        if c == 5:
            return Cmd(["HGET", k, f])
        if c == 6:
            return Cmd(["HMGET", k] + [self.pick(FIELDS) for _ in range(self.rng.randint(1, 3))])
        if c == 7:
            return Cmd(["HDEL", k] + [self.pick(FIELDS) for _ in range(self.rng.randint(1, 3))])
        if c == 8:
            return Cmd([self.pick(["HLEN", "HSTRLEN", "HEXISTS"]), k] + ([] if self.chance(0.3) else [f]))
        if c in (9, 10):
            cmd = self.pick(["HKEYS", "HVALS", "HGETALL"])
            if self.in_multi:
                return Cmd(["HLEN", k])
            return Cmd([cmd, k], "unordered_pairs" if cmd == "HGETALL" else "unordered", key=k)
        if c in (11, 12):
            return Cmd(["HINCRBY", k, f, self.int_arg()])
        if c in (13, 14):
            return Cmd(["HINCRBYFLOAT", k, f, self.pick(BAD_FLOATS) if self.chance(0.15) else self.pick(FLOATS + INTS)])
        if c == 15:
            args = ["HRANDFIELD", k]
            if self.chance(0.7):
                args.append(self.pick(["1", "2", "-3", "-1", "0", "100", "1000", "x", "-9223372036854775808",
                                       "9223372036854775807", "-9223372036854775807"]))
                if self.chance(0.5):
                    args.append(self.pick(["WITHVALUES", "withvalues", "BOGUS"]))
            if len(args) >= 3 and args[2] in HUGE_NEGATIVE_COUNTS:
                # Redis 7.0 tries to build a reply that large for a hash (and
                # hangs): only sent where Redis answers first, never to a hash.
                if self.in_multi:
                    args[2] = "-3"
                else:
                    return Cmd(args, unless_hash=k)
            if len(args) >= 3 and args[2] == "1000" and not self.in_multi:   # the whole hash
                return Cmd(args, "unordered_always", key="pairs" if len(args) == 4 else None)
            return Cmd(args, "shape")
        if c == 16:
            if self.in_multi:
                return Cmd(["HSCAN", k, self.pick(["abc", "1x"])])
            opts = []
            if self.chance(0.3):
                opts += ["MATCH", self.pick(["f*", "*", "n", "?2"])]
            if self.chance(0.3):
                opts += ["COUNT", self.pick(["1", "5", "0", "x"])]
            return ScanAll("HSCAN", k, opts)
        if c == 17:
            if self.chance(0.3):     # past hash-max-listpack-entries: a hash table in Redis
                args = ["HSET", k]
                for i in range(self.rng.randint(120, 140)):
                    args += [f"g{i}", self.value()]
                return Cmd(args)
            return Cmd(["HSET", k, f, self.pick(["y" * 70, "z" * 64, "w" * 65])])
        if c == 18:
            return Cmd(["OBJECT", "ENCODING", k], "encoding")
        if c == 19:
            return Cmd(["HSTRLEN", k, f])
        return Cmd(["HGET", k, f])

    # --- a little of sets and sorted sets (for types and errors)
    def gen_other(self):
        c = self.rng.randrange(10)
        t = self.key(SET_KEYS)
        z = self.key(ZSET_KEYS)
        if c in (8, 9) and not self.in_multi:
            opts = []
            if self.chance(0.3):
                opts += ["MATCH", self.pick(["*", "a", "1*"])]
            if self.chance(0.3):
                opts += ["COUNT", self.pick(["1", "5", "0"])]
            return ScanAll("SSCAN" if c == 8 else "ZSCAN", t if c == 8 else z, opts)
        if c == 0:
            if self.chance(0.05):     # past set-max-intset-entries
                return Cmd(["SADD", t] + [str(i) for i in range(self.rng.randint(500, 520))])
            return Cmd(["SADD", t] + [self.pick(ELEMS + INTS[:4]) for _ in range(self.rng.randint(1, 3))])
        if c == 1:
            return Cmd(["SREM", t, self.pick(ELEMS)])
        if c == 2:
            if self.in_multi:
                return Cmd(["SCARD", t])
            return Cmd(["SMEMBERS", t], "unordered", key=t)
        if c == 3:
            args = ["SRANDMEMBER", t] + ([self.pick(["1", "-2", "5", "0"])] if self.chance(0.5) else [])
            return Cmd(args, "shape")
        if c == 4:
            if self.in_multi:
                return Cmd(["SCARD", t])
            return Cmd(["SPOP", t], "shape", resync=t)
        if c == 5:
            return Cmd(["ZADD", z, self.pick(FLOATS[:8] + INTS[:4]), self.pick(ELEMS)])
        if c == 6:
            return Cmd(["ZRANGE", z, "0", "-1", "WITHSCORES"])
        return Cmd(["ZINCRBY", z, self.pick(FLOATS[:8]), self.pick(ELEMS)])

    # --- databases
    def gen_db(self):
        c = self.rng.randrange(10)
        if c <= 3:
            if self.in_multi:
                return Cmd(["DBSIZE"])
            return Cmd(["SELECT", self.pick(["0", "0", "1", "1", "2", "15", "16", "-1", "abc"])])
        if c <= 5:
            return Cmd(["SWAPDB", self.pick(["0", "1", "2", "0"]), self.pick(["1", "0", "2", "16", "-1", "x"])])
        if c == 6:
            return Cmd(["FLUSHDB"] + ([self.pick(["ASYNC", "SYNC", "async", "BOGUS"])] if self.chance(0.4) else []))
        if c == 7 and self.chance(0.2):
            return Cmd(["FLUSHALL"])
        return Cmd(["DBSIZE"])

    # --- malformed calls
    def gen_broken(self):
        base = self.gen_plain()
        args = list(base.args)
        r = self.rng.random()
        if r < 0.45:
            args = args[:self.rng.randint(1, max(1, len(args) - 1))]
        elif r < 0.85:
            args += [b"extra"] * self.rng.randint(1, 3)
        else:
            args = [self.pick([b"NOSUCHCMD", b"getx", b"x" * 200])] + args[1:]
            if PENDING_DISPATCH_FIXES:
                args = [b"NOSUCHCMD"] + [bytes(c for c in a[:8] if 32 < c < 127) for a in args[1:4]]
        return Cmd(args, "exact")

    def gen_plain(self):
        while True:
            c = self.rng.choice([self.gen_string, self.gen_key, self.gen_list, self.gen_hash, self.gen_other])()
            if isinstance(c, Cmd) and c.mode == "exact" and c.resync is None:
                if self.in_multi and PENDING_DISPATCH_FIXES and c.args[0] == b"OBJECT":
                    continue
                return c

    def gen_command(self):
        r = self.rng.random()
        if r < 0.25:
            return self.gen_string()
        if r < 0.43:
            return self.gen_key()
        if r < 0.63:
            return self.gen_list()
        if r < 0.8:
            return self.gen_hash()
        if r < 0.86:
            return self.gen_other()
        if r < 0.91:
            return self.gen_db()
        if r < 0.95:
            return self.gen_broken()
        return None   # a transaction

    def gen_queued(self):
        self.in_multi = True
        try:
            while True:
                c = self.gen_command()
                if isinstance(c, Cmd) and c.resync is None and c.args[0].upper() not in (b"SELECT",):
                    return c
        finally:
            self.in_multi = False


class ScanAll:
    """A full SCAN/HSCAN iteration: compared as the set of keys (or field/value pairs) seen."""

    def __init__(self, command, key, options):
        self.command, self.key, self.options = command, key, options

    def __repr__(self):
        return f"<full {self.command} {self.key or ''} {' '.join(self.options)}>"

    def run(self, conn):
        """The sorted elements of a full iteration (or an error's raw bytes), and the first reply."""
        cursor = b"0"
        seen = set()
        first = None
        for _ in range(10000):
            args = [self.command] + ([self.key] if self.key is not None else []) + [cursor] + self.options
            r = conn.call(args)
            first = first or r
            if r.kind != "*":
                return r.raw, first   # an error (or a bad reply): compared verbatim
            assert len(r.value) == 2 and r.value[0].kind == "$" and r.value[1].kind == "*", f"bad SCAN reply {r!r}"
            items = [e.value for e in r.value[1].value]
            if self.command in ("SCAN", "SSCAN"):
                seen.update(items)
            else:
                assert len(items) % 2 == 0, f"odd {self.command} reply {r!r}"
                seen.update(zip(items[0::2], items[1::2]))
            cursor = r.value[0].value
            if cursor == b"0":
                return sorted(seen), first
        raise AssertionError(f"{self.command} did not finish")


# --- the test ----------------------------------------------------------------------------

class Run:
    def __init__(self, seed, protocol, redis, vigil):
        self.seed, self.protocol, self.redis, self.vigil = seed, protocol, redis, vigil
        self.history = []
        self.db = 0

    def fail(self, what, want, got):
        recent = self.history[-HISTORY_SHOWN:]
        lines = [f"differential mismatch: seed={self.seed} protocol=RESP{self.protocol} db={self.db}",
                 "last commands (oldest first):"] + [f"  {h}" for h in recent] + [
                 f"command: {what}", f"  redis: {want!r}", f"  vigil: {got!r}"]
        pytest.fail("\n".join(lines), pytrace=False)

    def encoding_of(self, key):
        r = self.redis.b.call(["OBJECT", "ENCODING", key])
        return r.value

    def sync_b(self):
        for side in (self.redis, self.vigil):
            assert side.b.call(["SELECT", str(self.db)]).raw == b"+OK\r\n"

    def both(self, cmd, conn="a"):
        if cmd.unless_hash is not None and self.redis.a.call(["TYPE", cmd.unless_hash]).value == b"hash":
            return None, None
        self.history.append(("B: " if conn == "b" else "") + repr(cmd))
        want = getattr(self.redis, conn).call(cmd.args)
        got = getattr(self.vigil, conn).call(cmd.args)
        if not replies_agree(cmd, want, got, self.encoding_of_synced):
            self.fail(cmd, want, got)
        if cmd.args[0].upper() == b"SELECT" and want.raw == b"+OK\r\n" and conn == "a":
            self.db = int(cmd.args[1])
        if cmd.resync is not None:
            self.both(Cmd(["DEL", cmd.resync]))
        return want, got

    def encoding_of_synced(self, key):
        self.sync_b()
        return self.encoding_of(key)

    def scan(self, s):
        self.history.append(repr(s))
        want, want_first = s.run(self.redis.a)
        got, got_first = s.run(self.vigil.a)
        if want != got:
            self.fail(s, want, got)
        # A compact value (listpack, intset) comes whole in Redis's first reply, in its order.
        if s.key is not None and want_first.raw != got_first.raw and \
                self.encoding_of_synced(s.key) in (b"listpack", b"intset"):
            self.fail(f"{s} (first reply)", want_first, got_first)

    def transaction(self, gen):
        rng = gen.rng
        watched = []
        if rng.random() < 0.5:
            watched = [gen.key(ALL_KEYS) for _ in range(rng.randint(1, 2))]
            self.both(Cmd(["WATCH"] + watched))
            if rng.random() < 0.6:
                self.sync_b()
                touch = rng.choice([
                    ["SET", rng.choice(watched), "w"], ["DEL", rng.choice(watched)],
                    ["EXPIRE", rng.choice(watched), "1000"], ["LPUSH", rng.choice(watched), "w"],
                    ["HSET", rng.choice(watched), "f1", "w"], ["PERSIST", rng.choice(watched)],
                    ["SET", "unwatched", "w"], ["FLUSHDB"], ["SWAPDB", "0", "1"], ["GET", rng.choice(watched)],
                    ["RENAME", rng.choice(ALL_KEYS), rng.choice(watched)], ["EXPIRE", rng.choice(watched), "-1"],
                ])
                self.both(Cmd(touch), conn="b")
            if rng.random() < 0.3:
                self.both(gen.gen_plain())     # the watcher itself writes: also aborts in Redis 7.0
            if rng.random() < 0.1:
                self.both(Cmd(["UNWATCH"]))
        self.both(Cmd(["MULTI"]))
        if rng.random() < 0.05:
            self.both(Cmd(["MULTI"]))
        if rng.random() < 0.05:
            self.both(Cmd(["WATCH", "s1"]))
        queued = []
        for _ in range(rng.randint(0, 5)):
            c = gen.gen_queued()
            if rng.random() < 0.08:
                c = Cmd(c.args[:1] if len(c.args) > 1 else c.args + [b"x"] * 5)   # arity error: EXECABORT
            queued.append(c)
            self.both(c)
        end = Cmd(["EXEC"] if rng.random() < 0.85 else ["DISCARD"])
        self.history.append(repr(end))
        want = self.redis.a.call(end.args)
        got = self.vigil.a.call(end.args)
        ok = want.raw == got.raw
        if not ok and want.kind == got.kind and want.kind == "*" and want.value is not None and got.value is not None \
                and len(want.value) == len(got.value) == len(queued):
            ok = all(replies_agree(c, w, g, self.encoding_of_synced) for c, w, g in zip(queued, want.value, got.value))
        if not ok:
            self.fail(end, want, got)

    def blocked_pop(self, gen):
        """Client A blocks on list keys; client B then writes; both replies must agree."""
        rng = gen.rng
        keys = [rng.choice(LIST_KEYS + ["none"]) for _ in range(rng.randint(1, 2))]
        timeout = "0.2"     # also the cost of a write that serves nobody
        kind = rng.randrange(5)
        if kind == 0:
            block = Cmd([rng.choice(["BLPOP", "BRPOP"])] + keys + [timeout])
        elif kind == 1:
            block = Cmd(["BLMOVE", keys[0], rng.choice(LIST_KEYS), rng.choice(["LEFT", "RIGHT"]),
                         rng.choice(["LEFT", "RIGHT"]), timeout])
        elif kind == 2:
            block = Cmd(["BRPOPLPUSH", keys[0], rng.choice(LIST_KEYS), timeout])
        else:
            block = Cmd(["BLMPOP", timeout, str(len(keys))] + keys + [rng.choice(["LEFT", "RIGHT"])] +
                        (["COUNT", rng.choice(["1", "2", "5"])] if rng.random() < 0.6 else []))
        # Only a call that would block is interesting: empty the keys first.
        for k in keys:
            self.both(Cmd(["DEL", k]))
        self.sync_b()
        self.history.append(f"{block}   (sent, blocks)")
        for side in (self.redis, self.vigil):
            side.a.send(block.args)
        for side in (self.redis, self.vigil):
            wait_until(lambda: b"blocked_clients:1" in side.b.call(["INFO", "clients"]).value,
                       timeout=5, interval=0.002, message=f"{side.name} client blocked")
        k = rng.choice(keys)
        writes = [
            ["RPUSH", k] + [rng.choice(ELEMS) for _ in range(rng.randint(1, 3))],
            ["LPUSH", k] + [rng.choice(ELEMS) for _ in range(rng.randint(1, 3))],
            ["LMOVE", rng.choice(LIST_KEYS), k, "LEFT", "RIGHT"],
        ]
        if rng.random() < 0.15:
            writes = [["SET", k, "x"], ["RPUSH", "unwatched", "x"]]     # serve nobody: times out
        write = Cmd(rng.choice(writes))
        if rng.random() < 0.3:
            self.both(Cmd(["RPUSH", rng.choice(LIST_KEYS), "p"]), conn="b")
        self.both(write, conn="b")
        self.history.append("(reply of the blocked call)")
        want = self.redis.a.reply()
        got = self.vigil.a.reply()
        if want.raw != got.raw:
            self.fail(f"{block} (answered after B: {write})", want, got)
        if os.environ.get("VIGIL_DIFF_DEBUG"):
            print("blocked:", block, "| B:", write, "->", want)

    def step(self, gen):
        c = gen.gen_command()
        if gen.rng.random() < BLOCKED_POP_RATE:
            self.blocked_pop(gen)
        if c is None:
            self.transaction(gen)
        elif isinstance(c, ScanAll):
            self.scan(c)
        else:
            self.both(c)
        if gen.rng.random() < 0.03:
            self.both(Cmd(["EXEC"] if gen.rng.random() < 0.5 else ["DISCARD"]))   # outside MULTI


@pytest.mark.parametrize("seed", SEEDS)
def test_replies_match_redis_byte_for_byte(node, redis_address, seed):
    protocol = 2 if seed % 2 == 0 else 3
    redis = Side("redis", lambda: Conn(redis_address, socket.AF_UNIX), protocol)
    vigil = Side("vigil", lambda: Conn(("127.0.0.1", node.port)), protocol)
    try:
        run = Run(seed, protocol, redis, vigil)
        gen = Generator(random.Random(seed))
        for _ in range(STEPS):
            run.step(gen)
        # Finally the whole keyspace must agree: every database's keys, types and values.
        for db in range(3):
            run.db = db
            run.both(Cmd(["SELECT", str(db)]))
            run.scan(ScanAll("SCAN", None, []))
            keys = sorted(set(ALL_KEYS + ["unwatched"]))
            for k in keys:
                t = run.both(Cmd(["TYPE", k]))[0].value
                dump = {b"string": ["GET", k], b"list": ["LRANGE", k, "0", "-1"],
                        b"hash": ["HGETALL", k], b"set": ["SMEMBERS", k],
                        b"zset": ["ZRANGE", k, "0", "-1", "WITHSCORES"]}.get(t)
                if dump:
                    run.both(Cmd(dump, "unordered_pairs" if t == b"hash" else "unordered", key=k))
                run.both(Cmd(["TTL", k], "ttl_s"))
    finally:
        redis.close()
        vigil.close()


def test_lcs_matches_redis_on_random_strings(node, redis_address):
    """LCS's match ranges depend on every tie-break of the table walk: compare many pairs."""
    rng = random.Random(7)
    redis = Side("redis", lambda: Conn(redis_address, socket.AF_UNIX), 3)
    vigil = Side("vigil", lambda: Conn(("127.0.0.1", node.port)), 3)
    try:
        run = Run("lcs", 3, redis, vigil)
        for _ in range(150):
            for key in ("a", "b"):
                n = rng.choice([0, 1, 3, 8, 20, 40])
                run.both(Cmd(["SET", key, "".join(rng.choice("abc") for _ in range(n))]))
            opts = rng.choice([[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN"],
                               ["IDX", "MINMATCHLEN", str(rng.randint(0, 4)), "WITHMATCHLEN"]])
            run.both(Cmd(["LCS", "a", "b"] + opts))
    finally:
        redis.close()
        vigil.close()
