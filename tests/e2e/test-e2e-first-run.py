#!/usr/bin/env python3
"""First run as a new user lives it: the welcome page asks for the key; a wrong key
gets its own message and the key field stays for another try; the right key opens the
chat, and it was stored in the Secret Service (a restart goes straight to the chat)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import FakeServer, Relay  # noqa: E402


def test_first_run():
    with FakeServer(key="test-good-key") as server:
        relay = Relay(env={"RELAY_BASE_URL": server.base_url}).start()
        try:
            relay.find("label", "Welcome to Relay")
            relay.screenshot("welcome")

            key = relay.find("text", "API Key")
            relay.set_text(key, "test-wrong-key")
            relay.click(relay.find("button", "Continue"))
            relay.find("label", "The Key Was Not Accepted")
            relay.screenshot("welcome-bad-key")

            relay.set_text(key, "test-good-key")
            relay.click(relay.find("button", "Continue"))
            relay.find("label", "Start a Conversation")
            relay.find("text", "Message")
            relay.screenshot("chat-empty")
        finally:
            relay.quit()

        # The key is in the keyring now: the next start skips the welcome page.
        again = Relay(env={"RELAY_BASE_URL": server.base_url}, home=relay.home).start()
        try:
            again.find("label", "Start a Conversation")
            assert not again.find_all("label", "Welcome to Relay"), "welcome page shown again"
        finally:
            again.quit()


def test_unreachable_server():
    # A port nothing listens on: the message is about the network, not the key.
    relay = Relay(env={"RELAY_BASE_URL": "http://127.0.0.1:9/v1"}).start()
    try:
        key = relay.find("text", "API Key")
        relay.set_text(key, "test-any")
        relay.click(relay.find("button", "Continue"))
        relay.find("label", "Could Not Reach RouteLLM")
    finally:
        relay.quit()


if __name__ == "__main__":
    relaytest.main([("first-run", test_first_run),
                    ("unreachable-server", test_unreachable_server)])
