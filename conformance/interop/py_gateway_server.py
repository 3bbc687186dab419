# Interop helper, Versile Python side as VOP server (Python 2.7, versile-python on PYTHONPATH):
# serves a gateway with echo, add and fail over VOP PLAIN on 127.0.0.1 (a free port), prints
# "listening on 127.0.0.1:PORT" and runs until stdin is closed.
from __future__ import print_function, unicode_literals

import sys

from versile.conf import Versile
Versile.set_agpl_internal_use()

from versile.orb.entity import VException
from versile.orb.external import VExternal, publish
from versile.reactor.io.service import VOPInsecureServiceConfig, VOPService


class Gateway(VExternal):
    @publish(show=True)
    def echo(self, value):
        return value

    @publish(show=True)
    def add(self, a, b):
        return a + b

    @publish(show=True)
    def fail(self, message):
        raise VException(message)


sock = VOPService.create_socket(interface='127.0.0.1', port=0)
port = sock.getsockname()[1]
service = VOPService(lambda: Gateway(), auth=None, sock=sock,
                     conf=VOPInsecureServiceConfig(port=port))
service.start()
print('listening on 127.0.0.1:%d' % port)
sys.stdout.flush()
sys.stdin.read()
service.stop(stop_links=True)
