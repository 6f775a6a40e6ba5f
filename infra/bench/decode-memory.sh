#!/usr/bin/env bash
# Decode memory benchmark: makes 720p25 clips of 10 s and 120 s from a real talking-head clip (looped and
# scaled with ffmpeg), decodes every frame of each with `pipeline bench-decode`, and prints peak memory
# (this process + its ffmpeg child) for both. Memory must stay under 300 MB and flat with duration.
# Usage: infra/bench/decode-memory.sh [SOURCE_VIDEO]   (default: ../shared/testdata/video/retalk_2.mp4)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOURCE="${1:-$ROOT/../shared/testdata/video/retalk_2.mp4}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
[ -f "$SOURCE" ] || { echo "decode-memory: no source video at $SOURCE" >&2; exit 1; }

for seconds in 10 120; do
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SOURCE" -t "$seconds" \
    -vf "scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,fps=25" \
    -c:v libx264 -preset ultrafast -crf 23 -an "$WORK/clip_${seconds}s.mp4"
done

"$ROOT/pipeline" --help >/dev/null   # build outside the measurement
printf '%-8s %8s %10s %12s %14s %12s\n' clip frames fps peak_rss_mb ffmpeg_rss_mb total_mb
for seconds in 10 120; do
  json=$("$ROOT/pipeline" bench-decode --video "$WORK/clip_${seconds}s.mp4" --json)
  get() { echo "$json" | sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }
  printf '%-8s %8s %10s %12s %14s %12s\n' "${seconds}s" "$(get frames)" "$(get fps)" "$(get peak_rss_mb)" "$(get peak_child_rss_mb)" "$(get peak_total_mb)"
done
