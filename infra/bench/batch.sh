#!/usr/bin/env bash
# Batch benchmark (issue 8 acceptance): a batch of ROWS manifest rows of short clips completes on the embedded runner
# with correct counts, and the API's list and get latencies are measured while it runs.
# - cuts ROWS distinct short talking-head clips (CLIP_S seconds, 360p) from the testdata videos and as many speech
#   clips from the testdata speech, each at its own offset so no two rows share work (no cache hits);
# - starts `./pipeline serve --port PORT` in a scratch PIPELINE_HOME and creates a key with `./pipeline keys create`;
# - uploads every clip with PUT /v1/inputs/{sha256}/{name}, posts a CSV manifest to POST /v1/batches;
# - polls GET /v1/batches/{id} until every job has finished, while a second loop times GET /v1/jobs and
#   GET /v1/jobs/{id} back to back with curl;
# - prints the counts (and fails unless all ROWS succeeded) and the median / p95 latency of list and get.
# Usage: infra/bench/batch.sh   env: ROWS (50), CLIP_S (2.5), PORT (18480), TIMEOUT_S (3600), TESTDATA, KEEP=1 keeps the scratch folder
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TESTDATA="${TESTDATA:-$ROOT/../shared/testdata}"
ROWS="${ROWS:-50}"
CLIP_S="${CLIP_S:-2.5}"
PORT="${PORT:-18480}"
TIMEOUT_S="${TIMEOUT_S:-3600}"
API="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SERVER=""
LOADER=""
cleanup() {
  [ -n "$LOADER" ] && kill "$LOADER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "batch: scratch kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
for tool in ffmpeg ffprobe curl jq sha256sum; do
  command -v "$tool" >/dev/null || { echo "batch: $tool is required" >&2; exit 1; }
done

# Talking-head videos and speech from testdata (see its SOURCES.md); every one has a face / speech throughout.
VIDEOS=(hdtf_katiehill.mp4 hdtf_ocasiocortez.mp4 retalk_1.mp4 retalk_2.mp4 retalk_3.mp4 retalk_5.mp4 vox_00015.mp4 vox_00086.mp4)
SPEECH=(en_radio31.wav de_speech.wav ja_speech.wav ru_speech.wav zh_news.wav mead_m006_16k.wav retalk_audio1.wav fr_speech_long.wav)
duration() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
# Offset of row i within a source of length d: spread over the source, always leaving room for the clip.
offset() { awk -v i="$1" -v d="$2" -v c="$CLIP_S" 'BEGIN { room = d - c - 0.2; if (room < 0) room = 0; printf "%.2f", (i * 0.73) - room * int((i * 0.73) / (room + 0.001)) }'; }

echo "batch: cutting $ROWS clips of ${CLIP_S}s..." >&2
mkdir -p "$WORK/clips"
for i in $(seq 0 $((ROWS - 1))); do
  v="$TESTDATA/video/${VIDEOS[$((i % ${#VIDEOS[@]}))]}"
  a="$TESTDATA/audio/${SPEECH[$(((i / ${#VIDEOS[@]} + i) % ${#SPEECH[@]}))]}"
  vo=$(offset $((i / ${#VIDEOS[@]})) "$(duration "$v")")
  ao=$(offset "$i" "$(duration "$a")")
  n=$(printf '%02d' "$i")
  ffmpeg -hide_banner -loglevel error -y -ss "$vo" -i "$v" -t "$CLIP_S" -an -vf "scale=-2:360,fps=25" \
    -c:v libx264 -preset veryfast -crf 23 "$WORK/clips/v$n.mp4"
  ffmpeg -hide_banner -loglevel error -y -ss "$ao" -i "$a" -t "$CLIP_S" -ac 1 -ar 16000 "$WORK/clips/a$n.wav"
done

echo "batch: starting ./pipeline serve --port $PORT..." >&2
"$ROOT/pipeline" --help >/dev/null   # build outside the measurement
export PIPELINE_HOME="$WORK/home"
"$ROOT/pipeline" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 240); do
  curl -fs "$API/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { echo "batch: serve exited; its log:" >&2; tail -50 "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "$API/health/ready" >/dev/null || { echo "batch: serve never became ready" >&2; tail -50 "$WORK/serve.log" >&2; exit 1; }
KEY="$("$ROOT/pipeline" keys create --tenant bench | tail -1 | tr -d '[:space:]')"
AUTH=(-H "Authorization: Bearer $KEY")

echo "batch: uploading..." >&2
echo "id,video,audio,lengthPolicy" > "$WORK/manifest.csv"
upload() {
  local sha type=video/mp4
  sha=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$1" == *.wav ]] && type=audio/wav
  curl -fsS "${AUTH[@]}" -X PUT -H "Content-Type: $type" --data-binary @"$1" "$API/v1/inputs/$sha/$(basename "$1")" | jq -r .key
}
for i in $(seq 0 $((ROWS - 1))); do
  n=$(printf '%02d' "$i")
  echo "clip$n,$(upload "$WORK/clips/v$n.mp4"),$(upload "$WORK/clips/a$n.wav"),cut" >> "$WORK/manifest.csv"
done

started=$(date +%s.%N)
status=$(curl -sS "${AUTH[@]}" -o "$WORK/created.json" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/manifest.csv" "$API/v1/batches?name=bench-$ROWS")
[ "$status" = 201 ] || { echo "batch: POST /v1/batches answered $status:" >&2; cat "$WORK/created.json" >&2; exit 1; }
BATCH=$(jq -r .id "$WORK/created.json")
submitted=$(jq -r .submitted "$WORK/created.json")
[ "$submitted" = "$ROWS" ] || { echo "batch: only $submitted of $ROWS rows were accepted:" >&2; jq '.rows[] | select(.errors)' "$WORK/created.json" >&2; exit 1; }
jq -r '.rows[].jobId' "$WORK/created.json" > "$WORK/job-ids"
echo "batch: batch $BATCH submitted with $submitted jobs" >&2

# Latency under load: list and get, back to back, until the batch is done.
: > "$WORK/list.txt"; : > "$WORK/get.txt"
(
  mapfile -t ids < "$WORK/job-ids"
  k=0
  while [ ! -f "$WORK/done" ]; do
    # Status and time of each request: only 200s are timed, the others are counted apart.
    curl -s "${AUTH[@]}" -o /dev/null -w '%{http_code} %{time_total}\n' "$API/v1/jobs?limit=100" >> "$WORK/list.txt" || true
    curl -s "${AUTH[@]}" -o /dev/null -w '%{http_code} %{time_total}\n' "$API/v1/jobs/${ids[$((k % ${#ids[@]}))]}" >> "$WORK/get.txt" || true
    k=$((k + 1))
    sleep 0.2
  done
) &
LOADER=$!

deadline=$(( $(date +%s) + TIMEOUT_S ))
while true; do
  curl -fsS "${AUTH[@]}" "$API/v1/batches/$BATCH" > "$WORK/batch.json"
  read -r total queued running ok failed cancelled < <(jq -r '.counts | "\(.total) \(.queued) \(.running) \(.succeeded) \(.failed) \(.cancelled)"' "$WORK/batch.json")
  echo "batch: $(date +%T) total=$total queued=$queued running=$running succeeded=$ok failed=$failed cancelled=$cancelled progress=$(jq -r .progress "$WORK/batch.json")" >&2
  [ $((ok + failed + cancelled)) -ge "$ROWS" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "batch: not finished within ${TIMEOUT_S}s" >&2; touch "$WORK/done"; exit 1; }
  sleep 2
done
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
touch "$WORK/done"; wait "$LOADER" 2>/dev/null || true; LOADER=""

stats() { awk '$1 == 200 { print $2 }' "$1" | sort -n | awk -v bad="$(awk '$1 != 200' "$1" | wc -l)" '{ a[NR] = $1 * 1000 } END { if (NR == 0) { print "n=0"; exit } p = int(NR * 0.95 + 0.999); if (p > NR) p = NR; printf "n=%d (non-200: %d) median=%.1f ms p95=%.1f ms max=%.1f ms", NR, bad, (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[p], a[NR] }'; }
echo "rows:       $ROWS clips of ${CLIP_S}s, batch $BATCH, wall ${elapsed}s"
echo "counts:     total=$total succeeded=$ok failed=$failed cancelled=$cancelled"
echo "list p95:   GET /v1/jobs?limit=100   $(stats "$WORK/list.txt")"
echo "get p95:    GET /v1/jobs/{id}        $(stats "$WORK/get.txt")"
if [ "$failed" != 0 ] || [ "$ok" != "$ROWS" ]; then
  echo "failures:" >&2
  jq -r '.failures[] | "  \(.ref) \(.stage): \(.error)"' "$WORK/batch.json" >&2
  exit 1
fi
