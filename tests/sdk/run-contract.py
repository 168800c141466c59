#!/usr/bin/env python3
# run-contract.py SERVER CONTRACT: starts relay-fake-server on a free port, runs the OpenAI SDK
# contract script against it with node, and stops the server. Passes TAP through.
import os
import signal
import subprocess
import sys


def main():
    server_path, contract = sys.argv[1], sys.argv[2]
    server = subprocess.Popen([server_path, '--port', '0', '--delay', '1'],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        if not line.startswith('Listening on '):
            print('Bail out! relay-fake-server did not start: %r' % line)
            return 1
        base_url = line[len('Listening on '):]
        env = dict(os.environ)
        env.setdefault('NODE_PATH', '/opt/relay-node/node_modules')
        return subprocess.run(['node', contract, base_url], env=env, timeout=60).returncode
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == '__main__':
    sys.exit(main())
