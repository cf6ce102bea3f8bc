#!/usr/bin/env bash
# Longer crash-safety run: CrashSafetyIT (SIGKILL at random points of an ingest on PostgreSQL, restart, compare
# with a clean run) with more kills than the 5 of the regular build.
# Usage: [KILLS=50] [SUBJECTS=350] [SEED=<n>] [JVM_ARGS="-Xmx1536m"] src/bench/crash-test.sh
# Needs PostgreSQL as for ./mvnw verify (CELLTRIAL_TEST_PG_URL/USER/PASSWORD). Logs and data: target/crash-it/<time>/.
# Each kill costs one application start (20-60 s on a 2-core machine), so 50 kills take about half an hour or more.
set -euo pipefail
cd "$(dirname "$0")/../.."
args=(-Dcrash.kills="${KILLS:-50}" -Dcrash.subjects="${SUBJECTS:-350}" -Dcrash.jvmArgs="${JVM_ARGS:--Xmx1536m}")
[[ -n "${SEED:-}" ]] && args+=(-Dcrash.seed="$SEED")
# verify packages the jar first; only CrashSafetyIT runs (no unit tests, no other ITs)
exec ./mvnw -B verify -Dit.test=CrashSafetyIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false "${args[@]}"
