"""Raw RESP access for tests that must see exact reply bytes (redis-py would
hide the difference between, say, a RESP3 double and a bulk string)."""
import socket

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def encode(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Raw:
    """A bare connection that returns each reply's exact bytes."""

    def __init__(self, node, protocol=2):
        self.sock = socket.create_connection(("127.0.0.1", node.port), timeout=5)
        self.buf = b""
        if protocol == 3:
            self.sock.sendall(encode("HELLO", "3"))
            self.read_reply()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line + b"\r\n"

    def read_reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:-2]
        if kind in b"$=!" and rest != b"-1":
            n = int(rest) + 2
            while len(self.buf) < n:
                self._fill()
            body, self.buf = self.buf[:n], self.buf[n:]
            return line + body
        if kind in b"*%~>" and rest != b"-1":
            n = int(rest) * (2 if kind == b"%" else 1)
            return line + b"".join(self.read_reply() for _ in range(n))
        return line

    def call(self, *args):
        self.sock.sendall(encode(*args))
        return self.read_reply()

    def close(self):
        self.sock.close()


def error_text(excinfo):
    return str(excinfo.value)
