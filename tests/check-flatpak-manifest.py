#!/usr/bin/env python3
"""Checks the Flatpak manifest: it parses, targets the GNOME 48 runtime, pins every
source by checksum (or commit), asks for no permission beyond the allowed list, and each
permission it asks for is justified in flatpak/README.md. build-aux/relay-flatpak checks the
installed app's permissions against the same list."""

import json
import os
import re
import sys

# Each permission Relay needs, and why (flatpak/README.md says the same at more length).
# Files go through the file chooser portal and the API key through the Secret portal, so
# there is no --filesystem and no --talk-name.
ALLOWED_FINISH_ARGS = {
    "--share=network",      # RouteLLM is a web API
    "--share=ipc",          # X11 shared memory, for the X11 fallback only
    "--socket=wayland",     # the window
    "--socket=fallback-x11",  # the window where there is no Wayland
    "--device=dri",         # GPU rendering
}


def fail(message):
    print(f"flatpak manifest: {message}")
    sys.exit(1)


def check_source(module, source):
    kind = source.get("type")
    if kind in ("archive", "file"):
        digest = source.get("sha256", "")
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            fail(f"module {module}: source {source.get('url') or source.get('path')} "
                 f"is not pinned by a sha256 (got {digest!r})")
        url = source.get("url", "")
        if url and not url.startswith("https://"):
            fail(f"module {module}: source URL must be https: {url}")
    elif kind == "git":
        if not source.get("commit"):
            fail(f"module {module}: git source {source.get('url')} is not pinned to a commit")
    elif kind == "dir":
        pass  # the project's own tree
    elif kind in ("patch", "shell", "script"):
        pass
    else:
        fail(f"module {module}: unexpected source type {kind!r}")


def main(path):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)

    expect = {
        "id": "io.github.relay_llm.Relay",
        "runtime": "org.gnome.Platform",
        "runtime-version": "48",
        "sdk": "org.gnome.Sdk",
        "command": "relay",
    }
    for key, value in expect.items():
        if manifest.get(key) != value:
            fail(f"{key} is {manifest.get(key)!r}, expected {value!r}")

    finish_args = manifest.get("finish-args", [])
    extra = [arg for arg in finish_args if arg not in ALLOWED_FINISH_ARGS]
    if extra:
        fail(f"permissions not on the allowed list: {', '.join(extra)}")
    for arg in finish_args:
        if arg.startswith("--filesystem"):
            fail(f"file access must go through portals, not {arg}")
    if "--share=network" not in finish_args:
        fail("--share=network is missing; Relay cannot reach RouteLLM without it")

    readme_path = os.path.join(os.path.dirname(os.path.abspath(path)), "README.md")
    try:
        with open(readme_path, encoding="utf-8") as f:
            readme = f.read()
    except OSError:
        fail(f"{readme_path}, which justifies each permission, is missing")
    unjustified = [arg for arg in finish_args if f"`{arg}`" not in readme]
    if unjustified:
        fail(f"not justified in flatpak/README.md: {', '.join(unjustified)}")

    modules = manifest.get("modules", [])
    names = [m.get("name") for m in modules if isinstance(m, dict)]
    if "md4c" not in names:
        fail("md4c, which the GNOME runtime lacks, is not built")
    if not names or names[-1] != "relay":
        fail("the last module must be relay itself")

    for module in modules:
        if not isinstance(module, dict):
            fail("modules must be objects, not file references")
        for source in module.get("sources", []):
            check_source(module.get("name"), source)

    print(f"flatpak manifest: {len(modules)} modules, every source pinned, "
          f"permissions: {' '.join(finish_args)}")


if __name__ == "__main__":
    main(sys.argv[1])
