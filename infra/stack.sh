#!/usr/bin/env bash
# The whole distributed stack on one machine, without Docker: RabbitMQ, PostgreSQL and the S3 server (infra/servers.sh),
# then the Api service and every worker service as its own process, configured to use them.
#
#   infra/stack.sh up [--render-workers N] [--port P] [--no-build]   prints the Api's URL on its last line, and before it
#                                                                     `export PIPELINE_API_KEY=...`: a new key for tenant
#                                                                     "default" with every scope (also in $DIR/api-key)
#   infra/stack.sh down                                               stops the services, then the servers it started
#   infra/stack.sh ps                                                 one line per service: pid, port, ready or not
#   infra/stack.sh start-worker render                                one more render worker (prints its pid)
#   infra/stack.sh kill-worker render [--signal KILL]                 stops the newest render worker
#
# Several stacks can share one set of servers: each takes its own RabbitMQ virtual host, database and bucket,
# named after PIPELINE_STACK_NAME (default "pipeline"); state and logs live under PIPELINE_STACK_DIR
# (default /tmp/pipeline-stack). Servers already running (e.g. started by CI) are used and left running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${PIPELINE_STACK_NAME:-pipeline}"
DIR="${PIPELINE_STACK_DIR:-/tmp/pipeline-stack}"
AMQP_PORT="${PIPELINE_AMQP_PORT:-5672}"
PG_PORT="${PIPELINE_PG_PORT:-55432}"
S3_PORT="${PIPELINE_S3_PORT:-18090}"
MGMT_PORT=$((AMQP_PORT + 10000))
BIN=Release/net10.0

log() { echo "stack: $*" >&2; }

# service name, project folder, assembly
SERVICES=(
  "api Api Pipeline.Api"
  "audio-features AudioFeatures Pipeline.AudioFeatures"
  "encoding Encoding Pipeline.Encoding"
  "motion Motion Pipeline.Motion"
  "render Render Pipeline.Render"
  "mux Mux Pipeline.Mux"
)

servers_up() {
  curl -sf "http://127.0.0.1:$S3_PORT/healthcheck" >/dev/null 2>&1 \
    && /usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 -p "$PG_PORT" \
    && curl -sf -u guest:guest "http://127.0.0.1:$MGMT_PORT/api/overview" >/dev/null 2>&1
}

# Its own vhost, database and bucket, so stacks (and test runs) never see each other's queues, jobs or artifacts.
prepare_namespace() {
  curl -sf -u guest:guest -X PUT "http://127.0.0.1:$MGMT_PORT/api/vhosts/$NAME" >/dev/null
  curl -sf -u guest:guest -X PUT -H 'content-type: application/json' \
    -d '{"configure":".*","write":".*","read":".*"}' "http://127.0.0.1:$MGMT_PORT/api/permissions/$NAME/guest" >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname = '$NAME'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database \"$NAME\""
}

service_env() {  # name, port
  cat <<ENV
ASPNETCORE_URLS=http://127.0.0.1:$2
DOTNET_gcServer=0
Bus__Transport=RabbitMq
Bus__RabbitMqHost=127.0.0.1
Bus__RabbitMqPort=$AMQP_PORT
Bus__RabbitMqVirtualHost=$NAME
ObjectStore__Kind=s3
ObjectStore__ServiceUrl=http://127.0.0.1:$S3_PORT
ObjectStore__Bucket=$NAME
ObjectStore__AccessKey=test:tester
ObjectStore__SecretKey=testing
ObjectStore__ScratchRoot=$DIR/scratch/$1
JobStore__Provider=Postgres
JobStore__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$NAME
ENV
}

start_service() {  # name, folder, assembly, port, instance
  local name=$1 folder=$2 asm=$3 port=$4 instance=$5
  local id="$name-$instance"
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/scratch/$name"
  (
    cd "$ROOT/services/$folder/bin/$BIN"
    set -a; eval "$(service_env "$name" "$port" | sed 's/^\([A-Za-z_]*\)=\(.*\)$/\1="\2"/')"; set +a
    exec setsid dotnet "$asm.dll" >> "$DIR/logs/$id.log" 2>&1 < /dev/null
  ) &
  echo "$! $port" > "$DIR/pids/$id"
  echo $!
}

await_ready() {  # id, port, pid
  for _ in $(seq 1 600); do
    if ! kill -0 "$3" 2>/dev/null; then
      log "$1 exited while starting; its log ($DIR/logs/$1.log) ends:"; tail -n 30 "$DIR/logs/$1.log" >&2; return 1
    fi
    curl -sf "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "$1 did not become ready in 60 s; see $DIR/logs/$1.log"; return 1
}

port_taken() { local f; for f in "$DIR"/pids/*; do [ -f "$f" ] && [ "$(cut -d' ' -f2 "$f")" = "$1" ] && return 0; done; return 1; }
next_port() { local p=$((API_PORT + 1)); while port_taken "$p"; do p=$((p + 1)); done; echo "$p"; }

# `pipeline keys create` against this stack's database: the build the services run from, else ./pipeline (which builds).
create_key() {
  local cli=(dotnet "$ROOT/services/Cli/bin/$BIN/pipeline.dll")
  [ -f "$ROOT/services/Cli/bin/$BIN/pipeline.dll" ] || cli=("$ROOT/pipeline")
  PIPELINE_JobStore__Provider=Postgres \
  PIPELINE_JobStore__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$NAME" \
    "${cli[@]}" keys create --tenant default --scopes "jobs:read jobs:write admin" --name stack 2>> "$DIR/logs/keys.log"
}

stop_pid() {  # pid: TERM, then KILL after 15 s (a worker finishes or abandons its message; the broker redelivers)
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd=${1:-}; shift || true
RENDER_WORKERS=1; API_PORT="${PIPELINE_API_PORT:-5080}"; BUILD=1; SIGNAL=TERM
while [ $# -gt 0 ]; do
  case "$1" in
    --render-workers) RENDER_WORKERS=$2; shift 2 ;;
    --port) API_PORT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --signal) SIGNAL=$2; shift 2 ;;
    *) ARG=$1; shift ;;
  esac
done
[ -f "$DIR/api-port" ] && [ "$cmd" != up ] && API_PORT=$(cat "$DIR/api-port")

case "$cmd" in
  up)
    t0=$(date +%s)
    if [ -d "$DIR/pids" ] && [ -n "$(ls -A "$DIR/pids" 2>/dev/null)" ]; then log "already up (state in $DIR); run down first"; exit 1; fi
    mkdir -p "$DIR"; rm -rf "$DIR/pids" "$DIR/scratch"
    if servers_up; then
      log "using the servers already running"
    else
      bash "$ROOT/infra/servers.sh" start >&2
      touch "$DIR/started-servers"
    fi
    if [ "$BUILD" = 1 ]; then
      log "building the services"
      dotnet build "$ROOT/Pipeline.sln" -c Release -v quiet -clp:ErrorsOnly -nologo >&2
    fi
    prepare_namespace
    echo "$API_PORT" > "$DIR/api-port"
    # The Api first: it applies the database migrations before any worker's events reach it.
    pid=$(start_service api Api Pipeline.Api "$API_PORT" 1)
    await_ready api-1 "$API_PORT" "$pid"
    # Every /v1 request needs an API key: one for tenant "default", with every scope, made while the workers start.
    (umask 077; create_key > "$DIR/api-key.tmp") &
    key_pid=$!
    declare -A started=()
    for entry in "${SERVICES[@]:1}"; do
      read -r name folder asm <<< "$entry"
      count=1; [ "$name" = render ] && count=$RENDER_WORKERS
      for i in $(seq 1 "$count"); do
        port=$(next_port)
        started["$name-$i"]="$port $(start_service "$name" "$folder" "$asm" "$port" "$i")"
      done
    done
    for id in "${!started[@]}"; do read -r port pid <<< "${started[$id]}"; await_ready "$id" "$port" "$pid"; done
    if ! wait "$key_pid" || [ ! -s "$DIR/api-key.tmp" ]; then log "could not create the API key; see $DIR/logs/keys.log"; exit 1; fi
    mv "$DIR/api-key.tmp" "$DIR/api-key"
    log "up in $(( $(date +%s) - t0 )) s: api + ${#started[@]} workers; logs in $DIR/logs; API key in $DIR/api-key"
    echo "export PIPELINE_API_KEY=$(cat "$DIR/api-key")"
    echo "http://127.0.0.1:$API_PORT"
    ;;
  down)
    if [ -d "$DIR/pids" ]; then
      for f in "$DIR"/pids/*; do [ -f "$f" ] || continue; read -r pid _ < "$f"; stop_pid "$pid" & done
      wait
      rm -rf "$DIR/pids"
    fi
    if [ -f "$DIR/started-servers" ]; then bash "$ROOT/infra/servers.sh" stop >&2; rm -f "$DIR/started-servers"; fi
    log "down"
    ;;
  ps)
    for f in "$DIR"/pids/*; do
      [ -f "$f" ] || continue; read -r pid port < "$f"
      state=down; kill -0 "$pid" 2>/dev/null && { curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && state=ready || state=starting; }
      echo "$(basename "$f") pid $pid port $port $state"
    done
    ;;
  start-worker)
    name=${ARG:?which service}; entry=$(printf '%s\n' "${SERVICES[@]}" | grep "^$name ") || { log "no service $name"; exit 2; }
    read -r name folder asm <<< "$entry"
    i=$(( $(ls "$DIR/pids" | grep -c "^$name-") + 1 )); while [ -f "$DIR/pids/$name-$i" ]; do i=$((i + 1)); done
    port=$(next_port); pid=$(start_service "$name" "$folder" "$asm" "$port" "$i")
    await_ready "$name-$i" "$port" "$pid"
    echo "$pid"
    ;;
  kill-worker)
    name=${ARG:?which service}
    f=$(ls -t "$DIR"/pids/"$name"-* 2>/dev/null | head -1); [ -n "$f" ] || { log "no $name worker running"; exit 1; }
    read -r pid _ < "$f"
    if [ "$SIGNAL" = KILL ]; then kill -KILL "$pid"; else stop_pid "$pid"; fi
    rm -f "$f"; echo "$pid"
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
