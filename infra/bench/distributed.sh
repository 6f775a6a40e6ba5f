#!/usr/bin/env bash
# Distributed-runtime benchmark (issue targets): on stacks of their own (infra/stack.sh, each with fresh caches),
#   1. a 4-chunk dub (38 s of a looped 512x512 clip) with one render worker, then with two: job wall and render span,
#      and the ratio;
#   2. the same job resubmitted to the two-worker stack: wall against the first run (target < 10 %);
#   3. the bus overhead per hop, from a stage finishing (its start + its work seconds, on the worker's clock) to the
#      next one starting, over every dependent pair of every job (of a fan-out, its first chunk only: the others wait
#      for a free worker; a skipped node, settled by the Api with no worker, stands for what it waited on): median
#      and p95 (target p95 <= 50 ms on loopback), for the cold jobs and for the
#      resubmission (all cache hits, so no stage competes with the bus for the CPU).
# Each stack first serves a short warm-up job of other inputs (two render chunks, so both render workers take one):
# a process's first message of each kind pays for JIT compilation, serializer metadata, exchange declarations and
# connection set-up, once in its life. Those hops are reported on their own line ("first job after start"); the
# target is on the running stack.
# Usage: infra/bench/distributed.sh [VIDEO [AUDIO]]   (servers: started if not running, and then stopped again)
#   BENCH_PORT      the stacks' Api port (default 5280)
#   BENCH_WORKERS   "1 2" (default) or "2": only the two-worker stack, when iterating on the hops (no render ratio)
#   BENCH_NO_BUILD  1: use the services as last built
#   BENCH_DEBUG     1: the services' logs carry UTC timestamps, and the Api's times each stage event it handles
#   BENCH_KEEP      a folder to keep the jobs, their per-hop summaries and the stacks' logs in
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VIDEO="${1:-$ROOT/../shared/testdata/video/hdtf_katiehill.mp4}"
AUDIO="${2:-$ROOT/../shared/testdata/audio/long_sun_22s.wav}"
SECONDS_LONG="${BENCH_SECONDS:-38}"
WORK="$(mktemp -d)"
started_servers=0
cleanup() {
  if [ -n "${BENCH_KEEP:-}" ]; then cp -r "$WORK" "$BENCH_KEEP" 2>/dev/null || true; fi
  PIPELINE_STACK_DIR="$WORK/stack" bash "$ROOT/infra/stack.sh" down >/dev/null 2>&1 || true
  [ "$started_servers" = 1 ] && bash "$ROOT/infra/servers.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! curl -sf "http://127.0.0.1:${PIPELINE_S3_PORT:-18090}/healthcheck" >/dev/null 2>&1; then bash "$ROOT/infra/servers.sh" start >&2; started_servers=1; fi
[ "${BENCH_NO_BUILD:-0}" = 1 ] || dotnet build "$ROOT/Pipeline.sln" -c Release -v quiet -clp:ErrorsOnly -nologo >&2
"$ROOT/pipeline" --help >/dev/null
ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$AUDIO" -t "$SECONDS_LONG" -ac 1 -ar 16000 "$WORK/speech.wav"
# Render chunks follow the target video's own length (10 s each): loop the clip to the speech's length.
SOURCE_VIDEO="$VIDEO"
ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$SOURCE_VIDEO" -t "$SECONDS_LONG" -c:v libx264 -preset veryfast -crf 18 -c:a aac "$WORK/video.mp4"
VIDEO="$WORK/video.mp4"
# The warm-up job's inputs: other stretches of the same clip and speech, so it shares no cached artifact with the rest.
ffmpeg -hide_banner -loglevel error -y -ss 2 -stream_loop -1 -i "$SOURCE_VIDEO" -t 12 -c:v libx264 -preset veryfast -crf 18 -c:a aac "$WORK/warm.mp4"
ffmpeg -hide_banner -loglevel error -y -ss 1 -stream_loop -1 -i "$AUDIO" -t 12 -ac 1 -ar 16000 "$WORK/warm.wav"

run_job() {  # url, out[, video, audio] → prints the CLI's JSON
  "$ROOT/pipeline" dub --video "${3:-$VIDEO}" --audio "${4:-$WORK/speech.wav}" --length-policy loop --out "$2" --json --server "$1"
}

analyse() {  # url, job id, label
  curl -sf -H "Authorization: Bearer $PIPELINE_API_KEY" "$1/v1/jobs/$2" > "$WORK/$3.job.json"
  python3 - "$WORK/$3.job.json" "$3" <<'PY'
import json, sys
from datetime import datetime
job = json.load(open(sys.argv[1])); label = sys.argv[2]
t = lambda s: datetime.fromisoformat(s).timestamp()
runs = {s["node"]: s for s in job["stages"]}
templates = {n for n, s in runs.items() if s["chunkIndex"] is None and any(c["chunkIndex"] is not None and c["stage"] == s["stage"] and c["variant"] == s["variant"] for c in runs.values())}
skipped = {n for n, s in runs.items() if s["result"] is None}
def finish(n):
    s = runs[n]
    if n in templates:
        return max(finish(c["node"]) for c in runs.values() if c["chunkIndex"] is not None and c["stage"] == s["stage"] and c["variant"] == s["variant"])
    return t(s["startedAt"]) + (s["workSeconds"] or 0)
# A fan-out's later chunks wait for a free worker: that is capacity, not the bus. Only its first chunk is a hop.
first_chunk = {}
for n, s in runs.items():
    if s["chunkIndex"] is not None and s["startedAt"]:
        k = (s["stage"], s["variant"])
        if k not in first_chunk or t(s["startedAt"]) < t(runs[first_chunk[k]]["startedAt"]):
            first_chunk[k] = n
def real_deps(n):
    found = set()
    for d in (runs[n]["dependsOn"] or "").split(","):
        if d:
            found |= real_deps(d) if d in skipped else {d}
    return found
hops, named = [], []
for n, s in runs.items():
    if n in templates or n in skipped or not s["dependsOn"]:
        continue
    if s["chunkIndex"] is not None and first_chunk.get((s["stage"], s["variant"])) != n:
        continue
    # A skipped node (nothing to do for this job) is settled by the Api at dispatch, with no worker and no hop of
    # its own: the hop runs from what it waited on.
    deps = sorted(real_deps(n))
    if not deps:
        continue
    hops.append(t(s["startedAt"]) - max(finish(d) for d in deps))
    # Where the hop went, on the Api's clock: the last dependency's completion reaching the Api (its publish, the queue,
    # the Api's partition and load), then this node's dispatch and its command reaching a worker (save, send, receive).
    last = max(deps, key=finish)
    seen = t(runs[last]["finishedAt"]) - finish(last) if runs[last].get("finishedAt") else float("nan")
    sent = t(s["startedAt"]) - t(s["dispatchedAt"]) if s.get("dispatchedAt") else float("nan")
    named.append((n, [round(hops[-1] * 1000, 1), round(seen * 1000, 1), round(sent * 1000, 1)]))
render = [s for s in runs.values() if s["stage"] == "Render" and s["chunkIndex"] is not None]
span = max(t(s["startedAt"]) + s["workSeconds"] for s in render) - min(t(s["startedAt"]) for s in render)
workers = sorted({s["worker"] for s in render})
json.dump({"label": label, "hops_ms": [round(h * 1000, 1) for h in hops], "hops_by_node": dict(named), "render_span_s": round(span, 2),
           "render_chunks": len(render), "render_workers": workers}, open(sys.argv[1] + ".summary", "w"))
print(f"{label}: {len(render)} render chunks on {len(workers)} worker(s), render span {span:.1f} s, {len(hops)} hops")
PY
}

declare -A wall
for workers in ${BENCH_WORKERS:-1 2}; do
  export PIPELINE_STACK_NAME="bench$workers-$$" PIPELINE_STACK_DIR="$WORK/stack"
  url=$(env ${BENCH_DEBUG:+"Logging__LogLevel__Pipeline.Api.Orchestration=Debug" Logging__Console__FormatterOptions__TimestampFormat="HH:mm:ss.fff " Logging__Console__FormatterOptions__UseUtcTimestamp=true} \
    bash "$ROOT/infra/stack.sh" up --no-build --render-workers "$workers" --port "${BENCH_PORT:-5280}" 2>/dev/null | tail -1)
  export PIPELINE_API_KEY="$(cat "$PIPELINE_STACK_DIR/api-key")"  # ./pipeline --server and curl present it
  json=$(run_job "$url" "$WORK/warm$workers.mp4" "$WORK/warm.mp4" "$WORK/warm.wav")
  analyse "$url" "$(echo "$json" | sed -n 's/^  "job_id": "\(.*\)".*/\1/p')" "warm$workers"
  json=$(run_job "$url" "$WORK/out$workers.mp4")
  wall[$workers]=$(echo "$json" | sed -n 's/^  "wall_s": \([0-9.]*\).*/\1/p')
  analyse "$url" "$(echo "$json" | sed -n 's/^  "job_id": "\(.*\)".*/\1/p')" "w$workers"
  if [ "$workers" = 2 ]; then
    json=$(run_job "$url" "$WORK/again.mp4")
    wall[again]=$(echo "$json" | sed -n 's/^  "wall_s": \([0-9.]*\).*/\1/p')
    analyse "$url" "$(echo "$json" | sed -n 's/^  "job_id": "\(.*\)".*/\1/p')" "again"
  fi
  bash "$ROOT/infra/stack.sh" down >/dev/null 2>&1
done

python3 - "$WORK" "${wall[1]:-0}" "${wall[2]}" "${wall[again]}" <<'PY'
import json, sys, glob, statistics
work, w1, w2, again = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
s = {json.load(open(f))["label"]: json.load(open(f)) for f in glob.glob(work + "/*.summary")}
def pct(values, q):
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
hops = sorted(h for k, v in s.items() if not k.startswith("warm") for h in v["hops_ms"])
first = sorted(h for k, v in s.items() if k.startswith("warm") for h in v["hops_ms"])
cached = sorted(s["again"]["hops_ms"])
if "w1" in s:
    print(f"one render worker:  job {w1:.1f} s, render span {s['w1']['render_span_s']:.1f} s ({s['w1']['render_chunks']} chunks)")
    print(f"two render workers: job {w2:.1f} s, render span {s['w2']['render_span_s']:.1f} s; job ratio {w2 / w1:.2f}, render ratio {s['w2']['render_span_s'] / s['w1']['render_span_s']:.2f}")
else:
    print(f"two render workers: job {w2:.1f} s, render span {s['w2']['render_span_s']:.1f} s")
print(f"resubmitted:        job {again:.1f} s = {100 * again / w2:.1f} % of the first run")
print(f"bus hop, first job after start (cold processes): n={len(first)} median {statistics.median(first):.1f} ms, p95 {pct(first, 0.95):.1f} ms, max {first[-1]:.1f} ms")
print(f"bus hop (stage finished -> next started), all jobs: n={len(hops)} median {statistics.median(hops):.1f} ms, p95 {pct(hops, 0.95):.1f} ms, max {hops[-1]:.1f} ms")
print(f"bus hop, resubmission only (idle CPU):   n={len(cached)} median {statistics.median(cached):.1f} ms, p95 {pct(cached, 0.95):.1f} ms, max {cached[-1]:.1f} ms")
PY
