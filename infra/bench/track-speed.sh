#!/usr/bin/env bash
# Face-tracking speed benchmark: `pipeline track` on one core (taskset) over 720p and 1080p talking-head clips made
# from a real 1080p clip (looped to 20 s), run RUNS times each; prints the median tracking fps (detection +
# landmarks + smoothing + pose, decoding excluded) and, separately, decode seconds. Targets: >= 100 fps at 720p,
# >= 60 fps at 1080p.
# Usage: infra/bench/track-speed.sh [SOURCE_VIDEO]   env: RUNS (default 3), CORE (default 0)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOURCE="${1:-$ROOT/../shared/testdata/video/mead_m030_sad_1080p.mp4}"
RUNS="${RUNS:-3}"
CORE="${CORE:-0}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
[ -f "$SOURCE" ] || { echo "track-speed: no source video at $SOURCE" >&2; exit 1; }

"$ROOT/pipeline" --help >/dev/null   # build outside the measurement
for size in 1280x720 1920x1080; do
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SOURCE" -t 20 \
    -vf "scale=${size%x*}:${size#*x}:force_original_aspect_ratio=increase,crop=${size%x*}:${size#*x},fps=25" \
    -c:v libx264 -preset veryfast -crf 20 -an "$WORK/clip_${size}.mp4"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-10s %7s %11s %14s %16s %12s\n' size frames face_frames tracking_fps tracking_fps_all decode_s
for size in 1280x720 1920x1080; do
  fps_list=(); decode_list=(); frames=0; faces=0
  for _ in $(seq "$RUNS"); do
    json=$(taskset -c "$CORE" "$ROOT/pipeline" track --video "$WORK/clip_${size}.mp4" --out "$WORK/out" --no-overlay --json)
    get() { echo "$json" | sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" | head -1; }
    fps_list+=("$(get tracking_fps)"); decode_list+=("$(get decode_s)"); frames=$(get frames); faces=$(get face_frames)
  done
  printf '%-10s %7s %11s %14s %16s %12s\n' "$size" "$frames" "$faces" \
    "$(printf '%s\n' "${fps_list[@]}" | median)" "$(IFS=/; echo "${fps_list[*]}")" "$(printf '%s\n' "${decode_list[@]}" | median)"
done
