"""vigil-cli end to end: the built binary against a real vigil-server,
checking stdout, stderr and the exit status the way redis-cli 7.0 behaves.

Covers the tutorial walkthrough, one-shot commands in raw and terminal
format, error replies, connection refused, commands piped on stdin, -n, -3,
-r/-i, -x, -a, SUBSCRIBE streaming, the interactive prompt on a
pseudo-terminal (prompt, SELECT, MULTI, reconnect messages, history), and,
when the real redis-cli is installed, byte-for-byte comparisons with it.
Every wait polls for the expected output with a deadline; no bare sleeps.
"""
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest

from vigil import binary, wait_until

CLI = binary("vigil-cli")


def cli(node_or_port, *args, stdin=b"", env=None, timeout=20):
    """Runs vigil-cli once; returns (stdout, stderr, exit status)."""
    port = node_or_port if isinstance(node_or_port, int) else node_or_port.port
    p = subprocess.run([CLI, "-p", str(port), *args], input=stdin, capture_output=True,
                       timeout=timeout, env=env)
    return p.stdout, p.stderr, p.returncode


def free_port():
    """A local TCP port nothing listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Collector:
    """Reads a stream on a thread so tests can wait for output with a deadline."""

    def __init__(self, stream):
        self.data = b""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        while True:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                return
            with self.lock:
                self.data += chunk

    def text(self):
        with self.lock:
            return self.data

    def wait_for(self, needle, timeout=10):
        return wait_until(lambda: needle in self.text(), timeout=timeout, message=f"output {needle!r}")


class Terminal:
    """vigil-cli on a pseudo-terminal: type lines, wait for output."""

    def __init__(self, port, env_extra=None, term="dumb"):
        env = dict(os.environ, TERM=term)
        env.update(env_extra or {})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execve(CLI, [CLI, "-p", str(port)], env)
        self.out = b""

    def read_until(self, needle, start=0, timeout=10):
        """Reads until `needle` (bytes or compiled regex) appears in the output from `start` on."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.out[start:]
            found = needle.search(seen) if isinstance(needle, re.Pattern) else (needle in seen)
            if found:
                return self.out
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out waiting for {needle!r}; got {self.out!r}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child exited and the pty closed
                    chunk = b""
                if not chunk:
                    raise EOFError(f"terminal closed while waiting for {needle!r}; got {self.out!r}")
                self.out += chunk

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def run(self, line, expect):
        """Types `line`, waits for `expect`, returns the output produced after typing."""
        start = len(self.out)
        self.send(line + "\r")
        self.read_until(expect, start)
        return self.out[start:]

    def exit_status(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            try:  # drain so the child never blocks on a full pty
                if select.select([self.fd], [], [], 0.05)[0]:
                    self.out += os.read(self.fd, 4096)
            except OSError:
                pass
        raise TimeoutError("vigil-cli did not exit")

    def kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


# --- the tutorial walkthrough ------------------------------------------------


def test_tutorial_walkthrough(r, node):
    out, err, rc = cli(node, "info", "replication")
    assert rc == 0 and err == b""
    assert out.startswith(b"# Replication\r\nrole:master\r\n")
    assert cli(node, "set", "greeting", "hello world") == (b"OK\n", b"", 0)
    assert cli(node, "get", "greeting") == (b"hello world\n", b"", 0)
    assert cli(node, "--no-raw", "get", "greeting") == (b'"hello world"\n', b"", 0)
    cli(node, "set", "other", "1")
    out, _, rc = cli(node, "keys", "*")
    assert rc == 0 and sorted(out.split()) == [b"greeting", b"other"]
    out, _, _ = cli(node, "--no-raw", "keys", "nomatch*")
    assert out == b"(empty array)\n"


def test_info_prints_raw_text_even_in_terminal_format(r, node):
    out, _, rc = cli(node, "--no-raw", "info", "replication")
    assert rc == 0 and out.startswith(b"# Replication\r\nrole:master\r\n") and not out.endswith(b"\r\n\n")


# --- one-shot output formats --------------------------------------------------


def test_raw_and_terminal_formats(r, node):
    r.rpush("l", "a", "b c", "")
    r.set("bin", b"x\ny\xff\"")
    assert cli(node, "lrange", "l", "0", "-1")[0] == b"a\nb c\n\n"
    assert cli(node, "--no-raw", "lrange", "l", "0", "-1")[0] == b'1) "a"\n2) "b c"\n3) ""\n'
    assert cli(node, "--no-raw", "get", "bin")[0] == b'"x\\ny\\xff\\""\n'
    assert cli(node, "get", "nokey")[0] == b"\n"
    assert cli(node, "--no-raw", "get", "nokey")[0] == b"(nil)\n"
    assert cli(node, "incr", "n")[0] == b"1\n"
    assert cli(node, "--no-raw", "incr", "n")[0] == b"(integer) 2\n"
    assert cli(node, "--no-raw", "lrange", "none", "0", "-1")[0] == b"(empty array)\n"


def test_nested_replies_are_indented_like_redis_cli(r, node):
    r.zadd("z", {"a": 1, "b": 2.5})
    out, _, _ = cli(node, "--no-raw", "zrange", "z", "0", "-1", "withscores")
    assert out == b'1) "a"\n2) "1"\n3) "b"\n4) "2.5"\n'
    r.rpush("big", *[str(i) for i in range(10)])
    out, _, _ = cli(node, "--no-raw", "lrange", "big", "0", "-1")
    assert out.splitlines()[0] == b' 1) "0"' and out.splitlines()[9] == b'10) "9"'


def test_resp3_with_dash_3(r, node):
    r.hset("h", "f", "v")
    r.zadd("z", {"m": 1.5})
    assert cli(node, "-3", "--no-raw", "hgetall", "h")[0] == b'1# "f" => "v"\n'
    assert cli(node, "-3", "--no-raw", "zrange", "z", "0", "-1", "withscores")[0] == b'1) 1) "m"\n   2) (double) 1.5\n'
    assert cli(node, "-3", "--no-raw", "zscore", "z", "m")[0] == b"(double) 1.5\n"
    assert cli(node, "-3", "hgetall", "h")[0] == b"f v\n"
    out, _, _ = cli(node, "-3", "--no-raw", "hello", "3")
    assert b'3# "proto" => (integer) 3\n' in out


# --- errors -------------------------------------------------------------------


def test_error_replies(r, node):
    # Not a terminal: raw text, an extra newline, exit 0 — as redis-cli.
    out, err, rc = cli(node, "nosuch", "a")
    assert (out, err, rc) == (b"ERR unknown command 'nosuch', with args beginning with: 'a' \n\n", b"", 0)
    out, err, rc = cli(node, "--no-raw", "get")
    assert (out, err, rc) == (b"(error) ERR wrong number of arguments for 'get' command\n", b"", 0)
    # -e: the error goes to stderr and the exit status is 1.
    out, err, rc = cli(node, "-e", "nosuch")
    assert (out, err, rc) == (b"", b"ERR unknown command 'nosuch', with args beginning with: \n", 1)


def test_connection_refused():
    port = free_port()
    out, err, rc = cli(port, "ping")
    assert (out, err, rc) == (b"", f"Could not connect to Redis at 127.0.0.1:{port}: Connection refused\n".encode(), 1)


def test_usage_mistakes_help_and_version():
    p = subprocess.run([CLI, "--bogus"], capture_output=True, timeout=10)
    assert (p.stdout, p.stderr, p.returncode) == (b"", b"Unrecognized option or bad number of args for: '--bogus'\n", 1)
    p = subprocess.run([CLI, "-p"], capture_output=True, timeout=10)
    assert p.returncode == 1 and p.stderr == b"Unrecognized option or bad number of args for: '-p'\n"
    p = subprocess.run([CLI, "--help"], capture_output=True, timeout=10)
    assert p.returncode == 0 and p.stdout.startswith(b"vigil-cli ") and b"Usage: vigil-cli [OPTIONS]" in p.stdout
    p = subprocess.run([CLI, "-v"], capture_output=True, timeout=10)
    assert p.returncode == 0 and re.fullmatch(rb"vigil-cli \S+\n", p.stdout)


def test_password_on_the_command_line_warns(r, node):
    out, err, rc = cli(node, "-a", "secret", "ping")
    assert rc == 0 and out == b"PONG\n"
    lines = err.decode().splitlines()
    assert lines[0] == "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe."
    assert lines[1].startswith("AUTH failed: ")
    out, err, rc = cli(node, "--no-auth-warning", "-u", f"redis://127.0.0.1:{node.port}/0", "ping")
    assert (out, err, rc) == (b"PONG\n", b"", 0)


# --- stdin, databases, repetition ----------------------------------------------


def test_commands_from_stdin(r, node):
    script = b'set a "x y"\nget a\n  \n\nnosuch\n3 incr c\nselect 2\nset \"broken\nget a\nquit\nget a\n'
    out, err, rc = cli(node, stdin=script)
    assert rc == 0 and err == b""
    assert out == (b"OK\nx y\nERR unknown command 'nosuch', with args beginning with: \n\n"
                   b"1\n2\n3\nOK\nInvalid argument(s)\n\n")


def test_commands_from_stdin_without_a_server():
    port = free_port()
    out, err, rc = cli(port, stdin=b"ping\nping\n")
    refused = f"Could not connect to Redis at 127.0.0.1:{port}: Connection refused\n".encode()
    assert (out, err, rc) == (b"", refused * 3, 0)


def test_dash_n_selects_a_database(r, node):
    assert cli(node, "-n", "2", "set", "k", "in-two") == (b"OK\n", b"", 0)
    assert cli(node, "-n", "2", "get", "k")[0] == b"in-two\n"
    assert cli(node, "get", "k")[0] == b"\n"
    assert node.client(db=2).get("k") == b"in-two"


def test_repeat_and_interval(r, node):
    started = time.monotonic()
    out, err, rc = cli(node, "-r", "3", "-i", "0.1", "incr", "counter")
    assert (out, err, rc) == (b"1\n2\n3\n", b"", 0)
    assert time.monotonic() - started >= 0.3
    assert cli(node, "--no-raw", "-r", "2", "incr", "counter")[0] == b"(integer) 4\n(integer) 5\n"
    assert cli(node, "-r", "0", "incr", "counter") == (b"", b"", 0)
    assert r.get("counter") == b"5"


def test_dash_x_reads_the_last_argument_from_stdin(r, node):
    assert cli(node, "-x", "set", "from-stdin", stdin=b"line one\nline two\n") == (b"OK\n", b"", 0)
    assert r.get("from-stdin") == b"line one\nline two\n"


# --- streaming ----------------------------------------------------------------


def test_subscribe_streams_messages_until_interrupted(r, node):
    p = subprocess.Popen([CLI, "-p", str(node.port), "--no-raw", "subscribe", "news"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = Collector(p.stdout)
        out.wait_for(b'3) (integer) 1\n')
        wait_until(lambda: r.publish("news", "hello") == 1, message="subscriber to count")
        out.wait_for(b'3) "hello"\n')
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=10) == -signal.SIGINT  # like redis-cli: killed by the signal
        assert out.text() == (b"Reading messages... (press Ctrl-C to quit)\n"
                              b'1) "subscribe"\n2) "news"\n3) (integer) 1\n'
                              b'1) "message"\n2) "news"\n3) "hello"\n')
    finally:
        p.kill()
        p.wait()


def test_subscribe_raw_output_has_no_banner(r, node):
    p = subprocess.Popen([CLI, "-p", str(node.port), "subscribe", "news"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = Collector(p.stdout)
        out.wait_for(b"subscribe\nnews\n1\n")
        wait_until(lambda: r.publish("news", "x y") == 1, message="subscriber to count")
        out.wait_for(b"message\nnews\nx y\n")
        assert out.text() == b"subscribe\nnews\n1\nmessage\nnews\nx y\n"
    finally:
        p.kill()
        p.wait()


def test_subscriber_exits_1_when_the_server_goes_away(nodes):
    n = nodes()
    p = subprocess.Popen([CLI, "-p", str(n.port), "subscribe", "news"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        Collector(p.stdout).wait_for(b"subscribe\nnews\n1\n")
        n.stop()
        assert p.wait(timeout=10) == 1
        assert p.stderr.read() == b"Error: Server closed the connection\n"
    finally:
        p.kill()
        p.wait()


# --- the interactive prompt -----------------------------------------------------


def test_interactive_prompt(r, node):
    prompt = f"127.0.0.1:{node.port}".encode()
    t = Terminal(node.port)
    try:
        t.read_until(prompt + b"> ")
        assert t.run("set k v", prompt + b"> ") == b"set k v\r\nOK\r\n" + prompt + b"> "
        assert b'"v"\r\n' in t.run("get k", prompt + b"> ")
        assert b"(integer) 1\r\n" in t.run("del k", prompt + b"> ")
        out = t.run("nosuch", prompt + b"> ")
        assert b"(error) ERR unknown command 'nosuch', with args beginning with: \r\n" in out
        assert b"OK\r\n" + prompt + b"[2]> " in t.run("select 2", prompt + b"[2]> ")
        assert b"OK\r\n" + prompt + b"[2](TX)> " in t.run("multi", b"(TX)> ")
        t.run("incr n", b"QUEUED\r\n" + prompt + b"[2](TX)> ")
        out = t.run("exec", prompt + b"[2]> ")
        assert b"1) (integer) 1\r\n" in out
        out = t.run("2 incr n", prompt + b"[2]> ")
        assert b"(integer) 2\r\n(integer) 3\r\n" in out
        assert b"Invalid argument(s)\r\n" in t.run('set "x', prompt + b"[2]> ")
        assert node.client(db=2).get("n") == b"3"
        t.send("quit\r")
        assert t.exit_status() == 0
    finally:
        t.kill()


def test_prompt_survives_the_server_going_away(nodes):
    n = nodes()
    prompt = f"127.0.0.1:{n.port}> ".encode()
    t = Terminal(n.port)
    try:
        t.read_until(prompt)
        t.run("ping", b"PONG\r\n" + prompt)
        n.stop()
        out = t.run("ping", b"not connected> ")
        assert b"Error: Server closed the connection\r\n" in out
        out = t.run("ping", b"not connected> ")
        assert f"Could not connect to Redis at 127.0.0.1:{n.port}: Connection refused\r\n".encode() in out
        t.send("exit\r")
        assert t.exit_status() == 0
    finally:
        t.kill()


def test_prompt_when_no_server_is_running():
    port = free_port()
    t = Terminal(port)
    try:
        out = t.read_until(b"not connected> ")
        assert f"Could not connect to Redis at 127.0.0.1:{port}: Connection refused".encode() in out
        t.send("exit\r")
        assert t.exit_status() == 0
    finally:
        t.kill()


def test_line_editor_history_and_ctrl_c(r, node, tmp_path):
    history = tmp_path / "history"
    t = Terminal(node.port, env_extra={"VIGILCLI_HISTFILE": str(history)}, term="xterm")
    ansi = re.compile(rb"\x1b\[[0-9;]*[A-Za-z]|\r")
    try:
        t.read_until(b"> ")
        t.run("set hk hv", b"OK")
        t.run("auth secret", b"(error)")
        t.run("echo abc\x1b[D\x1b[DX", b'"aXbc"')           # left twice, insert X
        start = len(t.out)
        t.send("\x1b[A\x1b[A\r")                             # up twice: "set hk hv" (auth is not kept)
        t.read_until(re.compile(rb"OK\r\n[^\n]*> $"), start)
        assert b"set hk hv" in ansi.sub(b"", t.out[start:])
        t.send("\x03")                                       # Ctrl-C at the prompt leaves, status 0
        assert t.exit_status() == 0
        assert history.read_text() == "set hk hv\necho aXbc\nset hk hv\n"
    finally:
        t.kill()


# --- the real redis-cli as the reference --------------------------------------

COMPARED = [
    ["set", "k", "v"],
    ["get", "k"],
    ["--no-raw", "get", "k"],
    ["get", "missing"],
    ["--no-raw", "get", "missing"],
    ["--no-raw", "lrange", "l", "0", "-1"],
    ["lrange", "l", "0", "-1"],
    ["--no-raw", "hgetall", "h"],
    ["-3", "--no-raw", "hgetall", "h"],
    ["-3", "--no-raw", "smembers", "s"],
    ["-3", "--no-raw", "zrange", "z", "0", "-1", "withscores"],
    ["-3", "zrange", "z", "0", "-1", "withscores"],
    ["--no-raw", "nosuch", "x"],
    ["nosuch", "x"],
    ["-e", "nosuch"],
    ["-n", "3", "--no-raw", "keys", "*"],
    ["--no-raw", "-r", "2", "lpos", "l", "a"],
    ["info", "keyspace"],
]


@pytest.mark.skipif(shutil.which("redis-cli") is None, reason="redis-cli is not installed")
@pytest.mark.parametrize("args", COMPARED, ids=[" ".join(a) for a in COMPARED])
def test_same_output_as_redis_cli(r, node, args):
    r.rpush("l", "a", "b\n", "")
    r.hset("h", mapping={"f1": "v1", "f2": "v2"})
    r.sadd("s", "only")
    r.zadd("z", {"m": 1.5, "n": 2})
    ours = cli(node, *args)
    theirs = subprocess.run(["redis-cli", "-p", str(node.port), *args], capture_output=True, timeout=20)
    assert ours == (theirs.stdout, theirs.stderr, theirs.returncode)
