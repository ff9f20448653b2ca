#!/bin/bash
# Copied from the project's shared research material (shared/bench/make-corpus.sh) so that a plain clone
# can build the corpus; tests/bench/make-corpus.sh grows it with more transforms.
# Build a PDQ/perceptual-hash robustness corpus from photos shipped in Debian packages.
# Needs only Debian packages: imagemagick (IM6 `convert`), fonts-dejavu-core, and wallpaper packages:
#   apt-get install -y imagemagick plasma-workspace-wallpapers lomiri-wallpapers-16.04 \
#       lomiri-wallpapers-20.04 ukui-wallpapers
# Usage: make-corpus.sh OUTDIR [MAX_ORIGINALS]
set -euo pipefail
OUT=${1:?usage: make-corpus.sh OUTDIR [MAX]}
MAX=${2:-300}
mkdir -p "$OUT/orig" "$OUT/var"
FONT=$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)
FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT")
# --- pick sources: one (largest) raster per Plasma wallpaper package dir + lomiri/ukui jpgs
{
  for d in /usr/share/wallpapers/*/contents; do
    f=$(ls -S "$d"/images/*.jpg "$d"/images/*.png 2>/dev/null | head -1 || true)
    [ -n "$f" ] && echo "$f"
  done
  dpkg -L lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers 2>/dev/null | grep -iE '\.jpe?g$' || true
} | awk '!seen[$0]++' | head -n "$MAX" > "$OUT/sources.txt"
echo "variant_path,original_id,transform" > "$OUT/manifest.csv"
one() {  # $1=index $2=source
  local id; id=$(printf 'o%03d' "$1"); local src=$2 o="$OUT/orig/$id.jpg" v="$OUT/var/$id"
  convert "$src[0]" -auto-orient -colorspace sRGB -alpha remove -background white -resize '1200x1200>' -quality 90 "$o"
  local W H; read -r W H < <(identify -format '%w %h' "$o")
  local bar=$(( H/8 )) pt=$(( H/24 + 6 ))
  convert "$o" -quality 50 "$v.q50.jpg"
  convert "$o" -quality 30 "$v.q30.jpg"
  convert "$o" -resize 50% -quality 85 "$v.resize50.jpg"
  convert "$o" -resize 25% -quality 85 "$v.resize25.jpg"
  convert "$o" -gravity center -crop 90%x90%+0+0 +repage -quality 85 "$v.crop90.jpg"
  convert "$o" -gravity center -crop 75%x75%+0+0 +repage -quality 85 "$v.crop75.jpg"
  # caption bar (meme / TV chyron) over bottom 1/8
  convert "$o" -fill '#b00000' -draw "rectangle 0,$((H-bar)) $W,$H" "${FONTARG[@]}" -fill white -pointsize $pt \
     -gravity southwest -annotate +20+$((bar/4)) 'BREAKING: SHOCKING FOOTAGE FROM TODAY' -quality 85 "$v.caption.jpg"
  # letterbox: 8% black bars top/bottom
  convert "$o" -background black -gravity center -extent ${W}x$((H + H*16/100)) -quality 85 "$v.letterbox.jpg"
  convert "$o" -background white -rotate 3 -quality 85 "$v.rot3.jpg"
  convert "$o" -flop -quality 85 "$v.flip.jpg"
  convert "$o" -brightness-contrast 15x20 -quality 85 "$v.brightcontrast.jpg"
  convert "$o" -colorspace Gray -quality 85 "$v.gray.jpg"
  convert "$o" -resize 80% "$v.screenshot.png"
  # "screenshot of a tweet": image at 70% width in white card with header text and footer
  local iw=$((W*7/10)); local ih=$((H*7/10))
  convert -size ${W}x$((ih + H*45/100)) xc:white "${FONTARG[@]}" -fill black -pointsize $pt \
     -annotate +30+$((pt+20)) '@someone  ·  2h' -annotate +30+$((2*pt+40)) 'You won'"'"'t believe what happened here. Share before deleted!' \
     \( "$o" -resize ${iw}x \) -gravity north -geometry +0+$((2*pt+70)) -composite \
     -gravity south -annotate +0+20 '12.4K Retweets   48K Likes' -quality 85 "$v.tweetshot.jpg"
  for t in q50 q30 resize50 resize25 crop90 crop75 caption letterbox rot3 flip brightcontrast gray tweetshot; do
    echo "var/$id.$t.jpg,$id,$t"; done
  echo "var/$id.screenshot.png,$id,screenshot_png"
}
export -f one; export OUT FONT; 
i=0; while read -r s; do i=$((i+1)); echo "$i $s"; done < "$OUT/sources.txt" | \
  xargs -P "$(nproc)" -L1 bash -c 'FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT"); one "$0" "$1" > "$OUT/var/.m.$0" 2>"$OUT/var/.e.$0" || echo "fail $1" >&2'
cat "$OUT"/var/.m.* | sort >> "$OUT/manifest.csv"; rm -f "$OUT"/var/.m.* 
find "$OUT/var" -name '.e.*' -empty -delete
echo "originals: $(ls "$OUT/orig" | wc -l)  variants: $(( $(wc -l < "$OUT/manifest.csv") - 1 ))"
