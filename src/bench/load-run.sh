#!/usr/bin/env bash
# Mixed load for N minutes (src/test/java/org/celltrial/adapter/bench/LoadRun.java): searches, Patient/$everything,
# $validate and deliveries at once; prints errors, refusals (429/503), p50/p99 latency per kind, the heap after, and
# checks that every delivered record was stored and is on the server.
# Usage: [MINUTES=5 | LOAD_SECONDS=20] [JVM_ARGS=-Xmx1g] [SEED_SUBJECTS=200] [DELIVERY_SUBJECTS=20] src/bench/load-run.sh
#   Starts the packaged adapter on a fresh H2 data folder (target/load-run/<time>/) and stops it at the end.
#   Against a running adapter instead: URL=http://localhost:8080 [INBOX=./data/inbox] [PID=<its pid>] src/bench/load-run.sh
#   (deliveries need INBOX, the heap figure needs PID and jcmd). Exit code 1 when there were errors or lost records.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${LOAD_SECONDS:-$(( ${MINUTES:-5} * 60 ))}
./mvnw -q -B -DskipTests package test-compile
cp=target/test-classes:target/classes:$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec java -Xmx512m -cp "$cp" -Dload.seconds="$secs" -Dload.url="${URL:-}" -Dload.inbox="${INBOX:-}" -Dload.pid="${PID:--1}" \
     -Dload.jvmArgs="${JVM_ARGS:--Xmx1g}" -Dload.seedSubjects="${SEED_SUBJECTS:-200}" \
     -Dload.deliverySubjects="${DELIVERY_SUBJECTS:-20}" org.celltrial.adapter.bench.LoadRun
