"""Loading a large snapshot at start-up: the server already accepts
connections, INFO shows loading:1 with Redis's loading_* fields, commands
without the loading flag get -LOADING, SHUTDOWN does not save over the file
being loaded, and the dataset is swapped in when done; a corrupt large file
stops the server with a clear message and is left untouched.

The dump is written here directly in RDB format (version 10, string keys,
checksum 0 = "not computed", which Redis accepts too), which is much faster
than filling a server."""
import hashlib
import os
import shutil
import socket
import tempfile

import pytest
import redis

from vigil import Node, wait_until

KEYS = 600_000


def rdb_length(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    return b"\x80" + n.to_bytes(4, "big")


def rdb_string(b):
    return rdb_length(len(b)) + b


def value_of(i):
    return b"value-%012d-" % i + b"x" * 80


def write_rdb(path, keys):
    """A Redis 7.0-style dump of `keys` string keys key:<i> in db 0."""
    with open(path, "wb") as f:
        f.write(b"REDIS0010")
        f.write(b"\xfa" + rdb_string(b"redis-ver") + rdb_string(b"7.0.15"))
        f.write(b"\xfa" + rdb_string(b"used-mem") + rdb_string(b"123456789"))
        f.write(b"\xfe\x00\xfb" + rdb_length(keys) + rdb_length(0))
        chunk = []
        for i in range(keys):
            chunk.append(b"\x00" + rdb_string(b"key:%d" % i) + rdb_string(value_of(i)))
            if len(chunk) == 20000:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))
        f.write(b"\xff" + b"\x00" * 8)


@pytest.fixture(scope="module")
def big_dump():
    d = tempfile.mkdtemp(prefix="vigil-loading-")
    path = os.path.join(d, "template.rdb")
    write_rdb(path, KEYS)
    yield path
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def scratch():
    """Directories made by the test, removed afterwards (the dumps are large)."""
    made = []

    def make(dump, data=None):
        made.append(workdir_with(dump, data))
        return made[-1]

    yield make
    for d in made:
        shutil.rmtree(d, ignore_errors=True)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def workdir_with(dump, data=None):
    d = tempfile.mkdtemp(prefix="vigil-loading-")
    with open(dump, "rb") as src, open(os.path.join(d, "dump.rdb"), "wb") as dst:
        dst.write(data if data is not None else src.read())
    return d


class RawConnection:
    """A bare RESP connection: redis-py retries -LOADING as a connection error."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def reply(self):
        line = self._line()
        if line[:1] == b"$":
            n = int(line[1:])
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        return line

    def send(self, *commands):
        self.sock.sendall(b"".join(c.encode() + b"\r\n" for c in commands))
        return [self.reply() for _ in commands]

    def close(self):
        self.sock.close()


def parse_info(text):
    return dict(line.split(":", 1) for line in text.decode().split("\r\n") if ":" in line)


def test_large_dump_loads_in_background_while_serving(scratch, nodes, big_dump):
    d = scratch(big_dump)
    n = nodes(workdir=d)
    raw = RawConnection(n.port)
    # One batch: the commands run back to back, so they agree on the state.
    info, got, echo, written = raw.send("INFO persistence", "GET key:1", "ECHO hi", "SET k v")
    info = parse_info(info)
    assert info["loading"] == "1", "a 70 MB dump should still be loading right after start-up"
    assert got == b"-LOADING Redis is loading the dataset in memory"
    assert written == b"-LOADING Redis is loading the dataset in memory"
    assert echo == b"hi"   # ECHO is flagged `loading`: it still runs
    total = int(info["loading_total_bytes"])
    assert total == os.path.getsize(os.path.join(d, "dump.rdb"))
    assert 0 <= int(info["loading_loaded_bytes"]) <= total
    assert 0 <= float(info["loading_loaded_perc"]) <= 100
    assert int(info["loading_eta_seconds"]) >= 0
    assert int(info["loading_start_time"]) > 0
    assert int(info["loading_rdb_used_mem"]) in (0, 123456789)
    raw.close()
    c = n.client()
    wait_until(lambda: c.info("persistence")["loading"] == 0, timeout=120, message="loading done")
    info = c.info("persistence")
    assert "loading_total_bytes" not in info
    assert info["rdb_last_load_keys_loaded"] == KEYS
    assert c.dbsize() == KEYS
    assert c.get("key:12345") == value_of(12345)
    assert c.get(f"key:{KEYS - 1}") == value_of(KEYS - 1)
    assert "Done loading RDB, keys loaded: %d" % KEYS in n.output()


def test_shutdown_while_loading_does_not_save_over_the_file(scratch, nodes, big_dump):
    d = scratch(big_dump)
    before = digest(os.path.join(d, "dump.rdb"))
    n = nodes(workdir=d)
    raw = RawConnection(n.port)
    info, = raw.send("INFO persistence")
    assert parse_info(info)["loading"] == "1"
    raw.sock.sendall(b"SHUTDOWN SAVE\r\n")
    assert n.proc.wait(timeout=30) == 0
    raw.close()
    assert digest(os.path.join(d, "dump.rdb")) == before


def test_corrupt_large_dump_stops_the_server_and_is_left_untouched(scratch, big_dump):
    with open(big_dump, "rb") as f:
        data = f.read()
    truncated = data[: len(data) * 3 // 4]
    d = scratch(big_dump, truncated)
    n = None
    try:
        try:
            n = Node(workdir=d)   # serving (port reported) before the load fails
            proc = n.proc
        except RuntimeError as e:   # or it failed before the fixture read the port
            assert "exited with 1" in str(e)
            proc = None
        if proc is not None:
            assert proc.wait(timeout=120) == 1
            out = n.output()
        else:
            out = open(os.path.join(d, "stdout.log"), "rb").read().decode()
        assert "Fatal error loading the DB" in out
        assert "truncated" in out.lower() or "end of" in out.lower()
        assert "left untouched" in out
        with open(os.path.join(d, "dump.rdb"), "rb") as f:
            assert f.read() == truncated
    finally:
        if n is not None:
            n.stop()
