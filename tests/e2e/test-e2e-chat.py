#!/usr/bin/env python3
"""A conversation as a user holds it, in the real window against the fake server: send
and stream (with the routed model and the cost on the reply), stop, regenerate, an error
with Retry, a rate limit that counts down, a restart that finds the conversation, and a
kill -9 in the middle of a reply that reopens with the partial text marked interrupted."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import FakeServer, Relay, wait_until  # noqa: E402

KEY = "test-e2e-chat"
LAST_LINE = "That is all there is to it."


def contains(text):
    return lambda name: name is not None and text in name


def signed_in(server, home=None, env=None):
    environment = {"RELAY_BASE_URL": server.base_url}
    environment.update(env or {})
    relay = Relay(env=environment, home=home).start()
    try:
        relay.find(None, lambda n: n in ("Welcome to Relay", "Message"))
        if relay.find_all("label", "Welcome to Relay"):
            relay.set_text(relay.find("text", "API Key"), KEY)
            continue_button = relay.find("button", "Continue")
            # A click that lands while the page is still settling can be dropped: try
            # again until the chat page shows.
            deadline = time.monotonic() + 30
            while not relay.find_all("text", "Message"):
                if time.monotonic() > deadline:
                    raise relaytest.TestFailure("the chat page did not open after Continue")
                if relay.find_all("button", "Continue"):
                    relay.click(continue_button)
                for _ in range(10):
                    if relay.find_all("text", "Message"):
                        break
                    time.sleep(0.3)
        relay.find("text", "Message")
    except BaseException:
        relay.kill()
        raise
    return relay


def send(relay, text):
    relay.set_text(relay.find("text", "Message"), text)
    relay.key("Return")


def test_send_stream_restart():
    with FakeServer(key=KEY, delay_ms=40) as server:
        relay = signed_in(server)
        try:
            send(relay, "Hello there")
            # The routed model shows from the first chunk on, before the reply ends.
            relay.find("heading", "A reply from the test server", timeout=20)
            relay.find("label", contains("route-llm → claude-4-5-sonnet"))
            assert not relay.find_all("label", LAST_LINE), "the reply did not stream"
            relay.screenshot("chat-streaming")

            relay.find("label", LAST_LINE, timeout=20)
            caption = relay.find("label", lambda n: n and n.startswith("route-llm →")
                                 and "tokens in" in n)
            assert "$" in caption.name and "claude-4-5-sonnet" in caption.name, caption.name
            relay.find("label", contains("This chat so far"))
            # The composer let go of the words only once they were stored.
            assert relay.text_of(relay.find("text", "Message")) == ""
            relay.find("list item", "Hello there")  # in the sidebar
            relay.screenshot("chat-reply")
        finally:
            relay.quit()

        again = signed_in(server, home=relay.home)
        try:
            again.click(again.find("list item", "Hello there"))
            again.find("label", LAST_LINE)
            again.find("label", "Hello there")
        finally:
            again.quit()


def test_dark_and_narrow():
    with FakeServer(key=KEY, delay_ms=5) as server:
        relay = signed_in(server, env={"ADW_DEBUG_COLOR_SCHEME": "prefer-dark"})
        try:
            send(relay, "Show me some code")
            relay.find("label", LAST_LINE, timeout=20)
            relay.screenshot("chat-reply-dark")
        finally:
            relay.quit()


def test_stop_keeps_partial_text():
    with FakeServer(key=KEY, delay_ms=150) as server:
        relay = signed_in(server)
        try:
            send(relay, "Tell me a long story")
            relay.find("heading", "A reply from the test server", timeout=20)
            relay.click(relay.find("button", "Stop"))
            relay.find("label", "Stopped")
            time.sleep(1)
            assert not relay.find_all("label", LAST_LINE), "text kept arriving after Stop"
            relay.find("heading", "A reply from the test server")
            relay.find("button", "Send")
        finally:
            relay.quit()


def test_regenerate_keeps_versions():
    with FakeServer(key=KEY, delay_ms=5) as server:
        relay = signed_in(server)
        try:
            send(relay, "First question")
            relay.find("label", LAST_LINE, timeout=20)
            relay.click(relay.find("button", "Regenerate"))
            relay.find("label", "Version 2 of 2", timeout=20)
            relay.find("label", LAST_LINE, timeout=20)
            relay.click(relay.find("button", contains("Previous Version")))
            relay.find("label", "Version 1 of 2")
        finally:
            relay.quit()


def test_error_then_retry():
    with FakeServer(key=KEY, delay_ms=5) as server:
        relay = signed_in(server)
        try:
            send(relay, "!once 400 then answer")
            relay.find("label", "The test server was asked to fail.", timeout=20)
            relay.screenshot("chat-error")
            # The question is still there, and Retry asks again.
            relay.find("label", "!once 400 then answer")
            relay.click(relay.find("button", "Retry"))
            relay.find("label", LAST_LINE, timeout=20)
            relay.find("label", "Version 2 of 2")
        finally:
            relay.quit()


def test_rate_limit_counts_down():
    with FakeServer(key=KEY, delay_ms=5) as server:
        relay = signed_in(server)
        try:
            send(relay, "!once 429 busy now")
            relay.find("label", contains("Trying again in"), timeout=20)
            relay.screenshot("chat-rate-limited")
            relay.find("label", LAST_LINE, timeout=20)
            relay.gone("label", contains("Trying again in"))
        finally:
            relay.quit()


def test_kill_mid_stream():
    with FakeServer(key=KEY, delay_ms=200) as server:
        relay = signed_in(server)
        try:
            send(relay, "Write slowly")
            relay.find("heading", "A reply from the test server", timeout=20)
            time.sleep(2.5)  # a checkpoint a second while the reply streams
        finally:
            relay.kill(signal.SIGKILL)

        again = signed_in(server, home=relay.home)
        try:
            again.click(again.find("list item", "Write slowly"))
            again.find("label", "Write slowly")
            again.find("label", "Interrupted")
            again.find("heading", "A reply from the test server")
            assert not again.find_all("label", LAST_LINE)
            again.screenshot("chat-interrupted")
            again.click(again.find("button", "Retry"))
            again.find("label", LAST_LINE, timeout=40)
        finally:
            again.quit()


if __name__ == "__main__":
    relaytest.main([
        ("send-stream-restart", test_send_stream_restart),
        ("dark", test_dark_and_narrow),
        ("stop-keeps-partial-text", test_stop_keeps_partial_text),
        ("regenerate-keeps-versions", test_regenerate_keeps_versions),
        ("error-then-retry", test_error_then_retry),
        ("rate-limit-counts-down", test_rate_limit_counts_down),
        ("kill-mid-stream", test_kill_mid_stream),
    ])
