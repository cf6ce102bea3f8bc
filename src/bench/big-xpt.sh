#!/usr/bin/env bash
# Issue 15, "big studies, bounded memory": generates a synthetic study of ROWS records (~30 per subject) as SAS XPORT,
# starts the packaged adapter with HEAP (-Xmx1g) on a fresh database, ingests it (streamed: the delivery is above
# celltrial.ingest.stream-above-bytes) and prints rows/s, the peak heap in use (from the GC log) and the peak RSS
# (src/test/java/org/celltrial/adapter/bench/BigXpt.java). The delivery must end in done/ with every record stored.
# Usage: [ROWS=1000000] [DB=postgres|h2] [HEAP=-Xmx1g] [APP_ARGS="--celltrial.x=y"] [HISTOGRAM=true] [SKIP_BUILD=true]
#        [CHAR_LENGTH=42: every character variable declared at least that long, as SAS's $200 habit; ~500 MB at 1 M rows]
#        src/bench/big-xpt.sh     (results under target/bench/big-xpt-*)
# DB=postgres uses the server of CELLTRIAL_TEST_PG_URL/USER/PASSWORD (defaults as the tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CELLTRIAL_TEST_PG_URL=${CELLTRIAL_TEST_PG_URL:-jdbc:postgresql://localhost:5432/celltrial_test}
export CELLTRIAL_TEST_PG_USER=${CELLTRIAL_TEST_PG_USER:-celltrial}
export CELLTRIAL_TEST_PG_PASSWORD=${CELLTRIAL_TEST_PG_PASSWORD:-celltrial}
if [[ "${SKIP_BUILD:-false}" != true ]]; then
  ./mvnw -q -B -o -DskipTests package test-compile
fi
cp=target/test-classes:target/classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
# the generator holds the study in memory while it writes it: this JVM, not the adapter's, gets the bigger heap
exec java -Xmx4g -cp "$cp" org.celltrial.adapter.bench.BigXpt "${ROWS:-1000000}" "${DB:-postgres}" "${HEAP:--Xmx1g}"
