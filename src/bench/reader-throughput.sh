#!/usr/bin/env bash
# Dataset reader throughput (src/test/java/org/celltrial/adapter/ingest/read/ReaderThroughput.java): the reference
# study's LB cycled to ROWS rows as XPT, NDJSON and JSON under target/bench/readers/, each read fully twice with the
# heap capped at HEAP; prints rows/s, MB/s and the heap's peak use per format.
# Usage: [ROWS=1000000] [HEAP=64m] [ROUNDS=2] [REUSE=reuse] src/bench/reader-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -o test-compile
cp=target/test-classes:target/classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec java -Xmx"${HEAP:-64m}" -XX:+UseSerialGC -cp "$cp" org.celltrial.adapter.ingest.read.ReaderThroughput "${ROWS:-1000000}" target/bench/readers "${ROUNDS:-2}" "${REUSE:-}"
