"""Start-up configuration: redis.conf syntax with include, command-line
overrides, clear errors for bad lines, daemonize/pidfile and log lines."""
import os
import re
import signal
import subprocess
import tempfile

import pytest

from vigil import Node, binary, wait_until


def run_server(args, cwd, timeout=10):
    return subprocess.run([binary()] + args, cwd=cwd, capture_output=True, timeout=timeout)


def test_include_relative_nested_and_later_lines_win(nodes):
    d = tempfile.mkdtemp(prefix="vigil-conf-")
    with open(os.path.join(d, "common.conf"), "w") as f:
        f.write("# common part\nmaxclients 111\ntimeout 0\ndatabases 4\n")
    with open(os.path.join(d, "extra.conf"), "w") as f:
        f.write("include common.conf\nhz 20\n")
    n = nodes(config_text="include extra.conf\nmaxclients 222\n", workdir=d)
    c = n.client()
    assert c.config_get("maxclients") == {"maxclients": "222"}
    assert c.config_get("hz") == {"hz": "20"}
    assert c.config_get("databases") == {"databases": "4"}


@pytest.mark.parametrize("line,reason", [
    ("port abc", "argument couldn't be parsed into an integer"),
    ("nosuchdirective yes", "Bad directive or wrong number of arguments"),
    ("protected-mode maybe", "argument must be 'yes' or 'no'"),
    ('requirepass "unbalanced', "Unbalanced quotes in configuration line"),
    ("appendonly yes", "appendonly"),
])
def test_bad_config_line_stops_startup_with_file_and_line(line, reason):
    d = tempfile.mkdtemp(prefix="vigil-conf-")
    path = os.path.join(d, "bad.conf")
    with open(path, "w") as f:
        f.write("# a comment\nport 0\n" + line + "\n")
    out = run_server([path], cwd=d)
    assert out.returncode != 0
    text = out.stderr.decode() + out.stdout.decode()
    assert "FATAL CONFIG FILE ERROR" in text
    assert "at line 3" in text and path in text, text
    assert reason.lower() in text.lower(), text


def test_command_line_override_errors_are_reported():
    d = tempfile.mkdtemp(prefix="vigil-conf-")
    out = run_server(["--port", "99999"], cwd=d)
    assert out.returncode != 0
    assert b"FATAL CONFIG FILE ERROR" in out.stderr + out.stdout


def test_log_lines_have_redis_shape(node):
    line_shape = re.compile(r"^\d+:M \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] ")
    lines = [l for l in node.output().splitlines() if l.strip()]
    assert lines and all(line_shape.match(l) for l in lines), lines[:5]
    assert any("Ready to accept connections" in l for l in lines)


def test_daemonize_writes_pidfile_and_detaches():
    d = tempfile.mkdtemp(prefix="vigil-daemon-")
    pidfile = os.path.join(d, "vigil.pid")
    logfile = os.path.join(d, "vigil.log")
    out = run_server(["--daemonize", "yes", "--port", "0", "--bind", "127.0.0.1", "--pidfile", pidfile,
                      "--logfile", logfile, "--save", ""], cwd=d)
    assert out.returncode == 0  # the parent returns at once
    pid = wait_until(lambda: os.path.exists(pidfile) and int(open(pidfile).read().strip() or 0), message="pidfile")
    try:
        wait_until(lambda: "Ready to accept connections" in open(logfile).read(), message="daemon ready")
        os.kill(pid, 0)  # alive after its parent exited
    finally:
        os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not os.path.exists(pidfile), message="pidfile removed at exit")


def test_config_rewrite_keeps_comments_and_changes_only_changed_lines(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rw-")
    original = "# my node\nmaxclients 100\n\n# keep me\nhz 10\n"
    n = nodes(config_text=original, workdir=d)
    c = n.client()
    c.config_set("maxclients", 300)
    c.config_rewrite()
    text = open(os.path.join(d, "node.conf")).read()
    assert "# my node" in text and "# keep me" in text
    assert "maxclients 300" in text and "maxclients 100" not in text
    assert text.index("maxclients 300") < text.index("# keep me")
