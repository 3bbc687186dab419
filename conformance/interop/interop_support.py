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


def run_python_client_against_serve(vpstream, python2, env, script, timeout):
    """`vpstream serve --listen 127.0.0.1:0`, then `python2 SCRIPT PORT` against it, then SIGTERM.
    Prints the transcript; returns (client exit status, serve exit status or "killed")."""
    server = subprocess.Popen([vpstream, "serve", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    client_rc = None
    try:
        line, port = read_listening_line(server)
        print("$ vpstream serve --listen 127.0.0.1:0\n" + line, flush=True)
        print("$ python2 %s %d" % (script, port), flush=True)
        r = subprocess.run([python2, os.path.join(HERE, script), str(port)], env=env,
                           capture_output=True, text=True, timeout=timeout)
        print(r.stdout + r.stderr, end="", flush=True)
        client_rc = r.returncode
    finally:
        server.terminate()
        try:
            serve_rc = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            serve_rc = "killed"
        print("vpstream serve exit status after SIGTERM: %s" % serve_rc, flush=True)
    return client_rc, serve_rc
