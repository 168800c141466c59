"""Drive the real Relay binary through the accessibility tree, as a screen reader would.

Used by the end-to-end tests in this folder. They run inside build-aux/relay-session, which
provides the X display, the D-Bus session bus and the keyring. The recipe (activate the
AT-SPI bus first, breadth-first search with polling, wait for the visible effect of every
click, screenshots only when two grabs agree) is the one in the design notes' TESTING.md.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

import pyatspi  # noqa: E402

DEFAULT_TIMEOUT = 15.0


class TestFailure(AssertionError):
    pass


def log(message):
    print(f"# {message}", flush=True)


def wait_until(predicate, timeout=DEFAULT_TIMEOUT, what="a condition", interval=0.05):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except GLib.Error as error:  # the tree changes under us
            last_error = error
        time.sleep(interval)
    raise TestFailure(f"timed out after {timeout:.0f} s waiting for {what}"
                      + (f" (last error: {last_error})" if last_error else ""))


def activate_a11y_bus():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                  None, GLib.VariantType.new("(s)"), Gio.DBusCallFlags.NONE, 5000, None)
    Atspi.set_timeout(5000, 15000)


def role_name(node):
    try:
        return node.getRoleName()
    except GLib.Error:
        return "?"


def walk(root, max_nodes=20000):
    queue = [root]
    seen = 0
    while queue and seen < max_nodes:
        node = queue.pop(0)
        seen += 1
        yield node
        try:
            count = node.childCount
        except GLib.Error:
            continue
        for i in range(count):
            try:
                child = node.getChildAtIndex(i)
            except GLib.Error:
                continue
            if child is not None:
                queue.append(child)


def node_text(node):
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except (NotImplementedError, GLib.Error, AttributeError):
        return ""


def accessible_name(node):
    """The name a screen reader speaks: the accessible name, else the text of the
    widgets that label it (GTK's menu items name themselves only that way)."""
    try:
        name = node.name
    except GLib.Error:
        return None
    if name:
        return name
    try:
        for relation in node.getRelationSet():
            if relation.getRelationType() == Atspi.RelationType.LABELLED_BY:
                parts = []
                for i in range(relation.getNTargets()):
                    target = relation.getTarget(i)
                    parts.append(target.name or node_text(target))
                joined = " ".join(p for p in parts if p)
                if joined:
                    return joined
    except GLib.Error:
        pass
    return name


def is_showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except GLib.Error:
        return False


class FakeServer:
    """The standalone fake RouteLLM server (tests/relay-fake-server) on a free port."""

    def __init__(self, binary=None, key=None, delay_ms=None, extra=(), wrapper=()):
        binary = binary or os.environ["RELAY_FAKE_SERVER"]
        args = list(wrapper) + [binary, "--port", "0"]
        if key:
            args += ["--key", key]
        if delay_ms is not None:
            args += ["--delay", str(delay_ms)]
        args += list(extra)
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("Listening on "):
            self.process.kill()
            raise TestFailure(f"fake server did not start: {line!r}")
        self.base_url = line[len("Listening on "):]
        log(f"fake server at {self.base_url}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Relay:
    """One running Relay process and its accessibility tree.

    Each instance gets its own XDG data, config and cache folders (so its history and
    model cache are its own) unless `home` names a folder to share, as a restart does."""

    def __init__(self, binary=None, args=(), env=None, name="relay", screenshot_dir=None,
                 home=None, wrapper=()):
        self.binary = binary or os.environ["RELAY_BINARY"]
        self.wrapper = list(wrapper)
        self.args = list(args)
        self.env = dict(os.environ)
        self.env.pop("NO_AT_BRIDGE", None)
        self.env.setdefault("GSETTINGS_BACKEND", "memory")
        self.home = home or tempfile.mkdtemp(prefix="relay-e2e-")
        for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_CACHE_HOME", "cache")):
            path = os.path.join(self.home, sub)
            os.makedirs(path, exist_ok=True)
            self.env[var] = path
        # The session's GTK settings (font, no animations) apply to this instance too.
        settings = os.path.join(os.environ.get("XDG_CONFIG_HOME", ""), "gtk-4.0", "settings.ini")
        if os.path.exists(settings):
            os.makedirs(os.path.join(self.env["XDG_CONFIG_HOME"], "gtk-4.0"), exist_ok=True)
            shutil.copy(settings, os.path.join(self.env["XDG_CONFIG_HOME"], "gtk-4.0"))
        if env:
            self.env.update(env)
        self.name = name
        self.process = None
        self.app = None
        self.screenshot_dir = screenshot_dir or os.environ.get(
            "RELAY_SCREENSHOT_DIR", os.path.join(tempfile.gettempdir(), "relay-screenshots"))
        os.makedirs(self.screenshot_dir, exist_ok=True)

    # process

    def start(self, timeout=DEFAULT_TIMEOUT):
        activate_a11y_bus()
        self.process = subprocess.Popen(self.wrapper + [self.binary] + self.args, env=self.env)
        desktop = pyatspi.Registry.getDesktop(0)

        def find_app():
            if self.process.poll() is not None:
                raise TestFailure(f"relay exited with status {self.process.returncode}")
            for i in range(desktop.childCount):
                child = desktop.getChildAtIndex(i)
                if child is None:
                    continue
                try:
                    if child.get_process_id() == self.process.pid:
                        return child
                except GLib.Error:
                    continue
            return None

        self.app = wait_until(find_app, timeout, "Relay on the accessibility bus")
        self.window()
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=10)
        self.app = None

    def quit(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.app = None

    # finding

    def window(self, timeout=DEFAULT_TIMEOUT):
        def find():
            for i in range(self.app.childCount):
                child = self.app.getChildAtIndex(i)
                if child is not None and role_name(child) in ("frame", "window", "dialog") \
                        and is_showing(child):
                    return child
            return None
        return wait_until(find, timeout, "a Relay window")

    def find_all(self, role=None, name=None, root=None, showing=True):
        root = root or self.app
        found = []
        for node in walk(root):
            if role is not None and role_name(node) != role:
                continue
            if name is not None:
                node_name = accessible_name(node)
                if node_name is None:
                    continue
                if callable(name):
                    if not name(node_name):
                        continue
                elif node_name != name:
                    continue
            if showing and not is_showing(node):
                continue
            found.append(node)
        return found

    def find(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT, showing=True):
        what = f"{role or 'any role'} named {name!r}"
        return wait_until(lambda: (self.find_all(role, name, root, showing) or [None])[0],
                          timeout, what)

    def gone(self, role=None, name=None, timeout=DEFAULT_TIMEOUT):
        wait_until(lambda: not self.find_all(role, name), timeout,
                   f"{role} named {name!r} to go away")

    def texts(self, role="label", root=None):
        result = []
        for node in self.find_all(role, None, root):
            try:
                result.append(node.name)
            except GLib.Error:
                pass
        return result

    def dump(self, root=None):
        """Logs the showing part of the tree: what a test can find, and by what name."""
        for node in walk(root or self.app):
            if is_showing(node):
                log(f"{role_name(node)}: {accessible_name(node)!r}")

    # acting

    def click(self, node):
        try:
            action = node.queryAction()
        except NotImplementedError:
            self.pointer_click(node)
            return
        for i in range(action.nActions):
            if action.getName(i) in ("click", "press", "activate"):
                action.doAction(i)
                return
        self.pointer_click(node)

    def pointer_click(self, node):
        """A real pointer click in the middle of node (for widgets, like list rows, that
        offer no click action). GTK 4 reports positions relative to its window."""
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        window = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                 str(self.process.pid)], capture_output=True, text=True,
                                timeout=10).stdout.split()[-1]
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                                  capture_output=True, text=True, timeout=10).stdout
        values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
        x = int(values["X"]) + extents.x + extents.width // 2
        y = int(values["Y"]) + extents.y + extents.height // 2
        # (mousemove --sync would wait forever when the pointer is already there)
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "sleep", "0.05", "click", "1"],
                       check=True, timeout=10)

    def focus_window(self):
        subprocess.run(["xdotool", "search", "--sync", "--limit", "1", "--pid",
                        str(self.process.pid), "windowfocus", "--sync"],
                       check=False, capture_output=True, timeout=10)

    def type_text(self, text):
        self.focus_window()
        subprocess.run(["xdotool", "type", "--delay", "5", text], check=True, timeout=60)

    def key(self, *keys):
        self.focus_window()
        subprocess.run(["xdotool", "key", "--delay", "30"] + list(keys), check=True, timeout=30)

    def set_text(self, node, text):
        editable = node.queryEditableText()
        editable.setTextContents(text)

    def text_of(self, node):
        t = node.queryText()
        return t.getText(0, t.characterCount)

    # looking

    def screenshot(self, name):
        """Saves the window when two grabs a moment apart agree; returns the path."""
        path = os.path.join(self.screenshot_dir, f"{name}.png")
        window_id = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            capture_output=True, text=True, timeout=10).stdout.split()
        target = window_id[-1] if window_id else "root"
        previous = None
        for _ in range(20):
            time.sleep(0.25)
            subprocess.run(["import", "-window", target, path + ".tmp.png"], check=True,
                           capture_output=True, timeout=30)
            with open(path + ".tmp.png", "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            if digest == previous:
                break
            previous = digest
        shutil.move(path + ".tmp.png", path)
        log(f"screenshot: {path}")
        return path


class TapRunner:
    """A tiny TAP producer, so meson reports each end-to-end step."""

    def __init__(self):
        self.tests = []

    def add(self, name, func):
        self.tests.append((name, func))

    def run(self):
        print("TAP version 14")
        print(f"1..{len(self.tests)}", flush=True)
        failed = 0
        for number, (name, func) in enumerate(self.tests, 1):
            try:
                func()
                print(f"ok {number} {name}", flush=True)
            except Exception as error:  # report and go on
                failed += 1
                print(f"not ok {number} {name}", flush=True)
                for line in str(error).splitlines() or [repr(error)]:
                    print(f"# {line}", flush=True)
                import traceback
                for line in traceback.format_exc().splitlines():
                    print(f"# {line}", flush=True)
        return 1 if failed else 0


def main(tests):
    runner = TapRunner()
    for name, func in tests:
        runner.add(name, func)
    sys.exit(runner.run())
