#!/usr/bin/env bash
# Issue 18: start-up of the adapter side by side with a stock HAPI FHIR JPA server of the same HAPI version, both on
# H2, in one run, alternating, RUNS times each. Per start: milliseconds from the JVM's launch to the first 200 of
# GET /fhir/metadata, and resident memory (VmRSS): the adapter's once its demo ingest is done (default settings: it
# seeds the two demo studies), the stock server's at its first answer. Prints every start, then min/median/max of
# both and the ratio of the medians.
# Usage: [RUNS=5] [SKIP_BUILD=true] [JAVA=/usr/lib/jvm/.../bin/java] [OURS_OPTS="-XX:..."] [STOCK_OPTS=...]
#        [OURS_JAVA=... OURS_JAR=...: ours on another JVM or jar, e.g. bin/start's Java 25 and target/fast-start/app.jar]
#        [OURS_ARGS="--celltrial.fhir.resource-types=all": adapter arguments added to ours]
#        [FAST_START=true: ours as bin/start runs it (Java 25, the extracted jar, its AOT cache; trained first if needed)]
#        [WARM=true: the second start of each on the same data folder, i.e. schema already there]
#        src/bench/boot-compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
java_bin=${JAVA:-java}
if [[ "${SKIP_BUILD:-false}" != true ]]; then
  ./mvnw -q -B -o -DskipTests package test-compile
fi
jar=${OURS_JAR:-$(ls target/celltrial-fhir-adapter-*.jar | grep -v original | head -1)}
ours_java=${OURS_JAVA:-$java_bin}
if [[ "${FAST_START:-false}" == true ]]; then
  # bin/start prepares target/fast-start (extract, train) and prints the command it would run
  read -r -a fast_cmd <<< "$(BIN_START_DRY_RUN=true bin/start)"
  ours_java=${fast_cmd[0]}; jar=target/fast-start/app.jar
  OURS_OPTS="${fast_cmd[*]:1:${#fast_cmd[@]}-3} ${OURS_OPTS:-}"
fi
cp=target/test-classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
work=$(mktemp -d /tmp/celltrial-boot-compare-XXXX)
port=${BENCH_PORT:-8097}
log() { printf '%s\n' "$*" >&2; }

# starts "$@" in the background, prints "ms rss_kb" once GET /fhir/metadata answers (and, for ours, the demo landed)
measure() {
  local kind=$1 dir=$2; shift 2
  local start end pid rss
  start=$(date +%s%N)
  "$@" > "$dir.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://localhost:$port/fhir/metadata"; do
    kill -0 $pid 2>/dev/null || { log "$kind died, see $dir.log"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  if [[ $kind == ours ]]; then
    # the demo ingest: both studies reported in done/ (the default quick start ingests them at start)
    local until=$(( $(date +%s) + 300 ))
    until [[ $(find "$dir/data/done" -name '*report*' 2>/dev/null | wc -l) -ge 2 ]]; do
      [[ $(date +%s) -lt $until ]] || { log "the demo ingest did not finish; see $dir.log"; break; }
      sleep 0.5
    done
    sleep 2 # let the last transaction's garbage settle as a user's process would
  fi
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $rss"
}

ours_cmd() {
  local dir=$1
  # shellcheck disable=SC2086
  echo $ours_java ${OURS_OPTS:-} -jar "$jar" --server.port=$port --celltrial.data-dir="$dir/data" \
       --celltrial.ingest.mappings="$PWD/mappings" ${OURS_ARGS:-}
}
stock_cmd() {
  local dir=$1
  # shellcheck disable=SC2086
  echo $java_bin ${STOCK_OPTS:-} -cp "$cp" org.celltrial.stockhapi.StockHapiServer --server.port=$port --stock.data-dir="$dir"
}

declare -a ours_ms ours_rss stock_ms stock_rss
echo "run  ours_ms  ours_rss_MiB  stock_ms  stock_rss_MiB   (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for i in $(seq 1 "$runs"); do
  od="$work/ours-$i"; sd="$work/stock-$i"; mkdir -p "$od" "$sd"
  if [[ "${WARM:-false}" == true ]]; then
    read -r -a _ <<< "$(measure ours "$od" $(ours_cmd "$od"))"; read -r -a _ <<< "$(measure stock "$sd" $(stock_cmd "$sd"))"
  fi
  read -r oms orss <<< "$(measure ours "$od" $(ours_cmd "$od"))"
  read -r sms srss <<< "$(measure stock "$sd" $(stock_cmd "$sd"))"
  ours_ms+=("$oms"); ours_rss+=("$orss"); stock_ms+=("$sms"); stock_rss+=("$srss")
  printf '%3d  %7d  %12d  %8d  %13d\n' "$i" "$oms" $((orss / 1024)) "$sms" $((srss / 1024))
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d", a[1], (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[NR]}'; }
read -r omin omed omax <<< "$(stats "${ours_ms[@]}")"
read -r smin smed smax <<< "$(stats "${stock_ms[@]}")"
read -r ormin ormed ormax <<< "$(stats "${ours_rss[@]}")"
read -r srmin srmed srmax <<< "$(stats "${stock_rss[@]}")"
echo "boot to first GET /fhir/metadata (ms): ours min/median/max $omin/$omed/$omax; stock HAPI $smin/$smed/$smax; ratio of medians $(awk -v a=$omed -v b=$smed 'BEGIN{printf "%.2f", a/b}')"
echo "RSS (MiB): ours after the demo ingest $((ormin/1024))/$((ormed/1024))/$((ormax/1024)); stock HAPI at its first answer $((srmin/1024))/$((srmed/1024))/$((srmax/1024))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $work"
