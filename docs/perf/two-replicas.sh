#!/usr/bin/env bash
# Two `serve` replicas behind nginx, sharing PostgreSQL (ledger, keys) and Redis (budgets, rate limits), as one
# target for ../shared/bench/peer.sh (issue 16's "two replicas behind nginx" figure). Used as OURS_CMD:
#
#   OURS_URL=http://127.0.0.1:8080/v1/chat/completions \
#   OURS_CMD='bash /work/main/docs/perf/two-replicas.sh /tmp/sa-frozen/sales-agent.jar' \
#   PEERS=portkey MODES="nonstream stream" REPEATS=1 WARMUP=8 DURATION=10 bash /work/shared/bench/peer.sh
#
# Everything is throwaway and on loopback: a fresh PostgreSQL cluster and a Redis in $WORK, replicas on 8081/8082,
# nginx on 8080 (round robin, keep-alive to both). The replicas start with serve's defaults (the JIT warm-up
# included). Ctrl-C / SIGTERM stops all of it. peer.sh samples this script's PID for CPU and RSS, so its CPU/RSS
# columns for this target are the script's, not the replicas'; read throughput and latency only.
set -euo pipefail
JAR=${1:?usage: two-replicas.sh SALES_AGENT_JAR}
WORK=${WORK:-/tmp/sa-two-replicas}
PG_PORT=${PG_PORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
CONFIG=${CONFIG:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/gateway-bench.yaml}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
export UPSTREAM_BASE=${UPSTREAM_BASE:-http://127.0.0.1:18080/v1}

PIDS=()
stop() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -f "$WORK/nginx.pid" ]] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
}
trap 'stop; exit 0' TERM INT
trap stop EXIT

rm -rf "$WORK" && mkdir -p "$WORK/pg" "$WORK/pg-log" "$WORK/nginx-tmp" && chmod 755 "$WORK" && chown postgres:postgres "$WORK/pg" "$WORK/pg-log"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
  -w -l "$WORK/pg-log/postgres.log" start >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)

export SALES_AGENT_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=postgres"
export SALES_AGENT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SALES_AGENT_ADMIN_KEY=${SALES_AGENT_ADMIN_KEY:-sk-bench-not-a-real-key}
export MALLOC_ARENA_MAX=2
for port in 8081 8082; do
  java -XX:+UseSerialGC -Xss512k -Xms96m -Xmx512m -Xmn48m -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=5000 \
    -jar "$JAR" serve --config "$CONFIG" --port "$port" >"$WORK/replica-$port.log" 2>&1 &
  PIDS+=($!)
done

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  upstream replicas { server 127.0.0.1:8081; server 127.0.0.1:8082; keepalive 64; }
  server {
    listen 127.0.0.1:8080;
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
# nginx only once both replicas answer, so the port opening means the pair is ready (as a load balancer's checks do)
for port in 8081 8082; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
done
nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log"
wait "${PIDS[1]}" "${PIDS[2]}"
