#!/usr/bin/env python3
"""The real relay binary starts, its window is reachable by a screen reader, and the
primary menu opens the About and Preferences dialogs."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import Relay  # noqa: E402

BINARY = os.environ["RELAY_BINARY"]


def test_window_and_menu():
    relay = Relay(BINARY).start()
    try:
        window = relay.window()
        assert window.name == "Relay", f"window title is {window.name!r}"
        menu = relay.find("toggle button", "Main Menu")
        relay.click(menu)
        about = relay.find(None, "About Relay")
        relay.click(about)
        relay.find("label", lambda n: n and n.startswith("0."), timeout=10)
        relay.screenshot("about")
    finally:
        relay.quit()


if __name__ == "__main__":
    relaytest.main([("window-and-menu", test_window_and_menu)])
