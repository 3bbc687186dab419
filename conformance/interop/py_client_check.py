# Interop check, Versile Python side as VOP client (run with Python 2.7 and a versile-python
# checkout on PYTHONPATH): connects to a conformance gateway served over VOP PLAIN (e.g.
# `vpstream serve`) and checks echo, add, fail and an unknown method.
# Usage: python2 py_client_check.py PORT
# Prints one line per check ("ok <name>" / "FAIL <name>: ..."); exit status 0 iff all passed.
from __future__ import print_function, unicode_literals

import os
import sys
import time

from versile.conf import Versile
Versile.set_agpl_internal_use()

from versile.orb.entity import VCallError, VException
from versile.reactor.io.url import VOPInsecureUrlConfig, VUrl

import py_support
from py_support import wait_result


def call(method, *args):
    return py_support.call(gw, method, *args)

port = int(sys.argv[1])
url = 'vop://127.0.0.1:%d/' % port
gw, link = wait_result(VUrl.resolve_with_link(url, conf=VOPInsecureUrlConfig(), nowait=True))

failures = []


def check(name, got, want):
    if got == want and type(got) == type(want):
        print('ok %s' % name)
    else:
        failures.append(name)
        print('FAIL %s: got %r want %r' % (name, got, want))


echo_values = [
    ('int_small', 5),
    ('int_negative', -1000),
    ('int_2_70', 2 ** 70),
    ('int_big_negative', -(10 ** 40) - 7),
    ('str_ascii', 'ping'),
    ('str_non_ascii', '\u00e6\u00f8\u00e5 \u2713 \U0001f600 Gr\u00fc\u00dfe'),
    ('bytes', b'\x00\x01\xfe\xff'),
    ('bytes_empty', b''),
    ('none', None),
    ('bools', (True, False)),
    ('nested_tuple', (1, ('two', (b'3', (None, -4))), ())),
]
for name, value in echo_values:
    try:
        check('echo_' + name, call('echo', value), value)
    except Exception as e:
        failures.append('echo_' + name)
        print('FAIL echo_%s: %r' % (name, e))

try:
    check('add_small', call('add', 2, 3), 5)
    check('add_big', call('add', 2 ** 100, -(2 ** 99)), 2 ** 99)
except Exception as e:
    failures.append('add')
    print('FAIL add: %r' % e)

try:
    call('fail', 'boom \u2713')
    failures.append('fail')
    print('FAIL fail: no exception')
except VException as e:
    check('fail_is_vexception', tuple(e.args), ('boom \u2713',))
except Exception as e:
    failures.append('fail')
    print('FAIL fail: wrong exception %r' % e)

try:
    call('no_such_method', 1)
    failures.append('unknown_method')
    print('FAIL unknown_method: no exception')
except VCallError:
    print('ok unknown_method_is_call_error')
except Exception as e:
    failures.append('unknown_method')
    print('FAIL unknown_method: wrong exception %r' % e)

link.shutdown()
deadline = time.time() + 10
while not link.closed and time.time() < deadline:
    time.sleep(0.05)
print('link closed: %s' % bool(link.closed))
print('%d failures' % len(failures))
sys.stdout.flush()
# Skip interpreter teardown: the reference's reactor threads can keep a normal exit waiting.
os._exit(1 if failures else 0)
