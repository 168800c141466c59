#!/usr/bin/env python3
# test-cli.py RELAY_CLI FAKE_SERVER: relay-cli against the standalone fake server, as a user
# runs it: the model list, a streamed chat, --json with a tool call, images saved to files,
# the keyring, and the exit codes that scripts rely on. Prints TAP.
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback

CLI, SERVER = sys.argv[1], sys.argv[2]
KEY = 'test-cli-key-7c0ffee'


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *args):
        self.process = subprocess.Popen([SERVER, '--port', '0', *args],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        assert line.startswith('Listening on '), line
        self.base_url = line[len('Listening on '):]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def run(*args, key=KEY, base_url=None, stdin=None, env_extra=None, timeout=30):
    env = dict(os.environ)
    env.pop('RELAY_API_KEY', None)
    env.pop('RELAY_BASE_URL', None)
    if key is not None:
        env['RELAY_API_KEY'] = key
    if base_url is not None:
        env['RELAY_BASE_URL'] = base_url
    env.update(env_extra or {})
    result = subprocess.run([CLI, *args], env=env, input=stdin, capture_output=True,
                            text=True, timeout=timeout)
    # The key never appears in anything relay-cli prints.
    assert key is None or key not in result.stdout + result.stderr, 'the key was printed'
    return result


def png_size(path):
    with open(path, 'rb') as f:
        header = f.read(24)
    assert header[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    return struct.unpack('>II', header[16:24])


server = Server('--delay', '8')
tests = []


def test(function):
    tests.append(function)
    return function


@test
def models_table():
    result = run('models', base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == 'MODEL', lines[0]
    assert lines[1].split()[0] == 'route-llm'
    assert len(lines) >= 16, len(lines)
    gpt = next(line for line in lines if line.startswith('gpt-5.1 '))
    assert '1.25' in gpt and '10.00' in gpt, gpt
    assert result.stderr == ''


@test
def models_json():
    result = run('models', '--json', base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    models = {m['id']: m for m in json.loads(result.stdout)}
    assert models['gpt-5.1']['usd_per_million_input_tokens'] == 1.25
    assert 'images' in models['flux-2-pro']['capabilities']


@test
def chat_streams_progressively():
    process = subprocess.Popen([CLI, 'chat', '--stream', '--base-url', server.base_url, 'Hello there'],
                               env=dict(os.environ, RELAY_API_KEY=KEY), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    start = time.monotonic()
    first = process.stdout.read1(65536)
    first_at = time.monotonic() - start
    rest = process.stdout.read()
    ended_at = time.monotonic() - start
    assert process.wait(timeout=30) == 0, process.stderr.read()
    text = (first + rest).decode()
    assert text.startswith('## A reply from the test server'), text[:80]
    assert 'You wrote: *Hello there*' in text
    assert '```c' in text and text.endswith('\n')
    # The reply is printed as it arrives, not at the end.
    print(f'# first output after {first_at * 1000:.0f} ms, all after {ended_at * 1000:.0f} ms')
    assert ended_at - first_at > 0.3, (first_at, ended_at)


@test
def chat_plain_from_stdin():
    result = run('chat', '--model', 'gpt-5.1', '-', base_url=server.base_url, stdin='Read from stdin\n')
    assert result.returncode == 0, result.stderr
    assert 'You wrote: *Read from stdin' in result.stdout


@test
def chat_json_with_tool_call():
    schema = '{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}'
    result = run('chat', '--json', '--tool', 'get_current_weather=' + schema,
                 "What's the weather in Boston?", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply['finish_reason'] == 'tool_calls', reply
    assert reply['model'] == 'route-llm'
    assert reply['routed_model'] == 'claude-4-5-sonnet'
    assert reply['usage']['total_tokens'] == reply['usage']['prompt_tokens'] + reply['usage']['completion_tokens']
    [call] = reply['tool_calls']
    assert call['type'] == 'function' and call['id'].startswith('call_')
    assert call['function']['name'] == 'get_current_weather'
    assert json.loads(call['function']['arguments'])['location'] == 'Boston, MA'


@test
def chat_json_streamed():
    result = run('chat', '--json', '--stream', 'Hi', base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply['finish_reason'] == 'stop' and reply['tool_calls'] == []
    assert 'You wrote: *Hi*' in reply['content']
    assert reply['usage']['completion_tokens'] > 0


@test
def image_saved_to_files():
    out = tempfile.mkdtemp(prefix='relay-cli-images-')
    try:
        result = run('image', '--count', '2', '--aspect-ratio', '16:9', '--out', out,
                     'A lighthouse at dusk', base_url=server.base_url)
        assert result.returncode == 0, result.stderr
        paths = result.stdout.splitlines()
        assert len(paths) == 2, paths
        for path in paths:
            assert os.path.dirname(path) == out, path
            assert png_size(path) == (256, 144), png_size(path)
        # A second run never overwrites the first one's files.
        again = run('image', '--out', out, 'Another', base_url=server.base_url)
        assert again.returncode == 0, again.stderr
        assert len(os.listdir(out)) == 3
    finally:
        shutil.rmtree(out)


@test
def exit_code_usage():
    for args in (['chat'], ['chat', '--no-such-option', 'hi'], ['image', '--count', '9', 'x'],
                 ['chat', '--temperature', '9', 'hi'], ['frobnicate'], [],
                 ['chat', '--base-url', 'http://example.com/v1', 'hi']):
        result = run(*args, base_url=server.base_url)
        assert result.returncode == 2, (args, result.returncode, result.stderr)
        assert result.stdout == '', (args, result.stdout)
        assert result.stderr.strip() != ''


@test
def exit_code_unauthorized():
    result = run('chat', 'hi', key='wrong-key', base_url=server.base_url)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert 'Invalid API key' in result.stderr
    assert result.stdout == ''


@test
def exit_code_connection_refused():
    url = f'http://127.0.0.1:{closed_port()}/v1'
    result = run('models', '--max-attempts', '1', '--base-url', url)
    assert result.returncode == 4, (result.returncode, result.stderr)
    assert '127.0.0.1' in result.stderr
    assert result.stdout == ''


@test
def exit_code_missing_attachment():
    result = run('chat', '--attach', '/nonexistent/photo.png', 'hi', base_url=server.base_url)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert 'photo.png' in result.stderr


@test
def key_from_keyring():
    if shutil.which('secret-tool') is None or 'DBUS_SESSION_BUS_ADDRESS' not in os.environ:
        print('# skipped: no secret-tool or session bus')
        return
    # No key anywhere: a usage error that says how to give one.
    result = run('models', key=None, base_url=server.base_url)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert 'RELAY_API_KEY' in result.stderr
    # The key Relay stores for this base URL, under its schema.
    subprocess.run(['secret-tool', 'store', '--label=Relay test', 'xdg:schema', 'io.github.relay_llm.Relay',
                    'base-url', server.base_url], input=KEY, text=True, check=True, timeout=20)
    try:
        result = run('models', key=None, base_url=server.base_url)
        assert result.returncode == 0, (result.returncode, result.stderr)
        assert KEY not in result.stdout + result.stderr
    finally:
        subprocess.run(['secret-tool', 'clear', 'xdg:schema', 'io.github.relay_llm.Relay',
                        'base-url', server.base_url], timeout=20)


print('TAP version 14')
print(f'1..{len(tests)}')
failed = 0
try:
    for number, function in enumerate(tests, 1):
        start = time.monotonic()
        try:
            function()
            print(f'ok {number} - {function.__name__} ({(time.monotonic() - start) * 1000:.0f} ms)')
        except Exception:
            failed += 1
            print(f'not ok {number} - {function.__name__}')
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
finally:
    server.stop()
sys.exit(1 if failed else 0)
