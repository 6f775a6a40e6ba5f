#!/usr/bin/env bash
# Fault soak, not a test: cuts every broker connection while stages are mid-flight, round after round, and checks that
# every queue gets its consumer back and every job completes. Each cut is tied to the work: it lands a random 0-0.8 s
# after the audio-features worker starts the round's first stage (its log's first ffprobe of the round's inputs), the
# window in which consumers are publishing results and the Api is dispatching the next stages.
# Before consumers gave up a publish on the transport's cancel (shared/Pipeline.ServiceDefaults/InterruptiblePublishing.cs),
# a cut within the first two rounds left extract-audio-features, or the Api's job-events and every other Api queue,
# without a consumer for good. The services log MassTransit at Debug here (CUTS_LOG_LEVEL): that widens the window; at
# the default level the same build came through 5 rounds. The distributed tests' cuts, at fixed times, rarely hit it.
# Usage: infra/faults/connection-cuts.sh [ROUNDS]     (default 10; servers: started if not running, then stopped again)
#   CUTS_JOBS       dubs per round (default 6), each a different 4 s stretch of speech
#   CUTS_PORT       the stack's Api port (default 5380)
#   CUTS_NO_BUILD   1: use the services as last built
#   CUTS_KEEP       a folder to keep the stack's logs in
#   CUTS_LOG_LEVEL  the services' MassTransit log level (default Debug)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-10}"
JOBS="${CUTS_JOBS:-6}"
PORT="${CUTS_PORT:-5380}"
VIDEO="$ROOT/../shared/testdata/video/vox_00086.mp4"
SPEECH="$ROOT/../shared/testdata/audio/long_sun_22s.wav"
MGMT="http://127.0.0.1:$((${PIPELINE_AMQP_PORT:-5672} + 10000))/api"
export PIPELINE_STACK_NAME=cuts
export Logging__LogLevel__MassTransit="${CUTS_LOG_LEVEL:-Debug}"
WORK="$(mktemp -d)"
export PIPELINE_STACK_DIR="$WORK/stack"
LOG="$PIPELINE_STACK_DIR/logs/audio-features-1.log"
started_servers=0
cleanup() {
  if [ -n "${CUTS_KEEP:-}" ]; then mkdir -p "$CUTS_KEEP" && cp -r "$PIPELINE_STACK_DIR/logs" "$CUTS_KEEP/" 2>/dev/null || true; fi
  bash "$ROOT/infra/stack.sh" down >/dev/null 2>&1 || true
  [ "$started_servers" = 1 ] && bash "$ROOT/infra/servers.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for f in "$VIDEO" "$SPEECH"; do [ -f "$f" ] || { echo "cuts: $f is missing (the shared test data)" >&2; exit 2; }; done

if ! curl -sf "http://127.0.0.1:${PIPELINE_S3_PORT:-18090}/healthcheck" >/dev/null 2>&1; then bash "$ROOT/infra/servers.sh" start >&2; started_servers=1; fi
[ "${CUTS_NO_BUILD:-0}" = 1 ] || dotnet build "$ROOT/Pipeline.sln" -c Release -v quiet -clp:ErrorsOnly -nologo >&2 || exit 1
"$ROOT/pipeline" --help >/dev/null || exit 1
URL=$(bash "$ROOT/infra/stack.sh" up --port "$PORT" --no-build | tail -n 1) || exit 1
export PIPELINE_API_KEY; PIPELINE_API_KEY=$(cat "$PIPELINE_STACK_DIR/api-key")

queues_without_consumer() {
  curl -sf -u guest:guest "$MGMT/queues/$PIPELINE_STACK_NAME?columns=name,consumers,messages_ready" | python3 -c '
import json, sys
idle = [q for q in json.load(sys.stdin) if q.get("consumers", 1) == 0]
print(" ".join("%s(%s waiting)" % (q["name"], q.get("messages_ready", 0)) for q in idle))'
}

stuck=0
for round in $(seq 1 "$ROUNDS"); do
  from=$(wc -l < "$LOG")
  pids=()
  for i in $(seq 1 "$JOBS"); do
    # A different stretch and level each time, so no stage of the round is a cache hit.
    ffmpeg -hide_banner -loglevel error -y -ss "$(( (i - 1) % 9 * 2 + 1 ))" -t 4 -i "$SPEECH" -ac 1 -ar 16000 \
      -af "volume=0.$((RANDOM % 9 + 1))$RANDOM" "$WORK/cut$round-$i.wav"
    PIPELINE_HOME="$WORK/home-$round-$i" "$ROOT/pipeline" dub --video "$VIDEO" --audio "$WORK/cut$round-$i.wav" \
      --out "$WORK/cut$round-$i.mp4" --json --server "$URL" > "$WORK/cli$round-$i.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 6000); do
    tail -n "+$((from + 1))" "$LOG" | grep -q "Running ffprobe: .*audio-features/.*-cut$round-" && break
    sleep 0.02
  done
  delay=$(python3 -c 'import random; print(round(random.uniform(0, 0.8), 2))')
  sleep "$delay"
  cut=$(bash "$ROOT/infra/servers.sh" drop-connections)
  # Every job of a round finishes in well under a minute here; 300 s for all of them means something is stuck.
  deadline=$(( $(date +%s) + 300 ))
  for p in "${pids[@]}"; do timeout $(( deadline > $(date +%s) ? deadline - $(date +%s) : 1 )) tail --pid="$p" -f /dev/null; done
  hung=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && hung=$((hung + 1)); done
  missing=$(queues_without_consumer)
  failed=0
  for i in $(seq 1 "$JOBS"); do grep -q '"job_id"' "$WORK/cli$round-$i.log" || failed=$((failed + 1)); done
  echo "round $round: cut ${delay} s after audio-features started (${cut#servers: }); $failed of $JOBS jobs without a result ($hung of them still running when the 300 s ran out); queues without a consumer: ${missing:-none}"
  if [ "$hung" -gt 0 ] || [ -n "$missing" ]; then stuck=$((stuck + 1)); kill "${pids[@]}" 2>/dev/null; break; fi
done
echo "cuts: $ROUNDS round(s) asked, $stuck stuck"
[ "$stuck" = 0 ]
