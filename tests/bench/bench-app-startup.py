#!/usr/bin/env python3
"""Start-up of the real relay binary: time from launch to its window's first frame (the
window mapped on the X server), with an empty history and with 1,000 conversations and
100,000 messages, the key in the keyring so the chat page and its sidebar are what shows.
Also the resident memory once the window is up. Target: the full history within 1.2x of
the empty one. Run it inside the test session:
  build-aux/relay-dev session meson test -C _build --benchmark bench-app-startup
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7
BASE_URL = "http://127.0.0.1:9/v1"   # never reached: start-up needs no network


def make_home(bench_store, mode):
    home = tempfile.mkdtemp(prefix=f"relay-startup-{mode}-")
    data = os.path.join(home, "data", "relay")
    os.makedirs(data)
    os.makedirs(os.path.join(home, "cache"))
    os.makedirs(os.path.join(home, "config"))
    subprocess.run([bench_store, f"--{mode}", os.path.join(data, "relay.db")], check=True,
                   stdout=subprocess.DEVNULL)
    return home


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def launch(binary, home):
    env = dict(os.environ)
    env.update({"XDG_DATA_HOME": os.path.join(home, "data"),
                "XDG_CACHE_HOME": os.path.join(home, "cache"),
                "XDG_CONFIG_HOME": os.path.join(home, "config"),
                "RELAY_BASE_URL": BASE_URL,
                "GSETTINGS_BACKEND": "memory"})
    start = time.monotonic()
    process = subprocess.Popen([binary], env=env, stderr=subprocess.DEVNULL)
    try:
        while True:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                    str(process.pid)], capture_output=True, text=True)
            if found.stdout.strip():
                elapsed = time.monotonic() - start
                break
            if process.poll() is not None or time.monotonic() - start > 30:
                raise SystemExit("relay did not show its window")
            time.sleep(0.002)
        time.sleep(0.5)
        rss = rss_kib(process.pid)
    finally:
        process.terminate()
        process.wait()
    return elapsed * 1000, rss


def main():
    binary, bench_store = sys.argv[1], sys.argv[2]
    subprocess.run(["secret-tool", "store", "--label=Relay", "xdg:schema",
                    "io.github.relay_llm.Relay", "base-url", BASE_URL],
                   input=b"test-benchmark", check=True)
    started = time.monotonic()
    full = make_home(bench_store, "generate")
    print(f"generated 1,000 conversations and 100,000 messages in {time.monotonic() - started:.1f} s")
    empty = make_home(bench_store, "empty")

    launch(binary, empty)  # warm the page cache and the font caches
    launch(binary, full)
    empty_ms, full_ms, empty_rss, full_rss = [], [], [], []
    for _ in range(RUNS):
        ms, rss = launch(binary, empty)
        empty_ms.append(ms)
        empty_rss.append(rss)
        ms, rss = launch(binary, full)
        full_ms.append(ms)
        full_rss.append(rss)

    e, f = statistics.median(empty_ms), statistics.median(full_ms)
    print(f"launch to first frame, median of {RUNS}: empty history {e:.0f} ms, "
          f"1,000 chats / 100,000 messages {f:.0f} ms ({f / e:.2f}x; target 1.20x)")
    print(f"resident memory with the window up: empty {statistics.median(empty_rss) / 1024:.1f} MiB, "
          f"full {statistics.median(full_rss) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
