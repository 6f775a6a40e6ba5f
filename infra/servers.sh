#!/usr/bin/env bash
# The real servers the distributed runtime (and its integration tests) talk to, on 127.0.0.1, without systemd or
# Docker: RabbitMQ 3.10 (AMQP 5672, management 15672), PostgreSQL 15 (55432, database "dubbing", trust auth on
# loopback) and OpenStack Swift with its S3 layer (18090; access key "test:tester", secret "testing", us-east-1,
# path-style). Throwaway state lives under $PIPELINE_SERVERS_DIR (default /tmp/pipeline-servers).
#
#   infra/servers.sh start    start all three (about 10 s), wait until each answers
#   infra/servers.sh stop     stop what start started (about 6 s)
#   infra/servers.sh status   one line per server
#   infra/servers.sh restart-rabbitmq | restart-postgres    for fault tests: stop and start one, keeping its data
#   infra/servers.sh drop-connections                        for fault tests: RabbitMQ closes every client connection
#                                                            (as when it stops) and stays up; prints how many it closed
#
# Runs as root (PostgreSQL and Swift drop to their own users). install-deps.sh installs the packages.
set -euo pipefail
R="${PIPELINE_SERVERS_DIR:-/tmp/pipeline-servers}"
AMQP_PORT="${PIPELINE_AMQP_PORT:-5672}"
PG_PORT="${PIPELINE_PG_PORT:-55432}"
S3_PORT="${PIPELINE_S3_PORT:-18090}"
# Derived, so a second set of servers (the fault-injection tests run their own) needs only the three ports above.
MGMT_PORT=$((AMQP_PORT + 10000))
DIST_PORT=$((AMQP_PORT + 20000))
NODE="pipeline-$AMQP_PORT@localhost"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG=/usr/lib/postgresql/15/bin

log() { echo "servers: $*"; }

rabbit_env() {
  cat > "$R/rmq/env.sh" <<ENV
export HOME=$R/rmq/home RABBITMQ_NODENAME=$NODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$AMQP_PORT RABBITMQ_DIST_PORT=$DIST_PORT
export RABBITMQ_MNESIA_BASE=$R/rmq/mnesia RABBITMQ_LOG_BASE=$R/rmq/log RABBITMQ_ENABLED_PLUGINS_FILE=$R/rmq/enabled_plugins RABBITMQ_CONFIG_FILE=$R/rmq/rabbitmq
export ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
ENV
}

start_rabbitmq() {
  mkdir -p "$R/rmq/home" "$R/rmq/log" "$R/rmq/mnesia"
  rabbit_env
  # loopback_users = none: the guest account may connect (only over 127.0.0.1 anyway, as the node binds nothing else).
  printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\nloopback_users = none\n' "$MGMT_PORT" > "$R/rmq/rabbitmq.conf"
  ( . "$R/rmq/env.sh"
    /usr/lib/rabbitmq/bin/rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server >> "$R/rmq/log/stdout.log" 2>&1 < /dev/null & echo $! > "$R/rmq/pid" )
}

await_rabbitmq() {
  # await_startup gives up at once while the node has not yet registered with epmd: ask again until it has.
  for _ in $(seq 1 120); do
    if ( . "$R/rmq/env.sh"; /usr/lib/rabbitmq/bin/rabbitmqctl -q --timeout 120 await_startup ) >/dev/null 2>&1; then
      log "rabbitmq ready on 127.0.0.1:$AMQP_PORT"
      return 0
    fi
    kill -0 "$(cat "$R/rmq/pid")" 2>/dev/null || break
    sleep 1
  done
  log "rabbitmq did not start; its output ends:"; tail -n 30 "$R/rmq/log/stdout.log"; return 1
}

# Running and not a zombie (a server whose parent is gone may wait unreaped where PID 1 reaps nothing).
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }

stop_rabbitmq() {
  [ -f "$R/rmq/env.sh" ] || return 0
  local pid; pid=$(cat "$R/rmq/pid" 2>/dev/null || true)
  ( . "$R/rmq/env.sh" && /usr/lib/rabbitmq/bin/rabbitmqctl -q stop ) >/dev/null 2>&1 || true
  # rabbitmqctl stop returns once the node has agreed to halt, seconds before its VM exits and gives up the node
  # name: a server started in that window finds the name taken and dies, and the restart would leave no broker.
  for _ in $(seq 1 600); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    log "rabbitmq did not exit 60 s after stop; killing it"
    pkill -KILL -P "$pid" 2>/dev/null || true; kill -KILL "$pid" 2>/dev/null || true
  fi
  # epmd outlives rabbitmqctl stop; stop only the one that carries our environment.
  for p in $(pgrep -x epmd || true); do
    grep -qz "RABBITMQ_MNESIA_BASE=$R/rmq/mnesia" "/proc/$p/environ" 2>/dev/null && kill "$p" || true
  done
}

start_postgres() {
  mkdir -p "$R/pg"; chown postgres:postgres "$R/pg"
  if [ ! -f "$R/pg/data/PG_VERSION" ]; then
    runuser -u postgres -- $PG/initdb -D "$R/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    local fresh=1
  fi
  # fsync off: throwaway test data; a real deployment runs its own PostgreSQL.
  runuser -u postgres -- $PG/pg_ctl -D "$R/pg/data" -l "$R/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $R/pg -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
  if [ "${fresh:-0}" = 1 ]; then psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'create database dubbing'; fi
  log "postgres ready on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  [ -f "$R/pg/data/PG_VERSION" ] || return 0
  runuser -u postgres -- $PG/pg_ctl -D "$R/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start)
    t0=$(date +%s)
    if [ -f "$R/started" ]; then log "already started (state in $R); stop first"; exit 0; fi
    rm -rf "$R"; mkdir -p "$R"
    start_rabbitmq
    start_postgres
    SWIFT_DIR="$R/swift" S3_PORT="$S3_PORT" bash "$HERE/servers/swift-s3.sh" start
    await_rabbitmq
    touch "$R/started"
    log "all up in $(( $(date +%s) - t0 )) s (state in $R)"
    ;;
  stop)
    stop_rabbitmq
    stop_postgres
    SWIFT_DIR="$R/swift" bash "$HERE/servers/swift-s3.sh" stop
    rm -f "$R/started"
    log "stopped"
    ;;
  restart-rabbitmq)
    stop_rabbitmq
    start_rabbitmq
    await_rabbitmq
    # The node that answered must be the one just started, and still running.
    sleep 2
    alive "$(cat "$R/rmq/pid")" || { log "rabbitmq exited after starting; its output ends:"; tail -n 30 "$R/rmq/log/stdout.log"; exit 1; }
    ;;
  restart-postgres)
    stop_postgres
    start_postgres
    ;;
  drop-connections)
    # Closed through the management API: CONNECTION_FORCED, the same close a stopping broker sends, but at a moment the
    # caller picks and with nothing to wait for, so a test can cut connections while stages are mid-flight.
    n=0
    for name in $(curl -sf -u guest:guest "http://127.0.0.1:$MGMT_PORT/api/connections?columns=name" \
        | grep -o '"name":"[^"]*"' | cut -d'"' -f4 | sed 's/%/%25/g; s/:/%3A/g; s/ /%20/g; s/>/%3E/g'); do
      curl -sf -u guest:guest -X DELETE "http://127.0.0.1:$MGMT_PORT/api/connections/$name" >/dev/null && n=$((n + 1))
    done
    log "closed $n connection(s)"
    ;;
  status)
    ( . "$R/rmq/env.sh" 2>/dev/null && /usr/lib/rabbitmq/bin/rabbitmqctl -q status >/dev/null 2>&1 ) && log "rabbitmq up" || log "rabbitmq down"
    $PG/pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && log "postgres up" || log "postgres down"
    curl -sf "http://127.0.0.1:$S3_PORT/healthcheck" >/dev/null && log "s3 up" || log "s3 down"
    ;;
  *)
    echo "usage: $0 start|stop|status|restart-rabbitmq|restart-postgres|drop-connections" >&2
    exit 2
    ;;
esac
