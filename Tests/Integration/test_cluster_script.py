"""scripts/cluster: `up` gives a running, healthy cluster (1 master, 2
replicas, 3 sentinels that know each other) and prints `sentinel status`;
`down` stops exactly the processes it started and leaves none behind."""
import os
import socket
import subprocess
import tempfile

import redis

from vigil import BIN_DIR, ROOT, wait_until


def free_block(size):
    """A base port with `size` consecutive free ports after it."""
    for _ in range(50):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        base = s.getsockname()[1]
        s.close()
        if base + size >= 65535:
            continue
        ok = True
        for p in range(base, base + size):
            t = socket.socket()
            try:
                t.bind(("127.0.0.1", p))
            except OSError:
                ok = False
            finally:
                t.close()
        if ok:
            return base
    raise RuntimeError("no free port block")


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_cluster_up_status_down():
    work = tempfile.mkdtemp(prefix="vigil-cluster-")
    port = free_block(3)
    sport = free_block(3)
    env = dict(os.environ, VIGIL_BIN_DIR=BIN_DIR, DIR=work, PORT=str(port), SENTINEL_PORT=str(sport))
    script = os.path.join(ROOT, "scripts", "cluster")
    pids = []
    try:
        up = subprocess.run([script, "up"], env=env, capture_output=True, text=True, timeout=120)
        assert up.returncode == 0, up.stdout + up.stderr
        assert f"127.0.0.1:{port}" in up.stdout and "Replicas (2)" in up.stdout and "Sentinels (2)" in up.stdout, up.stdout
        pids = [int(open(os.path.join(work, f)).read()) for f in os.listdir(work) if f.endswith(".pid")]
        assert len(pids) == 6 and all(alive(p) for p in pids)
        # The configs are laid out like the tutorial: per-port files include the common one.
        assert f"include {work}/node-common.conf" in open(os.path.join(work, f"node-{port + 1}.conf")).read()
        s = redis.Redis(port=sport, decode_responses=True)
        assert s.sentinel_get_master_addr_by_name("mymaster") == ("127.0.0.1", port)
        status = subprocess.run([script, "status"], env=env, capture_output=True, text=True, timeout=30)
        assert status.returncode == 0 and "mymaster" in status.stdout
    finally:
        down = subprocess.run([script, "down"], env=env, capture_output=True, text=True, timeout=60)
        for p in pids:
            if alive(p):
                os.kill(p, 9)
    assert down.returncode == 0, down.stdout + down.stderr
    wait_until(lambda: not any(alive(p) for p in pids), timeout=10, message="every process stopped")
    assert not [f for f in os.listdir(work) if f.endswith(".pid")]
