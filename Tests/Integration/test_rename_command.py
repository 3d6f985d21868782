"""rename-command in a node's configuration: the command answers only under
its new name, an empty name disables it, an unknown command stops start-up
with the file and line (Redis 7.0's behaviour)."""
import os
import subprocess
import tempfile

import pytest
import redis

from vigil import binary


def test_renamed_command_answers_under_its_new_name_only(nodes):
    n = nodes(config_text='rename-command FLUSHALL "my-flushall"\nrename-command config ""\n')
    c = n.client(protocol=2)
    c.set("k", "v")
    with pytest.raises(redis.ResponseError, match="unknown command 'FLUSHALL'"):
        c.execute_command("FLUSHALL")
    assert c.execute_command("MY-FLUSHALL") == b"OK"
    assert c.dbsize() == 0
    with pytest.raises(redis.ResponseError, match="unknown command"):
        c.execute_command("CONFIG", "GET", "port")


def test_renaming_an_unknown_command_stops_startup():
    d = tempfile.mkdtemp(prefix="vigil-conf-")
    path = os.path.join(d, "bad.conf")
    with open(path, "w") as f:
        f.write("port 0\nrename-command nosuchcommand other\n")
    out = subprocess.run([binary(), path], cwd=d, capture_output=True, timeout=10)
    assert out.returncode != 0
    text = (out.stderr + out.stdout).decode()
    assert "at line 2" in text and path in text and "No such command in rename-command" in text, text
