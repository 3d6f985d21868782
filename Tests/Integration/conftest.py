"""Shared pytest fixtures: a vigil-server per test module, flushed and reset
before each test, and a factory for tests that need their own nodes."""
import pytest

from vigil import Node


@pytest.fixture(scope="module")
def node():
    n = Node()
    yield n
    n.stop()


@pytest.fixture
def r(node):
    """A RESP2 client on a clean server (redis-py 8 defaults to RESP3: ask for 2)."""
    c = node.client(protocol=2)
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def r3(node):
    """A RESP3 client on a clean server."""
    c = node.client(protocol=3)
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def nodes():
    """Starts extra nodes on demand; all are killed at the end of the test."""
    started = []

    def start(*args, **kw):
        n = Node(args, **kw)
        started.append(n)
        return n

    yield start
    for n in started:
        n.stop()


@pytest.fixture
def raw2(node, r):
    """A raw RESP2 connection to the (flushed) module server."""
    from rawresp import Raw
    c = Raw(node)
    yield c
    c.close()


@pytest.fixture
def raw3(node, r):
    """A raw RESP3 connection to the (flushed) module server."""
    from rawresp import Raw
    c = Raw(node, protocol=3)
    yield c
    c.close()


@pytest.fixture
def sentinel_cluster():
    """Builds sentinel clusters (sentinels.Cluster) on demand; every process
    they start (and every FakeSentinel registered in `.fakes`) is stopped at
    the end of the test."""
    from sentinels import Cluster, stop_all
    clusters = []

    def build(**kw):
        c = Cluster(**kw)
        clusters.append(c)
        return c

    build.fakes = []
    yield build
    for f in build.fakes:
        f.close()
    for c in clusters:
        c.close()
    stop_all()  # also processes of a cluster whose construction failed, and their directories
