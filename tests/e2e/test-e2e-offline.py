#!/usr/bin/env python3
"""Network loss, as GNetworkMonitor reports it: Relay runs in a network namespace of
its own whose default route the test removes and restores. Offline, a banner says so
and the composer says why it cannot send while keeping what was written; back online,
both go away and the message can be sent."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import FakeServer, Relay, wait_until  # noqa: E402

OFFLINE_BANNER = "Offline — replies will resume when the network is back"
OFFLINE_HINT = "You are offline. What you write stays here until the network is back."


def in_namespace(pid, *command):
    subprocess.run(["nsenter", "--net", "-t", str(pid)] + list(command), check=True,
                   capture_output=True, timeout=10)


def test_offline_banner_and_composer():
    # The namespace holder: a shell whose network namespace Relay and the server share.
    holder = subprocess.Popen(["unshare", "--net", "sh", "-c",
                               "ip link set lo up && ip route add default dev lo && exec sleep 600"])
    try:
        wait_until(lambda: subprocess.run(["nsenter", "--net", "-t", str(holder.pid), "ip",
                                           "route"], capture_output=True, text=True)
                   .stdout.startswith("default"), 10, "the namespace's default route")
        prefix = ["nsenter", "--net", "-t", str(holder.pid)]
        server = FakeServer(key="test-key", wrapper=prefix)
        relay = Relay(env={"RELAY_BASE_URL": server.base_url}, wrapper=prefix).start()
        try:
            relay.set_text(relay.find("text", "API Key"), "test-key")
            relay.click(relay.find("button", "Continue"))
            message = relay.find("text", "Message")
            relay.set_text(message, "Are you still there?")

            in_namespace(holder.pid, "ip", "route", "del", "default")
            relay.find("label", OFFLINE_BANNER)
            relay.find("label", OFFLINE_HINT)
            assert relay.text_of(message) == "Are you still there?", "the words were lost"
            relay.screenshot("chat-offline")

            in_namespace(holder.pid, "ip", "route", "add", "default", "dev", "lo")
            relay.gone("label", OFFLINE_HINT)
            assert relay.text_of(message) == "Are you still there?", "the words were lost"
        finally:
            relay.quit()
            server.stop()
    finally:
        holder.kill()
        holder.wait()


if __name__ == "__main__":
    relaytest.main([("offline-banner-and-composer", test_offline_banner_and_composer)])
