"""The real Redis tools against vigil-server: redis-cli (one-shot, --pipe,
--scan, --bigkeys' type probing) and redis-benchmark must work unchanged."""
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("redis-cli") is None, reason="needs redis-tools (scripts/test installs them)")


def cli(node, *args, stdin=None):
    out = subprocess.run(["redis-cli", "-p", str(node.port)] + list(args), input=stdin,
                         capture_output=True, timeout=30)
    return out.returncode, out.stdout.decode(), out.stderr.decode()


def test_redis_cli_one_shot_commands(r, node):
    assert cli(node, "set", "greeting", "hello") == (0, "OK\n", "")
    assert cli(node, "get", "greeting") == (0, "hello\n", "")
    assert cli(node, "incr", "n") == (0, "1\n", "")
    assert cli(node, "rpush", "l", "a", "b")[1] == "2\n"
    assert cli(node, "lrange", "l", "0", "-1")[1] == "a\nb\n"
    code, out, _ = cli(node, "info", "replication")
    assert code == 0 and "role:master" in out
    assert sorted(cli(node, "keys", "*")[1].split()) == ["greeting", "l", "n"]


def test_redis_cli_pipe_mass_insert(r, node):
    payload = "".join(f"SET key:{i} value:{i}\r\n" for i in range(5000)).encode()
    code, out, _ = cli(node, "--pipe", stdin=payload)
    assert code == 0 and "errors: 0, replies: 5000" in out
    assert r.dbsize() == 5000


def test_redis_cli_scan_and_bigkeys(r, node):
    for i in range(300):
        r.set(f"s:{i}", "x" * i)
    r.rpush("biglist", *range(100))
    code, out, _ = cli(node, "--scan", "--pattern", "s:1*")
    assert code == 0
    assert sorted(out.split()) == sorted(f"s:{i}" for i in range(300) if str(i).startswith("1"))
    code, out, _ = cli(node, "--bigkeys")
    assert code == 0 and "Biggest   list found '\"biglist\"' has 100 items" in out


def test_redis_cli_resp3_and_errors(r, node):
    r.hset("h", "f", "v")
    code, out, _ = cli(node, "-3", "hgetall", "h")
    assert code == 0 and out == "f v\n"  # redis-cli prints a RESP3 map pair on one line
    code, out, _ = cli(node, "lpush", "h", "x")
    assert "WRONGTYPE" in out


@pytest.mark.skipif(shutil.which("redis-benchmark") is None, reason="needs redis-benchmark")
def test_redis_benchmark_runs_every_test_against_vigil(node):
    out = subprocess.run(["redis-benchmark", "-p", str(node.port), "-n", "2000", "-c", "10", "-P", "4",
                          "-t", "ping,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange,mset",
                          "-q", "--csv"], capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [l for l in out.stdout.decode().splitlines() if l and not l.startswith('"test"')]
    assert len(rows) >= 15
    assert all(float(row.split(",")[1].strip('"')) > 0 for row in rows)
