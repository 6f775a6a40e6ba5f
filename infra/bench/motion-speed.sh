#!/usr/bin/env bash
# Motion-stage speed benchmark: fitting the person-specific mouth model on a 60 s target and predicting 60 s of
# new speech, on one core (taskset), RUNS times; prints the median fit, predict and fit+predict seconds.
# Target < 5 s. The target (a real clip looped to 60 s with its own sound) is tracked and analysed once, outside
# the measurement (--cache); the new speech's features are computed on every run but timed apart ("speech").
# Usage: infra/bench/motion-speed.sh [TARGET_VIDEO] [NEW_SPEECH]   env: RUNS (default 3), CORE (default 1)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VIDEO="${1:-$ROOT/../shared/testdata/video/hdtf_katiehill.mp4}"
SPEECH="${2:-$ROOT/../shared/testdata/audio/long_sun_22s.wav}"
RUNS="${RUNS:-3}"
CORE="${CORE:-1}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
for f in "$VIDEO" "$SPEECH"; do [ -f "$f" ] || { echo "motion-speed: missing $f" >&2; exit 1; }; done

"$ROOT/pipeline" --help >/dev/null   # build outside the measurement
ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$VIDEO" -t 60 -c:v libx264 -preset veryfast -crf 18 -c:a aac "$WORK/target.mp4"
ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SPEECH" -t 60 -ac 1 "$WORK/speech.wav"
"$ROOT/pipeline" motion --video "$WORK/target.mp4" --audio "$WORK/speech.wav" --out "$WORK/out" --cache "$WORK/cache" --json > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fits=(); predicts=(); totals=(); speech=()
for _ in $(seq "$RUNS"); do
  json=$(taskset -c "$CORE" "$ROOT/pipeline" motion --video "$WORK/target.mp4" --audio "$WORK/speech.wav" --out "$WORK/out" --cache "$WORK/cache" --json)
  get() { echo "$json" | sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" | head -1; }
  fits+=("$(get fit_s)"); predicts+=("$(get predict_s)"); speech+=("$(get speech)")
  totals+=("$(awk -v a="$(get fit_s)" -v b="$(get predict_s)" 'BEGIN {print a + b}')")
  set_name=$(echo "$json" | sed -n 's/.*"set": "\([A-Za-z]*\)".*/\1/p' | head -1)
  frames=$(get frames)
done
printf '%-8s %-18s %8s %10s %16s %16s\n' frames set fit_s predict_s fit_plus_predict speech_stage_s
printf '%-8s %-18s %8s %10s %16s %16s\n' "$frames" "${set_name:-generic}" \
  "$(printf '%s\n' "${fits[@]}" | median)" "$(printf '%s\n' "${predicts[@]}" | median)" \
  "$(printf '%s\n' "${totals[@]}" | median)" "$(printf '%s\n' "${speech[@]}" | median)"
