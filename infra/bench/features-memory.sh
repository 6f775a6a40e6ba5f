#!/usr/bin/env bash
# Speech-side memory benchmark: `pipeline features` (audio features + visemes + emotion + plot) on 10 minutes and on
# 3 hours of real speech (a testdata clip looped, AAC in .m4a as a catalog track would be), sampling the resident
# memory of the whole process tree (the CLI, ffmpeg decoders, PocketSphinx windows) every 0.2 s. Memory must stay
# flat: the 3-hour peak close to the 10-minute one.
# Usage: infra/bench/features-memory.sh [SOURCE_AUDIO]   env: METHOD=PocketSphinx|HeadAudio|Fused (default: the CLI's)
#        FPS (default 25), DURATIONS (seconds, default "600 10800")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOURCE="${1:-$ROOT/../shared/testdata/audio/long_sun_22s.wav}"
FPS="${FPS:-25}"
DURATIONS="${DURATIONS:-600 10800}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
[ -f "$SOURCE" ] || { echo "features-memory: no source audio at $SOURCE" >&2; exit 1; }
METHOD_ARGS=(); [ -n "${METHOD:-}" ] && METHOD_ARGS=(--content-method "$METHOD")

"$ROOT/pipeline" --help >/dev/null   # build outside the measurement, and run a copy: edits during a long run don't rebuild it
cp -r "$ROOT/.pipeline/cli" "$WORK/cli"
export PIPELINE_HEADAUDIO_MODEL="${PIPELINE_HEADAUDIO_MODEL:-$ROOT/.models/headaudio/model-en-mixed.bin}"

# Peak of the summed RSS (MB) of every process in session $1, polled until the session's leader exits.
peak_rss() {
  local sid=$1 leader=$2 peak=0 now
  while kill -0 "$leader" 2>/dev/null; do
    now=$(ps -o rss= -s "$sid" 2>/dev/null | awk '{s+=$1} END {print int(s/1024)}')
    [ "${now:-0}" -gt "$peak" ] && peak=$now
    sleep 0.2
  done
  echo "$peak"
}

printf '%-8s %9s %8s %10s %14s %16s %14s\n' audio frames windows wall_s pocketsphinx_s cli_peak_rss_mb tree_peak_mb
for seconds in $DURATIONS; do
  clip="$WORK/speech_${seconds}s.m4a"
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SOURCE" -t "$seconds" -ac 1 -c:a aac -b:a 64k "$clip"
  out="$WORK/out_${seconds}"
  setsid dotnet "$WORK/cli/pipeline.dll" features --audio "$clip" --fps "$FPS" --out "$out" --json "${METHOD_ARGS[@]}" > "$WORK/result.json" &
  pid=$!
  sleep 0.1
  peak=$(peak_rss "$(ps -o sid= -p "$pid" | tr -d ' ' || echo "$pid")" "$pid")
  wait "$pid"
  get() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$WORK/result.json" | head -1; }
  windows=$(sed -n 's/.*"windows": \([0-9]*\).*/\1/p' "$out/content.json" | head -1)
  printf '%-8s %9s %8s %10s %14s %16s %14s\n' "${seconds}s" "$(get frames)" "${windows:-?}" "$(get wall_s)" "$(get pocketsphinx_s)" "$(get peak_rss_mb)" "$peak"
  rm -rf "$out" "$clip"
done
