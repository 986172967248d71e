#!/usr/bin/env bash
# Draws Plumbline's icon (a plumb bob on a teal tile) once, at 1024 px, and derives every
# platform's icon from that one image: the Linux sizes, Windows' icon.ico (16-256 px) and
# macOS's icon.icns (16-1024 px). Run to regenerate; the results are committed, since
# tauri-build embeds them at compile time. Needs ImageMagick and png2icns (icnsutils).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The drawing is laid out on a 512 grid and scaled up, so each size is cut from sharp edges.
convert -size 1024x1024 xc:none -affine 2,0,0,2,0,0 \
  -fill '#1a5f69' -draw 'roundrectangle 16,16 495,495 108,108' \
  -fill '#e8f3f1' -draw 'roundrectangle 247,60 265,226 9,9' \
  -stroke '#e8f3f1' -strokewidth 16 -fill none -draw 'circle 256,70 256,94' \
  -stroke none -fill '#f2b84b' -draw 'polygon 256,206 344,312 256,452 168,312' \
  -fill '#dc962a' -draw 'polygon 256,206 256,452 168,312' \
  "PNG32:$work/1024.png"

# Dates are left out of the PNGs so that regenerating changes nothing that did not change.
for size in 16 24 32 48 64 128 256 512; do
  convert "$work/1024.png" -resize "${size}x${size}" -define png:exclude-chunks=date,time "PNG32:$work/$size.png"
done

# Linux (the .deb's and .rpm's hicolor theme) and the window's own icon.
cp "$work/32.png" 32x32.png
cp "$work/64.png" 64x64.png
cp "$work/128.png" 128x128.png
cp "$work/256.png" 128x128@2x.png
cp "$work/512.png" icon.png

# Windows: one .ico holding every size Explorer, the taskbar and the installer ask for.
convert "$work"/{16,24,32,48,64,128,256}.png icon.ico

# macOS: the sizes an .icns carries, up to 512@2x.
png2icns icon.icns "$work"/{16,32,48,128,256,512,1024}.png >/dev/null
