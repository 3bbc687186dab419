"""Shared pieces of the Python 3 interop runners (run_interop.py, run_stream_interop.py)."""
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def python2_env(versile_python):
    """Environment for the Python 2.7 scripts: the checkout on PYTHONPATH, pyenv's 2.7.18."""
    env = dict(os.environ)
    env["PYTHONPATH"] = versile_python
    env.setdefault("PYENV_VERSION", "2.7.18")
    return env


def read_listening_line(proc, timeout=60.0):
    """Waits for the server's 'listening on HOST:PORT' line; returns (line, port)."""
    deadline = time.monotonic() + timeout
    line = b""
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = proc.stdout.read()
        if chunk:
            line += chunk
            if b"\n" in line:
                break
        elif proc.poll() is not None:
            break
        time.sleep(0.05)
    os.set_blocking(proc.stdout.fileno(), True)
    text = line.decode().strip()
    if not text.startswith("listening on "):
        raise RuntimeError("no 'listening on' line, got %r" % text)
    return text, int(text.rsplit(":", 1)[1])


def start_python_gateway(python2, env):
    """Starts py_stream_gateway_server.py (the whole conformance gateway on Versile Python).
    It runs until its stdin is closed: see stop_python_gateway."""
    return subprocess.Popen([python2, os.path.join(HERE, "py_stream_gateway_server.py")],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def stop_python_gateway(proc):
    """Closes the server's stdin and waits for it; returns its stderr text."""
    proc.stdin.close()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.stderr.read().decode(errors="replace")
