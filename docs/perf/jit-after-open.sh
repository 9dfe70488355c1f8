#!/usr/bin/env bash
# jit-after-open.sh JAR LABEL [STREAM=0] [CONNS=32] [SECS=30]: serve (auto warm-up) with -XX:+LogCompilation under wrk,
# then the uncommon traps and C2 compilations in the 25 s after the port opened (docs/PERFORMANCE.md, runs 28-29).
# Needs wrk and node (peer.sh installs wrk); BENCH_DIR is the shared bench directory (fake-upstream.mjs, post.lua).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$1; L=$2; STREAM=${3:-0}; CONNS=${4:-32}; SECS=${5:-30}
D=/tmp/lc/$L; rm -rf $D; mkdir -p $D
export UPSTREAM_BASE=http://127.0.0.1:18080/v1 STREAM_CHUNKS=20 UPSTREAM_DELAY_MS=0
pgrep -f fake-upstream.mjs >/dev/null || (UPSTREAM_PORT=18080 nohup node ${BENCH_DIR:-$ROOT/../shared/bench}/fake-upstream.mjs > /tmp/lc/up.log 2>&1 &)
env SALES_AGENT_ADMIN_KEY=sk-bench-not-a-real-key java -XX:+UseSerialGC -Xss512k -Xms96m -Xmx512m -Xmn48m -XX:ReservedCodeCacheSize=64m -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$D/comp.xml -jar $JAR serve --config $ROOT/docs/perf/gateway-bench.yaml --port 8080 --db-url "jdbc:h2:file:$D/db;CACHE_SIZE=8192" > $D/serve.log 2>&1 &
PID=$!
sleep 3; for i in $(seq 1 600); do curl -sf http://127.0.0.1:8080/readyz >/dev/null && break; sleep 0.2; done
date +%s.%N > $D/open
cd ${BENCH_DIR:-$ROOT/../shared/bench} && BENCH_STREAM=$STREAM wrk -t1 -c$CONNS -d${SECS}s -s post.lua http://127.0.0.1:8080/v1/chat/completions | grep -o '"rps":[0-9.]*'
kill $PID; wait $PID 2>/dev/null
grep "warm-up done" $D/serve.log
python3 - $D <<'PY'
import re,sys,collections
D=sys.argv[1]; txt=open(D+'/comp.xml',errors='replace').read()
t0=int(re.search(r"time_ms='(\d+)'",txt).group(1))/1000; T=float(open(D+'/open').read())-t0
traps=collections.Counter(); n5=0
for m in re.finditer(r"<uncommon_trap thread='\d+' ([^>]*)>\s*<jvms bci='(\d+)' method='([^']*)'",txt):
    st=float(re.search(r"stamp='([\d.]+)'",m.group(1)).group(1))
    if T<=st<T+25: traps[m.group(3).split(' ')[0]+'.'+m.group(3).split(' ')[1]+' '+re.search(r"reason='([^']*)'",m.group(1)).group(1)]+=1
c2=0; c2first=0; seen=set()
for m in re.finditer(r"<nmethod ([^>]*)>",txt):
    a=m.group(1); st=float(re.search(r"stamp='([\d.]+)'",a).group(1)); lvl=re.search(r"level='(\d)'",a)
    meth=re.search(r"method='([^']*)'",a); meth=meth.group(1) if meth else '?'
    if lvl and lvl.group(1)=='4':
        if st<T: seen.add(meth)
        elif st<T+25:
            c2+=1
            if meth not in seen: c2first+=1
print('traps in 25 s after open:',sum(traps.values()),' C2 compiles:',c2,' first-time:',c2first)
for k,v in traps.most_common(25): print('  ',v,k)
PY
