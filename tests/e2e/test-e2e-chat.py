#!/usr/bin/env python3
"""The real relay binary against the standalone fake server: the key is entered, a question
is sent from the composer, the reply streams into the chat view with its caption, and the
reply's actions are reachable by a screen reader."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import Relay, TestFailure, wait_until  # noqa: E402

BINARY = os.environ["RELAY_BINARY"]
FAKE_SERVER = os.environ["RELAY_FAKE_SERVER"]
KEY = "test-e2e-0123456789"


def start_server():
    server = subprocess.Popen([FAKE_SERVER, "--port", "0", "--delay", "15"],
                              stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    if not line.startswith("Listening on "):
        server.kill()
        raise TestFailure(f"the fake server said {line!r}")
    return server, line.split()[-1]


def test_chat():
    server, base_url = start_server()
    relay = Relay(BINARY, env={"RELAY_BASE_URL": base_url}).start()
    try:
        key = relay.find("text", "API Key")
        relay.set_text(key, KEY)
        relay.click(relay.find("button", "Continue"))

        composer = relay.find("text", "Message", timeout=30)
        relay.set_text(composer, "How do I print in C?")
        relay.click(relay.find("button", "Send"))

        # The question, then the reply streaming in and finishing with its caption.
        relay.find(None, "How do I print in C?")
        relay.find("heading", "A reply from the test server", timeout=30)
        relay.find("label", lambda n: n.startswith("route-llm → ") and "tokens in" in n,
                   timeout=30)
        for action in ("Regenerate", "Copy", "Delete", "Edit and Resend"):
            relay.find("button", action)
        wait_until(lambda: relay.find_all("list", "Messages"), what="the list of messages")
        relay.screenshot("chat-window")
    finally:
        relay.quit()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    relaytest.main([("chat", test_chat)])
