"""Administrative commands inside MULTI are queued and run at EXEC, in order,
as in Redis — the sentinel's reconfiguration transaction depends on it:
MULTI; SLAVEOF; CONFIG REWRITE; CLIENT KILL TYPE normal; CLIENT KILL TYPE pubsub; EXEC."""
import os

from rawresp import Raw
from vigil import wait_until


def test_sentinel_reconfiguration_transaction_runs_in_order(nodes):
    master = nodes()
    node = nodes(config_text="# node\n")
    bystander = Raw(node)
    assert bystander.call("PING") == b"+PONG\r\n"
    c = Raw(node)
    assert c.call("MULTI") == b"+OK\r\n"
    for cmd in (["SLAVEOF", "127.0.0.1", str(master.port)], ["CONFIG", "REWRITE"],
                ["CLIENT", "KILL", "TYPE", "normal"], ["CLIENT", "KILL", "TYPE", "pubsub"]):
        assert c.call(*cmd) == b"+QUEUED\r\n"
    replies = c.call("EXEC")
    assert replies.startswith(b"*4\r\n+OK\r\n+OK\r\n:1\r\n:0\r\n"), replies
    # CONFIG REWRITE ran after SLAVEOF: the file names the new master.
    with open(os.path.join(node.workdir, "node.conf")) as f:
        assert f"replicaof 127.0.0.1 {master.port}" in f.read()
    # The bystander was killed; the caller was not (SKIPME yes).
    assert c.call("PING") == b"+PONG\r\n"
    bystander.sock.sendall(b"PING\r\n")
    assert bystander.sock.recv(100) == b""
    wait_until(lambda: node.client(protocol=2).info("replication")["master_link_status"] == "up")


def test_config_and_client_are_queued_inside_multi(node):
    c = Raw(node)
    assert c.call("MULTI") == b"+OK\r\n"
    assert c.call("CONFIG", "GET", "maxclients") == b"+QUEUED\r\n"
    assert c.call("CLIENT", "GETNAME") == b"+QUEUED\r\n"
    assert c.call("EXEC") == b"*2\r\n*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n$-1\r\n"
