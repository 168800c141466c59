#!/usr/bin/env python3
"""Checks the metainfo's screenshots: each is a PNG in data/screenshots (taken of Relay
running as a Flatpak by build-aux/relay-flatpak), referenced by its URL on the main branch,
with the width and height the file really has; and every file there is referenced."""

import os
import struct
import sys
import xml.etree.ElementTree as ET

BASE_URL = "https://raw.githubusercontent.com/relay-llm/relay/main/data/screenshots/"


def fail(message):
    print(f"metainfo screenshots: {message}")
    sys.exit(1)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def main(src):
    metainfo = os.path.join(src, "data", "io.github.relay_llm.Relay.metainfo.xml.in.in")
    shots = os.path.join(src, "data", "screenshots")
    images = ET.parse(metainfo).getroot().findall("./screenshots/screenshot/image")
    if not images:
        fail("the metainfo has no screenshot")
    referenced = set()
    for image in images:
        url = (image.text or "").strip()
        if not url.startswith(BASE_URL):
            fail(f"{url} is not a file of data/screenshots ({BASE_URL}…)")
        name = url[len(BASE_URL):]
        path = os.path.join(shots, name)
        if not os.path.isfile(path):
            fail(f"{url} names data/screenshots/{name}, which does not exist")
        width, height = png_size(path)
        if (image.get("width"), image.get("height")) != (str(width), str(height)):
            fail(f"{name} is {width}×{height}, the metainfo says "
                 f"{image.get('width')}×{image.get('height')}")
        referenced.add(name)
    unreferenced = sorted(set(os.listdir(shots)) - referenced)
    if unreferenced:
        fail(f"not referenced by the metainfo: {', '.join(unreferenced)}")
    print(f"metainfo screenshots: {', '.join(sorted(referenced))}")


if __name__ == "__main__":
    main(sys.argv[1])
