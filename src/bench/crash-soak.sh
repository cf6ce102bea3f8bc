#!/usr/bin/env bash
# Crash-and-reopen soak: CrashSafetyIT again and again with new seeds and more crashes per database. Each iteration:
# a clean run on H2, then on each database an ingest under search load crashed KILLS times (SIGKILL and
# OutOfMemoryError alternately), restarted each time, and compared with the clean run (FHIR content, server counts,
# HAPI's rows per table, message store); on H2 also an online backup taken mid-ingest, restored and completed.
#
# Usage: [ITERATIONS=5] [KILLS=6] [SUBJECTS=300] [DATABASES=h2,postgres] [JVM_ARGS="-Xmx1g"] src/bench/crash-soak.sh
# Needs PostgreSQL as for ./mvnw verify (CELLTRIAL_TEST_PG_URL/USER/PASSWORD; .ci/postgres-setup starts one) when
# DATABASES includes postgres. Logs and data of each iteration: target/crash-it/<time>/; the summary: target/crash-soak.txt.
# Time: each crash costs one application start (20-60 s on a quiet 2-core machine, minutes on a loaded one).
set -uo pipefail
cd "$(dirname "$0")/../.."
ITERATIONS=${ITERATIONS:-5}
KILLS=${KILLS:-6}
SUBJECTS=${SUBJECTS:-300}
DATABASES=${DATABASES:-h2,postgres}
JVM_ARGS=${JVM_ARGS:--Xmx1g}
summary=target/crash-soak.txt

./mvnw -q -B -DskipTests package || exit 1
mkdir -p target
: > "$summary"
say() { printf '%s\n' "$*" | tee -a "$summary"; }
say "crash soak $(date -u +%FT%TZ): $ITERATIONS iterations x $KILLS crashes on $DATABASES, $SUBJECTS subjects, JVM $JVM_ARGS, load $(cut -d' ' -f1-3 /proc/loadavg)"
passed=0; failed=0; sigkills=0; ooms=0
for i in $(seq 1 "$ITERATIONS"); do
    seed=$(( (RANDOM << 15 | RANDOM) % 1000000 ))
    log=target/crash-soak-$i.log
    t0=$SECONDS
    ./mvnw -B failsafe:integration-test failsafe:verify -Dit.test=CrashSafetyIT \
        -Dcrash.kills="$KILLS" -Dcrash.subjects="$SUBJECTS" -Dcrash.databases="$DATABASES" -Dcrash.seed="$seed" \
        -Dcrash.jvmArgs="$JVM_ARGS" > "$log" 2>&1
    rc=$?
    grep -h '^\[CrashSafetyIT\]' "$log" | sed "s/^/  [$i] /" | tee -a "$summary" >/dev/null
    k=$(grep -c 'kill [0-9]* (SIGKILL)' "$log"); o=$(grep -c 'kill [0-9]* (OutOfMemoryError)' "$log")
    sigkills=$((sigkills + k)); ooms=$((ooms + o))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1)); verdict=PASS
    else
        failed=$((failed + 1)); verdict="FAIL (see $log)"
        grep -h -A12 '<<< FAIL\|AssertionError\|Expecting' "$log" | head -40 | sed "s/^/  [$i] /" >> "$summary"
    fi
    say "iteration $i seed $seed: $verdict, $k SIGKILL + $o OutOfMemoryError, $((SECONDS - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
say "crash soak done: $passed passed, $failed failed; $sigkills SIGKILL and $ooms OutOfMemoryError crashes in all"
[ "$failed" -eq 0 ]
