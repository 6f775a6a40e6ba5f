#!/usr/bin/env bash
# End-to-end dub benchmark (issue targets: a 60 s 720p25 dub in <= 60 s wall and <= 2x the ffmpeg floor measured
# in the same run; peak memory <= 1.5 GB and flat with duration). Makes 720p25 talking-head clips of each length
# in DURATIONS from a real clip (looped, scaled and cropped to 1280x720) and speech of the same length from a real
# speech clip (looped), then runs `pipeline bench --json` RUNS times on each and prints the medians. Each run then
# dubs the same video with a second speech track of the same length (German, looped) in the same store: a catalog
# title's next language, whose video-only stages are cached (second_s, second_ratio; SECOND_AUDIO= turns it off).
# Usage: infra/bench/dub-speed.sh [SOURCE_VIDEO [SOURCE_AUDIO]]   env: DURATIONS (default "60"), RUNS (default 1),
#        SECOND_AUDIO (default testdata's de_speech.wav; empty: no second dub)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VIDEO="${1:-$ROOT/../shared/testdata/video/hdtf_katiehill.mp4}"
AUDIO="${2:-$ROOT/../shared/testdata/audio/en_radio31.wav}"
DURATIONS="${DURATIONS:-60}"
RUNS="${RUNS:-1}"
SECOND_AUDIO="${SECOND_AUDIO-$ROOT/../shared/testdata/audio/de_speech.wav}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
[ -f "$VIDEO" ] && [ -f "$AUDIO" ] || { echo "dub-speed: missing $VIDEO or $AUDIO" >&2; exit 1; }

"$ROOT/pipeline" --help >/dev/null   # build outside the measurement
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-9s %7s %8s %9s %8s %9s %10s %10s %13s %7s %11s %9s %12s\n' duration wall_s floor_s ratio fps rt_factor peak_rss_mb peak_pss_mb peak_proc_mb cpu_s floor_cpu_s second_s second_ratio
for d in $DURATIONS; do
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$VIDEO" -t "$d" \
    -vf "scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,fps=25" \
    -c:v libx264 -preset veryfast -crf 20 -c:a aac "$WORK/v$d.mp4"
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$AUDIO" -t "$d" -ac 1 -ar 16000 "$WORK/a$d.wav"
  second=()
  if [ -n "$SECOND_AUDIO" ]; then
    ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SECOND_AUDIO" -t "$d" -ac 1 -ar 16000 "$WORK/b$d.wav"
    second=(--second-audio "$WORK/b$d.wav")
  fi
  walls=(); floors=(); ratios=(); fpss=(); rts=(); peaks=(); psss=(); procs=(); cpus=(); floorcpus=(); seconds=(); secondratios=()
  for _ in $(seq "$RUNS"); do
    json=$("$ROOT/pipeline" bench --video "$WORK/v$d.mp4" --audio "$WORK/a$d.wav" "${second[@]}" --json)
    echo "$json" > "$WORK/last.json"
    get() { echo "$json" | sed -n "s/^  \"$1\": \([0-9.]*\).*/\1/p" | head -1; }
    walls+=("$(get wall_s)"); floors+=("$(get floor_wall_s)"); ratios+=("$(get ratio_to_floor)"); fpss+=("$(get fps)")
    rts+=("$(get realtime_factor)"); peaks+=("$(get peak_rss_mb)"); psss+=("$(get peak_pss_mb)"); procs+=("$(get peak_process_rss_mb)")
    cpus+=("$(get cpu_s)"); floorcpus+=("$(get floor_cpu_s)")
    nested() { echo "$json" | sed -n "/\"second_dub\"/,/}/s/^    \"$1\": \([0-9.]*\).*/\1/p" | head -1; }
    seconds+=("$(nested wall_s)"); secondratios+=("$(nested ratio_to_floor)")
  done
  m() { if [ -z "${1:-}" ]; then echo -; else printf '%s\n' "$@" | median; fi; }
  printf '%-9s %7s %8s %9s %8s %9s %10s %10s %13s %7s %11s %9s %12s\n' "${d}s" "$(m "${walls[@]}")" "$(m "${floors[@]}")" "$(m "${ratios[@]}")" \
    "$(m "${fpss[@]}")" "$(m "${rts[@]}")" "$(m "${peaks[@]}")" "$(m "${psss[@]}")" "$(m "${procs[@]}")" "$(m "${cpus[@]}")" "$(m "${floorcpus[@]}")" \
    "$(m "${seconds[@]}")" "$(m "${secondratios[@]}")"
  first=$(tr -d '\n ' < "$WORK/last.json" | sed 's/"second_dub":.*//')   # the first dub's figures only
  echo "  stages (last run): $(echo "$first" | sed -n 's/.*"stages":{\([^}]*\)}.*/\1/p')"
  echo "  CPU by tool (last run, sampled): $(echo "$first" | sed -n 's/.*"cpu_by_tool_s":{\([^}]*\)}.*/\1/p')"
  echo "  RSS at the peak by tool, MB (last run): $(echo "$first" | sed -n 's/.*"peak_rss_by_tool_mb":{\([^}]*\)}.*/\1/p')"
done
