#!/usr/bin/env python3
"""Interop between vpstream and Versile Python over VOP PLAIN (TCP on 127.0.0.1).

1. `vpstream serve` ← Versile Python client (py_client_check.py): echo of integers of any size,
   non-ASCII strings, bytes and nested tuples; add; fail (VException); unknown method (VCallError).
2. Versile Python VOPService (py_stream_gateway_server.py) ← `vpstream call` / `vpstream methods`.

Usage: run_interop.py --vpstream PATH --versile-python CHECKOUT [--python2 python2]
Prints a transcript of every command and its output; exit status 0 iff every check passed.
Needs Python 2.7 for the reference (e.g. PYENV_VERSION=2.7.18 python2).
"""
import argparse
import json
import subprocess
import sys

from interop_support import (python2_env, read_listening_line, run_python_client_against_serve,
                             start_python_gateway, stop_python_gateway)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vpstream", required=True)
    ap.add_argument("--versile-python", required=True)
    ap.add_argument("--python2", default="python2")
    args = ap.parse_args()
    env = python2_env(args.versile_python)
    failures = []

    # ---- 1. vpstream serves, Versile Python calls ----
    print("== vpstream serve <- Versile Python client", flush=True)
    rc, serve_rc = run_python_client_against_serve(args.vpstream, args.python2, env,
                                                   "py_client_check.py", 120)
    if rc != 0:
        failures.append("python client against vpstream serve")
    if serve_rc != 0:
        failures.append("vpstream serve exit status %s" % serve_rc)

    # ---- 2. Versile Python serves, vpstream calls ----
    print("== Versile Python VOPService <- vpstream call", flush=True)
    pyserver = start_python_gateway(args.python2, env)
    try:
        line, port = read_listening_line(pyserver)
        print("$ python2 py_stream_gateway_server.py\n" + line, flush=True)
        url = "vop://127.0.0.1:%d/" % port
        big = str(2 ** 100 + 1)
        cases = [
            # (argv after URL, expected exit, expected stdout JSON or None, stderr must contain)
            (["echo", '{"int":"%s"}' % big], 0, {"int": big}, None),
            (["echo", '{"int":"-1000"}'], 0, {"int": "-1000"}, None),
            (["echo", '{"str":"\u00e6\u00f8\u00e5 \u2713 \U0001f600"}'], 0,
             {"str": "\u00e6\u00f8\u00e5 \u2713 \U0001f600"}, None),
            (["echo", '{"bytes":"0001feff"}'], 0, {"bytes": "0001feff"}, None),
            (["echo", '[{"int":"1"},[{"str":"two"},[{"bytes":"33"},[null,true]]],[]]'], 0,
             [{"int": "1"}, [{"str": "two"}, [{"bytes": "33"}, [None, True]]], []], None),
            (["add", '{"int":"%s"}' % (2 ** 70), '{"int":"-1"}'], 0, {"int": str(2 ** 70 - 1)}, None),
            (["fail", '{"str":"boom"}'], 1, {"exception": [{"str": "boom"}]}, None),
            (["no_such_method"], 1, None, '"call_error":"remote_error"'),
        ]
        for argv, want_rc, want_out, want_err in cases:
            cmd = [args.vpstream, "call", url] + argv
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            print("$ vpstream call %s %s" % (url, " ".join("'%s'" % a for a in argv)))
            print(r.stdout + r.stderr + "(exit %d)" % r.returncode, flush=True)
            ok = r.returncode == want_rc
            if want_out is not None:
                try:
                    ok = ok and json.loads(r.stdout) == want_out
                except ValueError:
                    ok = False
            if want_err is not None:
                ok = ok and want_err in r.stderr
            if not ok:
                failures.append("vpstream call " + " ".join(argv))
        r = subprocess.run([args.vpstream, "methods", url], capture_output=True, text=True,
                           timeout=60)
        print("$ vpstream methods %s\n%s%s(exit %d)" % (url, r.stdout, r.stderr, r.returncode))
        if r.returncode != 0 or not {"add", "echo", "fail"} <= set(r.stdout.split()):
            failures.append("vpstream methods")
        r = subprocess.run([args.vpstream, "call", "vop://127.0.0.1:1/", "echo"],
                           capture_output=True, text=True, timeout=60)
        print("$ vpstream call vop://127.0.0.1:1/ echo\n%s%s(exit %d)" %
              (r.stdout, r.stderr, r.returncode))
        if r.returncode != 1:
            failures.append("connection failure exit status")
    finally:
        stop_python_gateway(pyserver)

    print("== %d failures%s" % (len(failures), (": " + "; ".join(failures)) if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
