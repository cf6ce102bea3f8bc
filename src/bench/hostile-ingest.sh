#!/usr/bin/env bash
# Hostile deliveries against the packaged adapter (H2, fresh data folder, heap capped): drops a zip bomb (~1 MB that
# expands to 1.1 GiB), a FIFO named fifo.zip, a symbolic link to /etc as a delivery, a folder whose dm.csv is a link to
# /etc/passwd, and a good delivery (the AML demo study); prints what happened to each, whether the adapter is still
# alive and ready, and its heap after. Issue 14; limits in README "Security notes".
# Usage: [HEAP=512m] [PORT=8097] [DATA=target/hostile-bench] [KEEP=1: leave it running] src/bench/hostile-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HEAP=${HEAP:-512m}; PORT=${PORT:-8097}; DATA=$(realpath -m "${DATA:-target/hostile-bench}")
ls target/celltrial-fhir-adapter-*.jar >/dev/null 2>&1 || ./mvnw -q -B -DskipTests package
rm -rf "$DATA"; mkdir -p "$DATA/inbox"; IN=$DATA/inbox
java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -jar target/celltrial-fhir-adapter-*.jar --server.port="$PORT" \
  --celltrial.data-dir="$DATA" --celltrial.ingest.seed-demo-studies=false --celltrial.ingest.quiet-period-ms=500 \
  > "$DATA/app.log" 2>&1 &
PID=$!; trap '[[ "${KEEP:-}" == 1 ]] || kill $PID 2>/dev/null || true' EXIT
ready() { curl -s -o /dev/null -w '%{http_code}' "http://localhost:$PORT/actuator/health/readiness" || true; }
echo "adapter pid $PID, -Xmx$HEAP, data $DATA; waiting until ready..."
until [[ "$(ready)" == 200 ]]; do kill -0 $PID 2>/dev/null || { tail -20 "$DATA/app.log"; exit 1; }; sleep 1; done

t0=$(date +%s)
java src/test/java/org/celltrial/adapter/it/HostileInputs.java bomb "$IN/bomb.zip"       # staged and renamed
mkfifo "$IN/fifo.zip"
ln -s /etc "$IN/linked-etc"
mkdir "$IN/.passwd-link" && ln -s /etc/passwd "$IN/.passwd-link/dm.csv" && mv "$IN/.passwd-link" "$IN/passwd-link"
cp -r src/main/resources/demo-studies/nk-aml-haplo "$IN/.zz-good" && mv "$IN/.zz-good" "$IN/zz-good"

report() { find "$DATA/done" "$DATA/error" -maxdepth 1 -name "*-$1.report.txt" 2>/dev/null | head -1; }
for d in bomb.zip fifo.zip linked-etc passwd-link zz-good; do
  until r=$(report "$d"); [[ -n "$r" ]]; do
    kill -0 $PID 2>/dev/null || { echo "ADAPTER DIED"; tail -20 "$DATA/app.log"; exit 1; }
    (( $(date +%s) - t0 < 600 )) || { echo "$d: no report after 10 min"; exit 1; }
    sleep 1
  done
  area=$(basename "$(dirname "$r")")
  printf '%-12s -> %-5s after %3d s: %s | %s\n' "$d" "$area" $(( $(date +%s) - t0 )) \
    "$(grep -m1 '^Outcome:' "$r")" "$(grep -m1 -E '^Reason:|^  - ' "$r" | cut -c1-150)"
done
echo "left in inbox/.processing: $(ls -A "$IN/.processing" | wc -l), spool files: $(find "$DATA/tmp" -type f 2>/dev/null | wc -l)"
echo "adapter alive: $(kill -0 $PID 2>/dev/null && echo yes || echo NO), readiness: $(ready)"
grep -q 'root:' "$DATA"/error/*.report.txt && echo "LEAK: /etc/passwd content in a report" || echo "no /etc/passwd content in any report"
jcmd $PID GC.heap_info | grep -i 'heap' | head -1 | sed 's/^/heap before GC: /'
jcmd $PID GC.run >/dev/null; jcmd $PID GC.heap_info | grep -i 'heap' | head -1 | sed 's/^/heap after GC:  /'
echo "peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2/1024 " MiB"}'); log: $DATA/app.log"
