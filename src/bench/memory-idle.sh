#!/usr/bin/env bash
# Issue 18: resident memory of the adapter as bin/start runs it (Java 25, extracted jar, AOT cache), on a fresh data
# folder: VmRSS once the two demo studies are in done/, and again after IDLE seconds without work; with NMT=true also
# the JVM's own account (native memory tracking summary: heap, class data, code, GC, threads, malloc) at the end, and
# with HISTOGRAM=true the live heap (a class histogram, which collects first). Variants alternate, RUNS rounds.
# Usage: [RUNS=2] [IDLE=60] [NMT=true] [HISTOGRAM=true]
#        src/bench/memory-idle.sh 'label|ENV=val ...|JAVA_OPTS' ['label|ENV|JAVA_OPTS' ...]
#   e.g. src/bench/memory-idle.sh 'shipped||' 'arenas 2|MALLOC_ARENA_MAX=2|'
# A variant naming another collector (e.g. -XX:+UseSerialGC) replaces bin/start's G1; the cache, trained with G1,
# still loads (Java 25 copies its heap objects; -Xlog:aot shows it). CACHE=false runs every variant without the cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-2}
idle=${IDLE:-60}
port=${BENCH_PORT:-8098}
[[ $# -ge 1 ]] || set -- 'shipped||'
read -r -a base <<< "$(BIN_START_DRY_RUN=true bin/start)"   # java, bin/start's options, -XX:AOTCache=…, -jar, app.jar
java_bin=${base[0]}
opts=("${base[@]:1:${#base[@]}-3}")
if [[ "${CACHE:-true}" != true ]]; then
  kept=(); for o in "${opts[@]}"; do [[ $o == -XX:AOTCache=* ]] || kept+=("$o"); done; opts=("${kept[@]}")
fi
work=$(mktemp -d /tmp/celltrial-memory-XXXX)
log() { printf '%s\n' "$*" >&2; }
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

one() {
  local label=$1 envs=$2 extra=$3 dir
  dir=$work/$(echo "$label" | tr -c 'a-zA-Z0-9' _)-$RANDOM
  mkdir -p "$dir"
  local jvm=() o
  for o in "${opts[@]}"; do # another collector named in the variant replaces bin/start's G1
    [[ $o == -XX:+UseG1GC && $extra == *-XX:+Use*GC* ]] || jvm+=("$o")
  done
  [[ "${NMT:-false}" == true ]] && jvm+=(-XX:NativeMemoryTracking=summary)
  # shellcheck disable=SC2206
  jvm+=($extra)
  # shellcheck disable=SC2086
  env $envs "$java_bin" "${jvm[@]}" -jar target/fast-start/app.jar --server.port="$port" \
      --celltrial.data-dir="$dir/data" > "$dir/adapter.log" 2>&1 &
  local pid=$! until=$(( $(date +%s) + 600 ))
  until [[ $(find "$dir/data/done" -name '*report*' 2>/dev/null | wc -l) -ge 2 ]]; do
    kill -0 $pid 2>/dev/null || { log "$label: the adapter died, see $dir/adapter.log"; return 1; }
    [[ $(date +%s) -lt $until ]] || { log "$label: the demo ingest did not finish, see $dir/adapter.log"; kill $pid; return 1; }
    sleep 0.5
  done
  sleep 2
  local after idled
  after=$(rss $pid)
  sleep "$idle"
  idled=$(rss $pid)
  printf '%-28s RSS after the demo ingest %5d MiB, after %ss idle %5d MiB\n' "$label" "$after" "$idle" "$idled"
  if [[ "${NMT:-false}" == true ]]; then
    "$(dirname "$java_bin")/jcmd" $pid VM.native_memory summary scale=MB \
      | awk '/^Total|^-  *[A-Z]/ {gsub(/^ *-? */,""); print "    " $0}' | sed 's/(reserved=[0-9]*MB, /(/'
  fi
  if [[ "${HISTOGRAM:-false}" == true ]]; then
    "$(dirname "$java_bin")/jcmd" $pid GC.class_histogram | awk '/^Total/ {printf "    live heap %d MB in %d objects\n", $3/1048576, $2}'
  fi
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir/data"
}

for ((r = 1; r <= runs; r++)); do
  for v in "$@"; do
    IFS='|' read -r label envs extra <<< "$v"
    one "$label" "$envs" "$extra"
  done
done
