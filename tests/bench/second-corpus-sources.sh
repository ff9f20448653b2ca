#!/bin/bash
# The pictures of the robustness bench's second corpus, which nothing was tuned on: paintings and
# maps from Battle for Wesnoth's data (wesnoth-1.16-data: story art, campaign maps) and the sky
# and mountain panoramas and course previews of Extreme Tux Racer (extremetuxracer-data): other
# Debian packages than the tuning corpus's. Downloaded and unpacked into DIR/.debs, not installed.
# Prints the list of files (one a line) for make-corpus.sh:
#   bash tests/bench/second-corpus-sources.sh .bench-corpus2 > /tmp/sources.txt
#   SOURCES=/tmp/sources.txt bash tests/bench/make-corpus.sh .bench-corpus2
set -euo pipefail
DIR=${1:?usage: second-corpus-sources.sh DIR}
D="$DIR/.debs"; mkdir -p "$D/x"
for p in wesnoth-1.16-data extremetuxracer-data; do
  ls "$D"/"$p"_*.deb >/dev/null 2>&1 || (cd "$D" && apt-get download "$p" >/dev/null)
  [ -f "$D/.x.$p" ] || { dpkg-deb -x "$D"/"$p"_*.deb "$D/x" && touch "$D/.x.$p"; }
done
W="$D/x/usr/share/games/wesnoth/1.16/data/core/images"
E="$D/x/usr/share/games/etr"
{
  ls "$W"/story/*.{jpg,png} 2>/dev/null | head -18
  ls "$W"/maps/*.{jpg,png} 2>/dev/null | head -14
  ls "$E"/env/etr/*/{front,left,right}.png 2>/dev/null
  ls "$E"/courses/*/*/preview.png 2>/dev/null
} | while read -r f; do
  # big enough to be a picture (≥ 480x360)
  read -r w h < <(identify -format '%w %h\n' "$f[0]" 2>/dev/null || echo "0 0")
  [ "$w" -ge 480 ] && [ "$h" -ge 360 ] && readlink -f "$f"
done
