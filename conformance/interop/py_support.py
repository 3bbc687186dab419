# Shared pieces of the Python 2.7 scripts run on Versile Python (py_*_check.py, the gateway
# server): the conformance gateway's data patterns and a polling wait for call results.
from __future__ import print_function, unicode_literals

from versile.common.util import VNoResult


def pattern(length, seed):
    """conformance-gateway.md: byte i is (i * 31 + seed) mod 251."""
    return bytes(bytearray((i * 31 + seed) % 251 for i in range(length)))


def item(i):
    """conformance-gateway.md: the entities_iter item i."""
    return (i, 'item-%d' % i, pattern(i % 17, i))


def wait_result(pending, timeout=60.0):
    # The reference's blocking VResult.wait() without a timeout can miss a wakeup (see
    # traces/reference/FORMAT.md); polling with a timeout sends the same bytes.
    waited = 0.0
    while True:
        try:
            return pending.result(timeout=0.1)
        except VNoResult:
            waited += 0.1
            if waited > timeout:
                raise


def call(obj, method, *args):
    """A normal call on a proxy, waited for."""
    return wait_result(getattr(obj, method)(*args, nowait=True))
