#!/usr/bin/env bash
# A single-node OpenStack Swift (Debian 12's 2.30) with the s3api middleware on 127.0.0.1:$S3_PORT: real SigV4
# checks, multipart uploads and presigned URLs, the S3 test server of the distributed runtime. Credentials: access
# key "test:tester", secret "testing", region us-east-1, path-style. Called by ../servers.sh.
set -euo pipefail
SW="${SWIFT_DIR:?}"; PORT="${S3_PORT:-18090}"
# The storage servers and memcached sit on the four ports after the S3 port.
OBJECT_PORT=$((PORT + 1)); CONTAINER_PORT=$((PORT + 2)); ACCOUNT_PORT=$((PORT + 3)); MEMCACHED_PORT=$((PORT + 4))

case "${1:-}" in
  start)
    rm -rf "$SW"; mkdir -p "$SW/conf" "$SW/node/d1" "$SW/run" "$SW/log"
    cd "$SW/conf"
    for t in account:$ACCOUNT_PORT container:$CONTAINER_PORT object:$OBJECT_PORT; do
      n=${t%%:*}; p=${t#*:}
      swift-ring-builder $n.builder create 8 1 1 >/dev/null
      swift-ring-builder $n.builder add r1z1-127.0.0.1:$p/d1 100 >/dev/null
      swift-ring-builder $n.builder rebalance >/dev/null || true   # exit 1 is a "balance warning" on a one-device ring
      printf '[DEFAULT]\ndevices = %s/node\nmount_check = false\nbind_ip = 127.0.0.1\nbind_port = %s\nworkers = 0\nswift_dir = %s/conf\nlog_level = WARNING\n[pipeline:main]\npipeline = %s-server\n[app:%s-server]\nuse = egg:swift#%s\n' \
        "$SW" $p "$SW" $n $n $n > $n-server.conf
    done
    cat > proxy-server.conf <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PORT
workers = 0
swift_dir = $SW/conf
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF
    chown -R swift:swift "$SW"
    cd "$SW"
    setsid /usr/bin/memcached -u memcache -l 127.0.0.1 -p $MEMCACHED_PORT -m 64 > log/memcached.log 2>&1 < /dev/null & echo $! > run/memcached.pid
    for n in account container object proxy; do
      setsid setpriv --reuid=swift --regid=swift --init-groups /usr/bin/swift-$n-server "$SW/conf/$n-server.conf" > log/$n.log 2>&1 < /dev/null & echo $! > run/$n.pid
    done
    for _ in $(seq 1 300); do
      curl -sf "http://127.0.0.1:$PORT/healthcheck" >/dev/null && { echo "servers: s3 (swift) ready on 127.0.0.1:$PORT"; exit 0; }
      sleep 0.1
    done
    echo "servers: swift did not become ready"; tail -n 20 log/*.log; exit 1
    ;;
  stop)
    for n in proxy object container account memcached; do
      [ -f "$SW/run/$n.pid" ] && kill "$(cat "$SW/run/$n.pid")" 2>/dev/null || true
    done
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
