# Interop check, Versile Python as VSE stream client (Python 2.7, versile-python on PYTHONPATH):
# connects over VOP PLAIN to a conformance gateway (e.g. `vpstream serve`) and streams from every
# stream method of conformance-gateway.md with byte/element-exact comparisons.
# Usage: python2 py_stream_client_check.py PORT
# Prints "PASS <check>" / "FAIL <check>: ..." per check; exit status 0 iff every check passed.
from __future__ import print_function, unicode_literals

import os
import sys
import time
import traceback

from versile.conf import Versile
Versile.set_agpl_internal_use()

from versile.orb.entity import VTuple
from versile.reactor.io.url import VOPInsecureUrlConfig, VUrl
from versile.vse import VSEResolver
import versile.vse.stream
from versile.vse.stream import VStreamPos

from py_support import call, item, pattern, wait_result

# Reference defect D1 (stream.md section 13): stream.py's `import time` resolves to the sibling
# module versile.vse.time, so every wait with a positive timeout raises AttributeError. Bind the
# standard module in the reference's namespace (a runtime patch; the checkout is not modified).
versile.vse.stream.time = time
VSEResolver.enable_vse()
TIMEOUT = 60.0


def native(value):
    if isinstance(value, (tuple, list, VTuple)):
        return tuple(native(v) for v in value)
    return value


def connect(proxy):
    stream = proxy.connect(readahead=True)
    stream.set_eos_policy(True)
    if not stream.wait_status(active=True, failed=True, timeout=TIMEOUT) or stream.failed:
        raise RuntimeError('stream did not become active')
    return stream


def read_all(stream):
    parts = []
    while True:
        data = stream.recv(1 << 20, timeout=TIMEOUT)
        if not data:
            return b''.join(parts)
        parts.append(data)


def read_items(stream):
    items = []
    while True:
        data = stream.recv(1000, timeout=TIMEOUT)
        if not data:
            return items
        items.extend(native(data))


def close(stream):
    stream.close()
    stream.wait_status(closed=True, failed=True, timeout=TIMEOUT)


failures = []
passes = [0]


def check(name, ok, detail=''):
    if ok:
        passes[0] += 1
        print('PASS %s' % name)
    else:
        failures.append(name)
        print('FAIL %s%s' % (name, (': ' + detail) if detail else ''))
    sys.stdout.flush()


def describe_bytes(got, want):
    if got == want:
        return ''
    n = min(len(got), len(want))
    first = next((i for i in range(n) if got[i] != want[i]), n)
    return 'got %d bytes, want %d, first difference at %d' % (len(got), len(want), first)


def guarded(name, fn):
    try:
        fn()
    except Exception as e:
        check(name, False, 'exception %r' % (e,))
        traceback.print_exc(file=sys.stdout)


port = int(sys.argv[1])
gw, link = wait_result(VUrl.resolve_with_link('vop://127.0.0.1:%d/' % port,
                                              conf=VOPInsecureUrlConfig(), nowait=True))


def bytes_fixed():
    length, seed = 100000, 7
    want = pattern(length, seed)
    stream = connect(call(gw, 'bytes_fixed', length, seed))
    got = read_all(stream)
    check('bytes_fixed read_all length=%d seed=%d' % (length, seed), got == want,
          describe_bytes(got, want))
    seeks = [(0, VStreamPos.ABS, 0), (1, VStreamPos.ABS, 1), (250, VStreamPos.ABS, 250),
             (251, VStreamPos.ABS, 251), (65536, VStreamPos.ABS, 65536),
             (99999, VStreamPos.ABS, 99999), (100000, VStreamPos.ABS, 100000),
             (12345, VStreamPos.START, 12345), (-1, VStreamPos.END, length - 1),
             (-1000, VStreamPos.END, length - 1000), (-length, VStreamPos.END, 0),
             (0, VStreamPos.END, length), (4242, VStreamPos.ABS, 4242)]
    names = {VStreamPos.ABS: 'ABS', VStreamPos.START: 'START', VStreamPos.END: 'END'}
    for pos, ref, offset in seeks:
        name = 'bytes_fixed rseek(%d, %s) re-read' % (pos, names[ref])
        try:
            stream.rseek(pos, ref, timeout=TIMEOUT)
            got = read_all(stream)
            check(name, got == want[offset:], describe_bytes(got, want[offset:]))
        except Exception as e:
            check(name, False, 'exception %r' % (e,))
    close(stream)


def bytes_file():
    initial = pattern(1000, 99)
    proxy, token = native(call(gw, 'bytes_file', initial))
    check('bytes_file token is an integer >= 1', isinstance(token, (int, long)) and token >= 1,
          repr(token))
    stream = connect(proxy)
    got = read_all(stream)
    check('bytes_file initial read', got == initial, describe_bytes(got, initial))
    data = pattern(150000, 3)
    stream.wseek(0, timeout=TIMEOUT)
    stream.write(data)
    stream.rseek(0, timeout=TIMEOUT)
    got = read_all(stream)
    check('bytes_file wseek(0)+write(%d) then rseek(0)+read' % len(data), got == data,
          describe_bytes(got, data))
    contents = call(gw, 'file_contents', token)
    check('bytes_file file_contents(%d) equals written data' % token, contents == data,
          describe_bytes(contents, data))
    close(stream)
    contents = call(gw, 'file_contents', token)
    check('bytes_file file_contents(%d) after close' % token, contents == data,
          describe_bytes(contents, data))


def entities_fixed():
    items = (0, -1, 2 ** 70, -(10 ** 40) - 7, 'ping', '\u00e6\u00f8\u00e5 \u2713 \U0001f600',
             b'', b'\x00\x01\xfe\xff', None, True, False, (1, ('two', (b'3', ())), ()),
             item(5), item(16))
    stream = connect(call(gw, 'entities_fixed', items))
    got = read_items(stream)
    check('entities_fixed %d items round-trip' % len(items), tuple(got) == items,
          'got %r' % (got,))
    stream.rseek(3, timeout=TIMEOUT)
    got = read_items(stream)
    check('entities_fixed rseek(3) re-read', tuple(got) == items[3:], 'got %r' % (got,))
    close(stream)


def entities_iter():
    count = 3000
    stream = connect(call(gw, 'entities_iter', count))
    got = []
    for element in stream.iterator(timeout=TIMEOUT):
        got.append(native(element))
    bad = [i for i in range(min(len(got), count)) if got[i] != item(i)]
    check('entities_iter(%d) items equal item(i)' % count, len(got) == count and not bad,
          'got %d items, %d differ (first %r)' % (len(got), len(bad), bad[:1]))


def name_sorter():
    sorter = call(gw, 'name_sorter')
    names = ['John Doe #5', 'John Doe #3', '\u00c5se #4', 'John Doe #1', 'Anna #2']
    for name in names:
        call(sorter, 'add', name)
    stream = connect(call(sorter, 'reset'))
    got = read_items(stream)
    check('name_sorter reset() streams the 5 names sorted', got == sorted(names),
          'got %r' % (got,))
    close(stream)
    stream = connect(call(sorter, 'reset'))
    got = read_items(stream)
    check('name_sorter second reset() is empty', got == [], 'got %r' % (got,))
    close(stream)


for name, fn in [('bytes_fixed', bytes_fixed), ('bytes_file', bytes_file),
                 ('entities_fixed', entities_fixed), ('entities_iter', entities_iter),
                 ('name_sorter', name_sorter)]:
    guarded(name, fn)

link.shutdown()
deadline = time.time() + 10
while not link.closed and time.time() < deadline:
    time.sleep(0.05)
print('%d passed, %d failed%s' % (passes[0], len(failures),
                                  (': ' + '; '.join(failures)) if failures else ''))
sys.stdout.flush()
# Skip interpreter teardown: the reference's reactor threads can keep a normal exit waiting.
os._exit(1 if failures else 0)
