#!/bin/bash
# The robustness bench's third corpus: pictures whose edge colour is their own, the case issue 14
# names for the border, pillarbox and post-screenshot rows ("a silhouette on white"): Battle for
# Wesnoth's character portraits (wesnoth-1.16-data, 400x400, a figure on a transparent ground),
# every 7th in name order, laid on white (two in three) or on black (one in three), so that the
# white border, the white post card, the black pillarbox and letterbox and the dark post card each
# meet pictures whose own edge is their colour. Nothing was tuned on them. The package is the
# second corpus's download (second-corpus-sources.sh); unpacked into DIR/.debs, not installed.
# Prints the list of flattened files (one a line) for make-corpus.sh:
#   bash tests/bench/own-colour-sources.sh .bench-corpus3 > /tmp/sources3.txt
#   SOURCES=/tmp/sources3.txt bash tests/bench/make-corpus.sh .bench-corpus3
set -euo pipefail
DIR=${1:?usage: own-colour-sources.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
D="$DIR/.debs"; mkdir -p "$D/x" "$DIR/.src"
p=wesnoth-1.16-data
ls "$D"/"$p"_*.deb >/dev/null 2>&1 || (cd "$D" && apt-get download "$p" >/dev/null 2>&1)
[ -f "$D/.x.$p" ] || { dpkg-deb -x "$D"/"$p"_*.deb "$D/x" && touch "$D/.x.$p"; }
P="$D/x/usr/share/games/wesnoth/1.16/data/core/images/portraits"
i=0
find "$P" -name '*.png' | LC_ALL=C sort | awk 'NR % 7 == 1' | while read -r f; do
  i=$((i + 1))
  ground=white; [ $((i % 3)) -eq 0 ] && ground=black
  out="$DIR/.src/$(printf '%03d' "$i")-$ground-$(basename "$f")"
  [ -f "$out" ] || convert "$f" -background "$ground" -alpha remove -alpha off "$out"
  echo "$out"
done
