#!/usr/bin/env bash
# Draws Plumbline's icon (a plumb bob on a teal tile) with ImageMagick; run to regenerate.
set -euo pipefail
cd "$(dirname "$0")"
convert -size 512x512 xc:none \
  -fill '#1a5f69' -draw 'roundrectangle 16,16 495,495 108,108' \
  -fill '#e8f3f1' -draw 'roundrectangle 247,60 265,226 9,9' \
  -stroke '#e8f3f1' -strokewidth 16 -fill none -draw 'circle 256,70 256,94' \
  -stroke none -fill '#f2b84b' -draw 'polygon 256,206 344,312 256,452 168,312' \
  -fill '#dc962a' -draw 'polygon 256,206 256,452 168,312' \
  PNG32:icon.png
convert icon.png -resize 128x128 PNG32:128x128.png
convert icon.png -resize 32x32 PNG32:32x32.png
