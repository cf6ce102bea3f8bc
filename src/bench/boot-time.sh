#!/usr/bin/env bash
# Measures boot-to-first-request: from JVM launch until GET /fhir/metadata answers 200.
# Usage: src/bench/boot-time.sh [runs] [extra java args...]   (build first: ./mvnw -DskipTests package)
# Each run uses a fresh data folder for the first (cold: schema creation) start, then restarts on it (warm).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}; shift || true
jar=$(ls target/celltrial-fhir-adapter-*.jar | grep -v original | head -1)
port=${BENCH_PORT:-8097}
measure() {
  local dir=$1; shift
  local start end pid
  start=$(date +%s%N)
  java "$@" -jar "$jar" --server.port=$port --celltrial.data-dir="$dir" --celltrial.ingest.seed-demo-studies=false \
       --celltrial.ingest.mappings="$PWD/mappings" > "$dir.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://localhost:$port/fhir/metadata"; do
    kill -0 $pid 2>/dev/null || { echo "app died, see $dir.log" >&2; exit 1; }
    sleep 0.1
  done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
echo "run cold_ms warm_ms"
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/celltrial-boot-XXXX)
  cold=$(measure "$dir/data" "$@")
  warm=$(measure "$dir/data" "$@")
  echo "$i $cold $warm"
  rm -rf "$dir"
done
