#!/usr/bin/env python3
"""A reply that finishes while Relay's window does not have the focus raises a desktop
notification (received here by a stand-in notification server on the session bus); one
that finishes while the user is looking does not."""

import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import relaytest  # noqa: E402
from relaytest import FakeServer, Relay, wait_until  # noqa: E402

from gi.repository import Gio, GLib  # noqa: E402

KEY = "test-notify"
LAST_LINE = "That is all there is to it."

INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
  </interface>
</node>
"""


class NotificationServer:
    """Owns org.freedesktop.Notifications and keeps what it is asked to show."""

    def __init__(self):
        self.received = []
        self.context = GLib.MainContext.new()
        self.loop = GLib.MainLoop.new(self.context, False)
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)

    def _call(self, connection, sender, path, interface, method, params, invocation):
        if method == "Notify":
            _app, _replaces, _icon, summary, body = params.unpack()[:5]
            self.received.append((summary, body))
            invocation.return_value(GLib.Variant("(u)", (len(self.received),)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("test", "relay", "1", "1.2")))
        else:
            invocation.return_value(None)

    def _run(self, ready):
        self.context.push_thread_default()
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        info = Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces[0]
        bus.register_object("/org/freedesktop/Notifications", info, self._call, None, None)
        Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications",
                                       Gio.BusNameOwnerFlags.NONE, None, None)
        GLib.idle_add(lambda: ready.set())
        self.loop.run()

    def stop(self):
        self.loop.quit()


def window_ids(relay):
    return subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                           str(relay.process.pid)], capture_output=True, text=True).stdout.split()


def test_notification_when_unfocused():
    notifications = NotificationServer()
    with FakeServer(key=KEY, delay_ms=60) as server:
        relay = Relay(env={"RELAY_BASE_URL": server.base_url}).start()
        try:
            relay.set_text(relay.find("text", "API Key"), KEY)
            relay.click(relay.find("button", "Continue"))
            relay.set_text(relay.find("text", "Message"), "While I look away")
            relay.key("Return")
            relay.find("heading", "A reply from the test server", timeout=20)
            # The user switches to another window while the reply is still being written.
            first = window_ids(relay)
            relay.key("ctrl+shift+n")
            other = wait_until(lambda: [w for w in window_ids(relay) if w not in first],
                               10, "a second window")[0]
            subprocess.run(["xdotool", "windowfocus", "--sync", other], check=True, timeout=10)
            relay.find("label", LAST_LINE, timeout=30)
            wait_until(lambda: notifications.received, 10, "a notification")
            summary, body = notifications.received[0]
            assert summary == "While I look away", summary
            assert "A reply from the test server" in body, body

            # Back to the chat (the other window closed): no notification for the next reply.
            subprocess.run(["xdotool", "windowfocus", "--sync", other, "key", "ctrl+w"], check=True,
                           timeout=10)
            wait_until(lambda: other not in window_ids(relay), 10, "the second window to close")
            subprocess.run(["xdotool", "windowfocus", "--sync", first[0]], check=True, timeout=10)
            count = len(notifications.received)
            relay.set_text(relay.find("text", "Message"), "And now I watch")
            relay.key("Return")
            relay.find("label", "And now I watch")
            relay.find("label", "You wrote: And now I watch", timeout=30)
            relay.find("button", "Send", timeout=30)  # the reply is complete
            time.sleep(1)
            assert len(notifications.received) == count, notifications.received
        finally:
            relay.quit()
            notifications.stop()


if __name__ == "__main__":
    relaytest.main([("notification-when-unfocused", test_notification_when_unfocused)])
