#!/usr/bin/env bash
# Makes the installers' icons from assets/icon.png (256 px, the logo drawn from assets/logo.svg):
# assets/icon.ico (Windows, 16-256 px) and assets/icon.icns (macOS, 16-256 px). They are
# committed; run this again after changing the icon. Needs ImageMagick (convert) and python3.
# (ImageMagick's own SVG renderer draws the logo's arcs wrongly, so the PNG is the master.)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
assets=$repo/assets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for size in 16 32 48 64 128 256; do
  convert "$assets/icon.png" -resize "${size}x${size}" "PNG32:$work/icon-$size.png"
done
convert "$work"/icon-{16,32,48,64,128,256}.png "$assets/icon.ico"
# ICNS: "icns", total length, then (type, length, PNG bytes) per size; big-endian lengths.
python3 - "$work" "$assets/icon.icns" <<'PY'
import struct, sys
work, out = sys.argv[1], sys.argv[2]
types = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256)]
chunks = b""
for kind, size in types:
    png = open(f"{work}/icon-{size}.png", "rb").read()
    chunks += kind.encode() + struct.pack(">I", len(png) + 8) + png
open(out, "wb").write(b"icns" + struct.pack(">I", len(chunks) + 8) + chunks)
PY
echo "$assets/icon.ico $assets/icon.icns"
