#!/usr/bin/env bash
# Ingestion throughput, end to end, against the raw write rate of the same HAPI server, in one run
# (src/test/java/org/celltrial/adapter/bench/IngestBenchmark.java):
#   1. generates SUBJECTS synthetic subjects (DM/PR/EX/AE/CE, ~30 records each), written as FORMAT: csv (default),
#      xpt (SAS XPORT v5), json (Dataset-JSON v1.1) or ndjson, so the ingest measured includes reading that format;
#   2. starts the packaged adapter on a fresh database, ingests a warm-up study (WARMUP=1000 subjects, not measured),
#      then times the delivery of the study from the inbox drop to done/;
#   3. maps the same study in process and POSTs the same resources, one transaction bundle per subject, to a second
#      fresh adapter with REST writes on, with THREADS client threads; prints both rates and the ratio.
# Usage: [SUBJECTS=1000] [WARMUP=1000] [DB=postgres|h2] [FORMAT=csv|xpt|json|ndjson] [THREADS=4] [JVM_ARGS=-Xmx2g]
#        [JFR=true] [PHASES=ingest,raw]
#        [FAST_START=true: the adapter as bin/start runs it: Java 25, the extracted jar, its AOT cache (trained first if
#         needed); the JVM_ARGS are added to bin/start's options]
#        [APP_ARGS="--celltrial.fhir.storage.x=y ..."] src/bench/ingest-benchmark.sh
# DB=postgres installs/starts PostgreSQL 15 from apt as .ci/run does (needs root); results under target/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBJECTS=${SUBJECTS:-1000}
DB=${DB:-postgres}
if [[ "$DB" == postgres ]]; then
  .ci/postgres-setup
  export CELLTRIAL_TEST_PG_URL=${CELLTRIAL_TEST_PG_URL:-jdbc:postgresql://localhost:5432/celltrial_test}
  export CELLTRIAL_TEST_PG_USER=${CELLTRIAL_TEST_PG_USER:-celltrial}
  export CELLTRIAL_TEST_PG_PASSWORD=${CELLTRIAL_TEST_PG_PASSWORD:-celltrial}
fi
./mvnw -q -B -DskipTests package test-compile
cp=target/test-classes:target/classes:$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java_bin=java; bench_jar=""; jvm_args=${JVM_ARGS:--Xmx2g}
if [[ "${FAST_START:-false}" == true ]]; then
  # the driver runs on bin/start's Java 25, so the adapter processes it starts do too
  read -r -a fast_cmd <<< "$(BIN_START_DRY_RUN=true bin/start)"
  java_bin=${fast_cmd[0]}; bench_jar=target/fast-start/app.jar
  jvm_args="${fast_cmd[*]:1:${#fast_cmd[@]}-3} $jvm_args"
fi
exec "$java_bin" -Xmx3g -cp "$cp" -Dbench.jar="$bench_jar" -Dbench.threads="${THREADS:-4}" -Dbench.jvmArgs="$jvm_args" \
     -Dbench.jfr="${JFR:-false}" -Dbench.warmupSubjects="${WARMUP:-1000}" \
     -Dbench.phases="${PHASES:-ingest,raw}" -Dbench.format="${FORMAT:-csv}" -Dbench.appArgs="${APP_ARGS:-}" org.celltrial.adapter.bench.IngestBenchmark "$SUBJECTS" "$DB"
