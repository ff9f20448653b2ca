#!/bin/bash
# The video corpus of `npm run bench video` (generated, never committed; clips ≤ 20 s):
#  originals o-*.mp4 — what a fact-checker publishes:
#   - real camera footage from Debian packages: cityCC0.mpg (python-kivy-examples, CC0: a city
#     street, handheld pan), tree.avi and vtest.avi (opencv-doc: a tree swaying, handheld; a
#     fixed-camera street crowd, its first 20 s);
#   - moving shots made from real photos (opencv-doc's sample photos), said so in their names:
#     mv-pan (a pan across building.jpg), mv-zoom (a slow zoom into fruits.jpg),
#     mv-cuts (4 s shots of three photos joined by cuts: aero3, baboon, starry_night).
#  re-shares r-<original>--<edit>.mp4: the edits below.
#  negatives n-*.mp4 — never in the feed: vtest.avi 45–65 s (another moment of the same fixed-camera
#   scene as o-street), Megamind.avi (opencv-doc; an animation), moving shots of home.jpg and
#   messi5.jpg (a pan, a zoom out).
# Needs: apt-get install -y ffmpeg fonts-dejavu-core (data packages are downloaded, not installed).
# Usage: tests/bench/make-video-corpus.sh OUTDIR
set -euo pipefail
OUT=${1:?usage: make-video-corpus.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
D="$OUT/.debs"; mkdir -p "$D/x"
for p in python-kivy-examples opencv-doc; do
  ls "$D"/"$p"_*.deb >/dev/null 2>&1 || (cd "$D" && apt-get download "$p" >/dev/null)
  [ -f "$D/x/.$p" ] || { dpkg-deb -x "$D"/"$p"_*.deb "$D/x"; touch "$D/x/.$p"; }
done
DATA="$D/x/usr/share/doc/opencv-doc/examples/data"
KIVY="$D/x/usr/share/kivy-examples/widgets"
FONT=$(fc-match -f '%{file}' 'DejaVu Sans')
FONTB=$(fc-match -f '%{file}' 'DejaVu Sans:bold')
ENC=(-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -an -movflags +faststart)
ff() { nice -n 10 ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# --- originals
[ -f "$OUT/o-city.mp4" ] || ff -i "$KIVY/cityCC0.mpg" -t 20 -vf scale=720:404,setsar=1 "${ENC[@]}" "$OUT/o-city.mp4"
[ -f "$OUT/o-tree.mp4" ] || ff -i "$DATA/tree.avi" -t 20 -vf scale=640:-2 "${ENC[@]}" "$OUT/o-tree.mp4"
[ -f "$OUT/o-street.mp4" ] || ff -i "$DATA/vtest.avi" -t 20 "${ENC[@]}" "$OUT/o-street.mp4"
[ -f "$OUT/o-mv-pan.mp4" ] || ff -loop 1 -i "$DATA/building.jpg" -t 12 -r 25 \
  -vf "scale=1300:-2,crop=640:360:x='(iw-640)*t/12':y='(ih-360)/2+20*sin(t)'" "${ENC[@]}" "$OUT/o-mv-pan.mp4"
[ -f "$OUT/o-mv-zoom.mp4" ] || ff -loop 1 -i "$DATA/fruits.jpg" -t 12 -r 25 \
  -vf "scale=1280:-2,zoompan=z='1+0.0015*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x600:fps=25" "${ENC[@]}" "$OUT/o-mv-zoom.mp4"
if [ ! -f "$OUT/o-mv-cuts.mp4" ]; then
  for i in aero3 baboon starry_night; do
    ff -loop 1 -i "$DATA/$i.jpg" -t 4 -r 25 -vf "scale=960:720:force_original_aspect_ratio=increase,crop=960:720,zoompan=z='1+0.002*on':d=1:s=640x480:fps=25,setsar=1" "${ENC[@]}" "$OUT/.cut-$i.mp4"
  done
  ff -i "$OUT/.cut-aero3.mp4" -i "$OUT/.cut-baboon.mp4" -i "$OUT/.cut-starry_night.mp4" -filter_complex "[0:v][1:v][2:v]concat=n=3:v=1[v]" -map "[v]" "${ENC[@]}" "$OUT/o-mv-cuts.mp4"
fi

# --- negatives (never published)
[ -f "$OUT/n-street-later.mp4" ] || ff -ss 45 -i "$DATA/vtest.avi" -t 20 "${ENC[@]}" "$OUT/n-street-later.mp4"
[ -f "$OUT/n-animation.mp4" ] || ff -i "$DATA/Megamind.avi" -t 11 "${ENC[@]}" "$OUT/n-animation.mp4"
[ -f "$OUT/n-mv-home.mp4" ] || ff -loop 1 -i "$DATA/home.jpg" -t 10 -r 25 \
  -vf "scale=1000:-2,crop=640:360:x='(iw-640)*t/10':y=(ih-360)/2" "${ENC[@]}" "$OUT/n-mv-home.mp4"
[ -f "$OUT/n-mv-messi.mp4" ] || ff -loop 1 -i "$DATA/messi5.jpg" -t 8 -r 25 \
  -vf "scale=1100:-2,zoompan=z='1.3-0.002*on':d=1:s=640x360:fps=25" "${ENC[@]}" "$OUT/n-mv-messi.mp4"

# --- re-shares
CAP="Kim arrives in Moscow today"
edit() { # name filter [input args] [output args]
  local name=$1 vf=$2 inargs=${3:-} outargs=${4:-}
  for o in "$OUT"/o-*.mp4; do
    local base; base=$(basename "$o" .mp4); base=${base#o-}
    local dst="$OUT/r-$base--$name.mp4"
    # shellcheck disable=SC2086
    [ -f "$dst" ] || ff $inargs -i "$o" -t 20 -filter_complex "$vf" "${ENC[@]}" $outargs "$dst"
  done
}
edit lowbitrate "scale=-2:'min(360,ih)'" "" "-b:v 150k -maxrate 150k -bufsize 300k"
edit trim "null" "-ss 3"
edit speed "setpts=PTS/1.1"
edit framerate "fps=15"
edit mirror "hflip"
edit crop90 "crop=trunc(iw*0.9/2)*2:trunc(ih*0.9/2)*2"
edit crop80 "crop=trunc(iw*0.8/2)*2:trunc(ih*0.8/2)*2"
edit blackbars "scale=640:640:force_original_aspect_ratio=decrease,pad=640:640:(ow-iw)/2:(oh-ih)/2:black,setsar=1"
edit blur11 "split[a][b];[a]scale=720:720:force_original_aspect_ratio=increase,crop=720:720,boxblur=24:2[bg];[b]scale=720:720:force_original_aspect_ratio=decrease[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1"
edit captionbar "scale=640:-2,pad=iw:ih+112:0:112:white,drawtext=fontfile=$FONTB:text='$CAP':x=20:y=24:fontsize=26:fontcolor=black,drawtext=fontfile=$FONT:text='Historic scenes. Share before it is deleted':x=20:y=66:fontsize=20:fontcolor=0x333333"
edit captionover "scale=640:-2,drawbox=x=0:y=0:w=iw:h=ih*0.13:color=black@0.8:t=fill,drawtext=fontfile=$FONTB:text='$CAP':x=(w-tw)/2:y=h*0.035:fontsize=h*0.06:fontcolor=white"
edit screenrec "scale=540:-2[v];color=c=0x15202b:s=540x1170:r=25[bg];[bg][v]overlay=0:330:shortest=1,drawtext=fontfile=$FONTB:text='9\:41':x=28:y=18:fontsize=22:fontcolor=white,drawtext=fontfile=$FONT:text='5G  87 pct':x=w-120:y=18:fontsize=20:fontcolor=white,drawtext=fontfile=$FONTB:text='News Flash @newsflash · 2h':x=24:y=110:fontsize=22:fontcolor=white,drawtext=fontfile=$FONT:text='$CAP. Historic scenes.':x=24:y=160:fontsize=22:fontcolor=white,drawtext=fontfile=$FONT:text='Translate post':x=24:y=210:fontsize=18:fontcolor=0x1d9bf0,drawtext=fontfile=$FONT:text='1.2K    8.4K    31K    2.1M':x=40:y=1000:fontsize=20:fontcolor=0x8899a6,drawbox=x=0:y=1100:w=iw:h=70:color=0x0b1016:t=fill"
edit pip "scale=760:-2[v];color=c=0x0b2a5b:s=1280x720:r=25[bg];[bg][v]overlay=60:120:shortest=1,drawbox=x=0:y=0:w=iw:h=96:color=0xc8102e:t=fill,drawtext=fontfile=$FONTB:text='BREAKING NEWS':x=40:y=28:fontsize=40:fontcolor=white,drawtext=fontfile=$FONTB:text='$CAP':x=860:y=180:fontsize=26:fontcolor=white,drawtext=fontfile=$FONT:text='Live from the capital':x=860:y=230:fontsize=22:fontcolor=0xdddddd,drawbox=x=0:y=640:w=iw:h=80:color=white:t=fill,drawtext=fontfile=$FONTB:text='MARKETS STEADY · WEATHER\: RAIN LATER · SPORTS\: CUP FINAL TONIGHT':x=40:y=664:fontsize=26:fontcolor=0x0b2a5b"
ls "$OUT"/*.mp4 | wc -l
