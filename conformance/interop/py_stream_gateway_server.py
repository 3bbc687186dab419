# Interop helper, Versile Python serving the whole conformance gateway (conformance-gateway.md)
# over VOP PLAIN on 127.0.0.1 with the reference's own streamers: echo, add, fail, bytes_fixed,
# bytes_file + file_contents, entities_fixed, entities_iter, name_sorter.
# Prints "listening on 127.0.0.1:PORT" and runs until stdin is closed (Python 2.7, versile-python
# on PYTHONPATH). Files of bytes_file live in a temporary directory removed at exit.
from __future__ import print_function, unicode_literals

import os
import shutil
import sys
import tempfile
import threading
import time

from versile.conf import Versile
Versile.set_agpl_internal_use()

from versile.orb.entity import VException
from versile.orb.external import VExternal, publish
from versile.reactor.io.service import VOPInsecureServiceConfig, VOPService
from versile.vse import VSEResolver
import versile.vse.stream
from versile.vse.stream import (VByteSimpleFileStreamerData, VByteStreamBuffer, VByteStreamer,
                                VEntityStreamer, VStreamMode)

# Reference defect D1 (stream.md section 13): stream.py's `import time` gets versile.vse.time;
# bind the standard module so waits with a positive timeout work (runtime patch only).
versile.vse.stream.time = time
VSEResolver.enable_vse()

from py_support import item, pattern


class NameSorter(VExternal):
    def __init__(self):
        super(NameSorter, self).__init__()
        self._names = []

    @publish(show=True)
    def add(self, name):
        with self:
            self._names.append(name)

    @publish(show=True)
    def reset(self):
        with self:
            names, self._names = self._names, []
        names.sort()
        return VEntityStreamer.fixed(names).proxy()


class Files(object):
    """bytes_file storage: token -> file path; tokens count 1, 2, 3 ... per process."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='vp-interop-files-')
        self.paths = {}
        self.lock = threading.Lock()

    def create(self, initial):
        with self.lock:
            token = len(self.paths) + 1
            path = os.path.join(self.dir, 'file-%d' % token)
            self.paths[token] = path
        with open(path, 'wb') as f:
            f.write(initial)
        return token, path

    def contents(self, token):
        with self.lock:
            path = self.paths.get(token)
        if path is None:
            raise VException('no such file token', token)
        with open(path, 'rb') as f:
            return f.read()


files = Files()


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

    @publish(show=True)
    def bytes_fixed(self, length, seed):
        return VByteStreamer.fixed(pattern(length, seed), seek_rew=True, seek_fwd=True).proxy()

    @publish(show=True)
    def bytes_file(self, initial):
        token, path = files.create(initial)
        data = VByteSimpleFileStreamerData(path, 'r+', seek_rew=True, seek_fwd=True)
        mode = (data.req_mode[0] | VStreamMode.READABLE | VStreamMode.WRITABLE |
                VStreamMode.SEEK_FWD | VStreamMode.SEEK_REW | VStreamMode.END_CAN_DEC |
                VStreamMode.END_CAN_INC | VStreamMode.CAN_MOVE_END)
        return (VByteStreamer(data, mode, VByteStreamBuffer()).proxy(), token)

    @publish(show=True)
    def file_contents(self, token):
        return files.contents(token)

    @publish(show=True)
    def entities_fixed(self, items):
        return VEntityStreamer.fixed(items, seek_rew=True, seek_fwd=True).proxy()

    @publish(show=True)
    def entities_iter(self, count):
        return VEntityStreamer.iterator(item(i) for i in range(count)).proxy()

    @publish(show=True)
    def name_sorter(self):
        return NameSorter()


sock = VOPService.create_socket(interface='127.0.0.1', port=0)
port = sock.getsockname()[1]
service = VOPService(lambda: Gateway(), auth=None, sock=sock,
                     conf=VOPInsecureServiceConfig(port=port))
service.start()
print('listening on 127.0.0.1:%d' % port)
sys.stdout.flush()
sys.stdin.read()
service.stop(stop_links=True)
shutil.rmtree(files.dir, ignore_errors=True)
sys.stdout.flush()
os._exit(0)
