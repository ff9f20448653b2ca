#!/bin/bash
# The robustness corpus of `npm run bench robustness`: the shared wallpaper corpus
# (make-corpus-base.sh, the project research notes' corpus script: originals o*.jpg + 14 re-share variants each) grown with
#  - hard originals h*.jpg: photos from Debian data packages (scikit-image, scikit-learn, OpenCV's
#    examples, MATE's photos), frames of a fixed-camera street crowd (OpenCV's vtest.avi), pairs of
#    different shots of one place (stereo pairs, exposures, viewpoints), and generated scenes of
#    the seed case's kind: two people shaking hands in front of two flags, press conferences
#    (ISO flag images + face textures from the photos); each with the same 14 variants;
#  - the extra transforms this project targets, on every original: a white border, a pillarbox,
#    a caption bar on top, an off-centre crop, a -3 degree rotation, a dark-mode post screenshot,
#    a letterboxed video frame inside a player's frame (screen recording).
# scenes.csv names each hard original's kind of scene (pairs of the same kind are the hard
# false-match test). Data packages are downloaded and unpacked into OUTDIR/.debs, not installed.
# Needs: apt-get install -y imagemagick ffmpeg fonts-dejavu-core plasma-workspace-wallpapers \
#   lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers
# Usage: tests/bench/make-corpus.sh OUTDIR [MAX_WALLPAPERS]   (generated, never committed)
# A second corpus, from other pictures than the tuning one (the robustness bench reports both):
#   SOURCES=list.txt tests/bench/make-corpus.sh .bench-corpus2
# makes originals s*.jpg from the image files listed (one path a line) and gives each every
# transform below; nothing else. The bench's second corpus: tests/bench/second-corpus-sources.sh.
set -euo pipefail
OUT=${1:?usage: make-corpus.sh OUTDIR [MAX_WALLPAPERS]}
MAX=${2:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED_CORPUS_SCRIPT:-$HERE/make-corpus-base.sh}
if [ -n "${SOURCES:-}" ]; then
  mkdir -p "$OUT/orig" "$OUT/var"
  echo "variant_path,original_id,transform" > "$OUT/manifest.csv"
else
  [ -f "$OUT/manifest.csv" ] || bash "$SHARED" "$OUT" "$MAX"
fi
OUT=$(cd "$OUT" && pwd)
FONT=$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)
FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT")

# --- data packages, unpacked in place
D="$OUT/.debs"; mkdir -p "$D/x"
[ -n "${SOURCES:-}" ] && SKIP_HARD=1 || SKIP_HARD=""
if [ -z "$SKIP_HARD" ]; then
for p in python3-skimage python3-sklearn opencv-doc iso-flags-png-320x240 mate-backgrounds; do
  ls "$D"/"$p"_*.deb >/dev/null 2>&1 || (cd "$D" && apt-get download "$p" >/dev/null)
  [ -f "$D/.x.$p" ] || { dpkg-deb -x "$D"/"$p"_*.deb "$D/x" && touch "$D/.x.$p"; }
done
SK=$D/x/usr/lib/python3/dist-packages/skimage/data
CV=$D/x/usr/share/doc/opencv-doc/examples/data
FL=$D/x/usr/share/iso-flags-png-320x240
MATE=$D/x/usr/share/backgrounds/mate/nature
T="$OUT/.tmp"; mkdir -p "$T"

# --- hard originals: "path|kind" (kind "-" = a photo of its own)
SRC=()
for f in astronaut coffee chelsea camera; do SRC+=("$SK/$f.png|-"); done; SRC+=("$SK/rocket.jpg|-")
SRC+=("$D/x/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg|-" "$D/x/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg|-")
for f in messi5 baboon fruits building home starry_night board butterfly squirrel_cls ela_original orange apple; do SRC+=("$CV/$f.jpg|-"); done
SRC+=("$SK/motorcycle_left.png|stereo-motorcycle" "$SK/motorcycle_right.png|stereo-motorcycle")
SRC+=("$CV/aloeL.jpg|stereo-aloe" "$CV/aloeR.jpg|stereo-aloe" "$CV/leuvenA.jpg|exposures-leuven" "$CV/leuvenB.jpg|exposures-leuven")
SRC+=("$CV/graf1.png|viewpoints-graffiti" "$CV/graf3.png|viewpoints-graffiti" "$CV/aero1.jpg|shots-aerial" "$CV/aero3.jpg|shots-aerial")
for f in LadyBird RainDrops Dune TwoWings Storm Wood Garden YellowFlower GreenMeadow Aqua Blinds; do SRC+=("$MATE/$f.jpg|-"); done
# a fixed-camera street crowd: frames 15 s apart
for s in 2 17 32 47 62; do
  [ -f "$T/vtest-$s.png" ] || ffmpeg -nostdin -loglevel error -ss "$s" -i "$CV/vtest.avi" -frames:v 1 "$T/vtest-$s.png"
  SRC+=("$T/vtest-$s.png|crowd-street")
done

# generated scenes. Face textures: crops of the photos above.
FACES=("$SK/astronaut.png[150x190+175+25]" "$SK/camera.png[110x140+215+60]" "$CV/messi5.jpg[60x75+200+50]"
       "$SK/coffee.png[160x200+180+60]" "$CV/baboon.jpg[200x240+150+40]" "$SK/chelsea.png[140x170+130+40]")
mapfile -t FLAGS < <(ls "$FL" | grep -v '^_' | sort)
pick() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }
person() {  # $1=x of body left $2=y top of head $3=face $4=suit colour -> draw args into the global A
  local x=$1 y=$2
  A+=(-fill "$4" -draw "roundrectangle $x,$((y+150)) $((x+230)),820 50,50")
  A+=(\( "$3" -resize 120x150! \( +clone -fill black -colorize 100 -fill white -draw 'ellipse 60,75 58,73 0,360' \)
      -alpha off -compose copyopacity -composite \) -compose over -geometry +$((x+55))+$y -composite)
}
handshake() {  # $1=index
  RANDOM=$((1000 + $1))
  local f1=${FLAGS[$(pick ${#FLAGS[@]})]} f2=${FLAGS[$(pick ${#FLAGS[@]})]} dx=$(( $(pick 80) - 40 )) dy=$(( $(pick 40) - 20 ))
  local bg=$(printf '#%02x%02x%02x' $((20 + $(pick 60))) $((20 + $(pick 60))) $((40 + $(pick 80))))
  A=(-size 1200x800 "gradient:$bg-#101018")
  A+=(\( "$FL/$f1" -resize 480x320! -background none -wave "$((8 + $(pick 8)))x$((200 + $(pick 120)))" \) -geometry +$((70 + dx))+$((30 + dy)) -composite)
  A+=(\( "$FL/$f2" -resize 480x320! -background none -wave "$((8 + $(pick 8)))x$((200 + $(pick 120)))" \) -geometry +$((650 + dx))+$((30 + dy)) -composite)
  A+=(-fill '#5a4a3c' -draw "rectangle 0,690 1200,800")
  person $((300 + dx)) $((260 + dy)) "${FACES[$(pick ${#FACES[@]})]}" '#15151f'
  person $((670 + dx)) $((250 + dy)) "${FACES[$(pick ${#FACES[@]})]}" "#$(printf '%02x%02x%02x' $((20 + $(pick 30))) $((20 + $(pick 30))) $((30 + $(pick 30))))"
  A+=(-fill '#15151f' -draw "polygon $((500 + dx)),$((470 + dy)) $((600 + dx)),$((520 + dy)) $((600 + dx)),$((555 + dy)) $((490 + dx)),$((520 + dy))")
  A+=(-fill '#20202c' -draw "polygon $((700 + dx)),$((460 + dy)) $((600 + dx)),$((520 + dy)) $((600 + dx)),$((555 + dy)) $((710 + dx)),$((510 + dy))")
  A+=(-fill '#d9a98a' -draw "ellipse $((600 + dx)),$((537 + dy)) 28,20 0,360")
  convert "${A[@]}" -quality 92 "$T/handshake-$1.jpg"
}
press() {  # $1=index
  RANDOM=$((2000 + $1))
  local f1=${FLAGS[$(pick ${#FLAGS[@]})]} dx=$(( $(pick 120) - 60 )) label
  label=$(printf 'SUMMIT %d' $((1990 + $(pick 35))))
  local bg=$(printf '#%02x%02x%02x' $((10 + $(pick 40))) $((40 + $(pick 60))) $((90 + $(pick 100))))
  A=(-size 1200x800 "xc:$bg" "${FONTARG[@]}" -fill '#ffffff40' -pointsize 34)
  for row in 0 1 2 3 4 5; do for col in 0 1 2 3; do A+=(-annotate "+$((col * 300 + (row % 2) * 150 + 20))+$((row * 120 + 60))" "$label"); done; done
  A+=(\( "$FL/$f1" -resize 220x520! -background none -wave "$((6 + $(pick 8)))x$((160 + $(pick 80)))" \) -geometry +$((40 + dx / 2))+60 -composite)
  A+=(\( "$FL/$f1" -resize 220x520! -flop -background none -wave "$((6 + $(pick 8)))x$((160 + $(pick 80)))" \) -geometry +$((940 + dx / 2))+60 -composite)
  person $((485 + dx)) $((190 + $(pick 40))) "${FACES[$(pick ${#FACES[@]})]}" '#16161e'
  A+=(-fill '#6b4a2a' -draw "polygon $((420 + dx)),520 $((780 + dx)),520 $((740 + dx)),800 $((460 + dx)),800")
  A+=(-fill '#d8c070' -draw "circle $((600 + dx)),640 $((650 + dx)),640" -stroke '#202020' -strokewidth 6 -draw "line $((580 + dx)),520 $((590 + dx)),420" -draw "line $((620 + dx)),520 $((610 + dx)),420" -stroke none)
  convert "${A[@]}" -quality 92 "$T/press-$1.jpg"
}
for i in 1 2 3 4 5 6 7 8 9 10; do [ -f "$T/handshake-$i.jpg" ] || handshake "$i"; SRC+=("$T/handshake-$i.jpg|handshake-flags"); done
for i in 1 2 3 4 5 6 7 8; do [ -f "$T/press-$i.jpg" ] || press "$i"; SRC+=("$T/press-$i.jpg|press-conference"); done
fi

# --- the transforms (the first 14 as in the shared script, so every original gets the same ones)
standard() {  # $1=id: the shared script's 14 variants of orig/$1.jpg
  local id=$1 o="$OUT/orig/$1.jpg" v="$OUT/var/$1" W H; read -r W H < <(identify -format '%w %h' "$o")
  local bar=$(( H/8 )) pt=$(( H/24 + 6 )) iw=$((W*7/10)) ih=$((H*7/10))
  convert "$o" -quality 50 "$v.q50.jpg"
  convert "$o" -quality 30 "$v.q30.jpg"
  convert "$o" -resize 50% -quality 85 "$v.resize50.jpg"
  convert "$o" -resize 25% -quality 85 "$v.resize25.jpg"
  convert "$o" -gravity center -crop 90%x90%+0+0 +repage -quality 85 "$v.crop90.jpg"
  convert "$o" -gravity center -crop 75%x75%+0+0 +repage -quality 85 "$v.crop75.jpg"
  convert "$o" -fill '#b00000' -draw "rectangle 0,$((H-bar)) $W,$H" "${FONTARG[@]}" -fill white -pointsize $pt \
     -gravity southwest -annotate +20+$((bar/4)) 'BREAKING: SHOCKING FOOTAGE FROM TODAY' -quality 85 "$v.caption.jpg"
  convert "$o" -background black -gravity center -extent ${W}x$((H + H*16/100)) -quality 85 "$v.letterbox.jpg"
  convert "$o" -background white -rotate 3 -quality 85 "$v.rot3.jpg"
  convert "$o" -flop -quality 85 "$v.flip.jpg"
  convert "$o" -brightness-contrast 15x20 -quality 85 "$v.brightcontrast.jpg"
  convert "$o" -colorspace Gray -quality 85 "$v.gray.jpg"
  convert "$o" -resize 80% "$v.screenshot.png"
  convert -size ${W}x$((ih + H*45/100)) xc:white "${FONTARG[@]}" -fill black -pointsize $pt \
     -annotate +30+$((pt+20)) '@someone  ·  2h' -annotate +30+$((2*pt+40)) 'You won'"'"'t believe what happened here. Share before deleted!' \
     \( "$o" -resize ${iw}x \) -gravity north -geometry +0+$((2*pt+70)) -composite \
     -gravity south -annotate +0+20 '12.4K Retweets   48K Likes' -quality 85 "$v.tweetshot.jpg"
  for t in q50 q30 resize50 resize25 crop90 crop75 caption letterbox rot3 flip brightcontrast gray tweetshot; do echo "var/$id.$t.jpg,$id,$t"; done
  echo "var/$id.screenshot.png,$id,screenshot_png"
}
extra() {  # $1=id: the transforms added here
  local id=$1 o="$OUT/orig/$1.jpg" v="$OUT/var/$1" W H; read -r W H < <(identify -format '%w %h' "$o")
  local bar=$(( H/6 )) pt=$(( H/22 + 6 )) iw=$((W*9/10)) ih=$((H*9/10)) b=$(( (W > H ? W : H) * 6 / 100 ))
  convert "$o" -bordercolor white -border "${b}x${b}" -quality 85 "$v.border.jpg"
  convert "$o" -background black -gravity center -extent $((W + W*30/100))x${H} -quality 85 "$v.pillarbox.jpg"
  convert "$o" -fill '#101010' -draw "rectangle 0,0 $W,$bar" "${FONTARG[@]}" -fill white -pointsize $pt \
     -gravity northwest -annotate +20+$((bar/3)) 'LIVE: leaders meet today' -quality 85 "$v.caption_top.jpg"
  convert "$o" -gravity northwest -crop 90%x90%+0+0 +repage -quality 85 "$v.crop90_offset.jpg"
  convert "$o" -background white -rotate -3 -quality 85 "$v.rotm3.jpg"
  convert -size ${W}x$((ih + H*40/100)) xc:black "${FONTARG[@]}" -fill '#e7e9ea' -pointsize $pt \
     -annotate +30+$((pt+20)) 'News Now @newsnow  ·  4h' -annotate +30+$((2*pt+40)) 'Happening right now. Leaders meet today.' \
     \( "$o" -resize ${iw}x \) -gravity north -geometry +0+$((2*pt+70)) -composite \
     -fill '#71767b' -gravity south -annotate +0+20 '1.2K   8.4K   51K' -quality 85 "$v.tweetshot_dark.jpg"
  # a letterboxed 16:9 video frame inside a player's frame with controls (a screen recording)
  local fw=1280 fh=720
  convert \( -size ${fw}x${fh} xc:black \( "$o" -resize ${fw}x${fh} \) -gravity center -composite \) \
     -background '#1e1e1e' -gravity north -extent ${fw}x$((fh + 120)) \
     -fill '#3a3a3a' -draw "rectangle 0,$((fh + 30)) $fw,$((fh + 40))" -fill '#1d9bf0' -draw "rectangle 0,$((fh + 30)) $((fw / 3)),$((fh + 40))" \
     "${FONTARG[@]}" -fill white -pointsize 26 -gravity southwest -annotate +20+20 '0:14 / 0:42' -quality 85 "$v.screenrec.jpg"
  for t in border pillarbox caption_top crop90_offset rotm3 tweetshot_dark screenrec; do echo "var/$id.$t.jpg,$id,$t"; done
}
# the re-share edits of issue 14's second round: turns up to 6 degrees, crops kept from other
# positions than the centre, text and stickers laid over the picture (not at an edge)
more() {  # $1=id
  local id=$1 o="$OUT/orig/$1.jpg" v="$OUT/var/$1" W H; read -r W H < <(identify -format '%w %h' "$o")
  local m=$(( W < H ? W : H )) pt=$(( H/11 )) sw=$(( H/450 + 1 ))
  local seed; seed=$(( $(printf '%d' "'${id:1:1}") + 10#${id:1} ))
  convert "$o" -background white -rotate 5 -quality 85 "$v.rot5.jpg"
  convert "$o" -background white -rotate 6 -quality 85 "$v.rot6.jpg"
  convert "$o" -background white -rotate -6 -quality 85 "$v.rotm6.jpg"
  # off-centre crops: 85% from the bottom-right corner, 80% from the top-right, and 88% from a
  # position that depends on the picture (anywhere along both axes)
  convert "$o" -gravity southeast -crop 85%x85%+0+0 +repage -quality 85 "$v.crop85_se.jpg"
  convert "$o" -gravity northeast -crop 80%x80%+0+0 +repage -quality 85 "$v.crop80_ne.jpg"
  local cw=$(( W*88/100 )) ch=$(( H*88/100 ))
  convert "$o" -crop "${cw}x${ch}+$(( (W - cw) * (seed * 37 % 100) / 100 ))+$(( (H - ch) * (seed * 61 % 100) / 100 ))" +repage -quality 85 "$v.crop88_any.jpg"
  # meme text at the top and the bottom (white, black outline), a watermark across the middle,
  # an emoji-like sticker, a red circle round a detail
  convert "$o" "${FONTARG[@]}" -pointsize $pt -fill white -stroke black -strokewidth $sw \
     -gravity north -annotate +0+$(( H/40 )) 'WHEN THEY SAY' -gravity south -annotate +0+$(( H/40 )) 'IT NEVER HAPPENED' -quality 85 "$v.meme.jpg"
  convert "$o" "${FONTARG[@]}" -pointsize $(( W/9 )) -fill '#ffffff70' -gravity center -annotate -20x-20+0+0 '@viral_news' -quality 85 "$v.watermark.jpg"
  local r=$(( m/9 )) cx=$(( W*(60 + seed % 25)/100 )) cy=$(( H*(55 + seed % 30)/100 ))
  convert "$o" -stroke '#7a4a00' -strokewidth 3 -fill '#ffcc22' -draw "circle $cx,$cy $((cx + r)),$cy" \
     -fill '#3a2a10' -stroke none -draw "circle $((cx - r/3)),$((cy - r/4)) $((cx - r/3 + r/8)),$((cy - r/4))" \
     -draw "circle $((cx + r/3)),$((cy - r/4)) $((cx + r/3 + r/8)),$((cy - r/4))" \
     -fill none -stroke '#3a2a10' -strokewidth 4 -draw "arc $((cx - r/2)),$((cy - r/4)) $((cx + r/2)),$((cy + r/2)) 20,160" -quality 85 "$v.sticker.jpg"
  local ex=$(( W*(30 + seed % 40)/100 )) ey=$(( H*(30 + seed % 40)/100 ))
  convert "$o" -fill none -stroke '#ff1010' -strokewidth $(( m/90 + 3 )) -draw "ellipse $ex,$ey $(( m/7 )),$(( m/9 )) 0,360" -quality 85 "$v.circled.jpg"
  for t in rot5 rot6 rotm6 crop85_se crop80_ne crop88_any meme watermark sticker circled; do echo "var/$id.$t.jpg,$id,$t"; done
}
export -f standard extra more; export OUT FONT

echo "original_id,kind,source" > "$OUT/scenes.csv"
i=0
if [ -n "$SKIP_HARD" ]; then
  SRC=()
  while IFS= read -r f; do [ -n "$f" ] && SRC+=("$f|-"); done < "$SOURCES"
fi
PREFIX=h; [ -n "$SKIP_HARD" ] && PREFIX=s
for s in "${SRC[@]}"; do
  i=$((i + 1)); id=$(printf '%s%03d' "$PREFIX" "$i"); path=${s%|*}; kind=${s##*|}
  [ -f "$OUT/orig/$id.jpg" ] || convert "$path[0]" -auto-orient -colorspace sRGB -alpha remove -background white -resize '1200x1200>' -quality 90 "$OUT/orig/$id.jpg"
  echo "$id,$kind,${path#"$D/x"}" >> "$OUT/scenes.csv"
done
# variants in parallel, one job per original; the manifest is rebuilt from the job outputs
ls "$OUT/orig" | sed -n 's/^\([hs][0-9]*\)\.jpg$/\1/p' | xargs -P "$(nproc)" -I{} bash -c 'FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT"); [ -f "$OUT/var/.s.{}" ] || standard {} > "$OUT/var/.s.{}"'
ls "$OUT/orig" | sed -n 's/^\([ohs][0-9]*\)\.jpg$/\1/p' | xargs -P "$(nproc)" -I{} bash -c 'FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT"); [ -f "$OUT/var/.x.{}" ] || extra {} > "$OUT/var/.x.{}"'
ls "$OUT/orig" | sed -n 's/^\([ohs][0-9]*\)\.jpg$/\1/p' | xargs -P "$(nproc)" -I{} bash -c 'FONTARG=(); [ -n "$FONT" ] && FONTARG=(-font "$FONT"); [ -f "$OUT/var/.m.{}" ] || more {} > "$OUT/var/.m.{}"'
{ grep -v '^var/[hs]' "$OUT/manifest.csv" | grep -vE ',(border|pillarbox|caption_top|crop90_offset|rotm3|tweetshot_dark|screenrec|rot5|rot6|rotm6|crop85_se|crop80_ne|crop88_any|meme|watermark|sticker|circled)$'; cat "$OUT"/var/.s.* "$OUT"/var/.x.* "$OUT"/var/.m.* | sort; } | awk '!seen[$0]++' > "$OUT/manifest.new"
mv "$OUT/manifest.new" "$OUT/manifest.csv"
echo "originals: $(ls "$OUT/orig" | wc -l) ($i hard)  variants: $(( $(wc -l < "$OUT/manifest.csv") - 1 ))"
