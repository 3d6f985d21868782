"""Starting and stopping real vigil-server processes for integration tests.

Every process listens on 127.0.0.1 with an ephemeral port (`--port 0`; the
port is read from the server's log line), runs in its own temporary
directory, and is killed when the test that started it ends.
"""
import os
import re
import signal
import subprocess
import tempfile
import time

import redis

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN_DIR = os.environ.get("VIGIL_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
PORT_LINE = re.compile(rb"port=(\d+)")


def binary(name="vigil-server"):
    return os.path.join(BIN_DIR, name)


def wait_until(predicate, timeout=10.0, interval=0.01, message="condition"):
    """Polls `predicate` until it returns a truthy value or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # the condition may raise while the system settles
            last_error = e
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {message} (last error: {last_error!r})")


class Node:
    """A running vigil-server."""

    def __init__(self, args=(), config_text=None, workdir=None):
        self.workdir = workdir or tempfile.mkdtemp(prefix="vigil-test-")
        cmd = [binary()]
        if config_text is not None:
            path = os.path.join(self.workdir, "node.conf")
            with open(path, "w") as f:
                f.write(config_text)
            cmd.append(path)
        cmd += ["--port", "0", "--bind", "127.0.0.1", "--dir", self.workdir,
                "--enable-debug-command", "yes", "--save", ""]
        cmd += list(args)
        self.log_path = os.path.join(self.workdir, "stdout.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)
        self.port = wait_until(self._read_port, timeout=20, message="vigil-server to report its port")

    def _read_port(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"vigil-server exited with {self.proc.returncode}: {self.output()}")
        m = PORT_LINE.search(open(self.log_path, "rb").read())
        return int(m.group(1)) if m else None

    def output(self):
        return open(self.log_path, "rb").read().decode("utf-8", "replace")

    def client(self, **kw):
        kw.setdefault("protocol", 2)
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=10, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.log.close()


def start_node(*args, **kw):
    return Node(*args, **kw)
