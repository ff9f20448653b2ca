#!/bin/bash
# More real pictures for the negatives bench (tests/bench/negatives.bench.ts), from other Debian
# packages than the robustness corpora: education and game data (gcompris-qt-data: photos of
# animals, places, objects; neverball-data, frozen-bubble-data), a sky atlas's images
# (kstars-data), map textures (marble-data), Debian's desktop artwork (desktop-base,
# debian-edu-artwork-*). Downloaded and unpacked into DIR/.negdebs/x, not installed.
# Usage: bash tests/bench/negative-sources.sh .bench-corpus
set -euo pipefail
DIR=${1:?usage: negative-sources.sh DIR}
D="$DIR/.negdebs"; mkdir -p "$D/x"
for p in gcompris-qt-data kstars-data marble-data desktop-base debian-edu-artwork-emerald debian-edu-artwork-homeworld \
  debian-edu-artwork-softwaves debian-edu-artwork-spacefun debian-edu-artwork-buster neverball-data frozen-bubble-data; do
  ls "$D"/"$p"_*.deb >/dev/null 2>&1 || (cd "$D" && apt-get download "$p" >/dev/null)
  [ -f "$D/.x.$p" ] || { dpkg-deb -x "$D"/"$p"_*.deb "$D/x" && touch "$D/.x.$p"; }
done
echo "pictures: $(find "$D/x" -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' | wc -l)"
