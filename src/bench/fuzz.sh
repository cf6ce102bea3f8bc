#!/usr/bin/env bash
# Fuzzes the CSV reader, the zip reader of a delivery and the mapping engine's date, study-day, number and
# missing-value parsing with Jazzer (the @FuzzTest methods of *FuzzTest, jazzer-junit), one target after another, each
# for RUNS executions or SECONDS seconds, whichever comes first. Prints per target the executions done, the seconds,
# the coverage reached and any finding. A finding (an exception other than the documented refusals, a broken
# invariant) is written by Jazzer to src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where the
# build's regression run (./mvnw test) replays it from then on: fix the bug, keep the file. The corpus a run grows
# stays in .cifuzz-corpus/ (ignored by git) and makes the next run start where this one stopped.
# Usage: [RUNS=1000000] [SECONDS=3600] [HEAP=512m] src/bench/fuzz.sh [Class#method ...]   (default: all targets)
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1000000}; SECONDS_MAX=${SECONDS:-3600}; HEAP=${HEAP:-512m}
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  TARGETS=(
    CsvDatasetReaderFuzzTest#anyBytesAreReadOrRefusedWithTheFileName
    DeliveryReaderFuzzTest#anyBytesAreReadOrRefusedAndNothingIsLeftInTheSpool
    DeliveryReaderFuzzTest#fuzzedEntryNamesNeverLeaveTheSpool
    SdtmDatesFuzzTest#anyTextIsAValidFhirDateOrRefusedNamingTheColumn
    SdtmDatesFuzzTest#anyStudyDayIsADateOrRefused
    NumberParsingFuzzTest#anyTextIsABoundedNumberOrRefusedNamingTheColumn
    NumberParsingFuzzTest#missingValuesAreOnlyTheSasAndRSpellings
  )
fi
./mvnw -q -B -o test-compile || exit 1
mkdir -p target/fuzz
status=0
printf '%-72s %12s %8s %6s  %s\n' target executions seconds cov finding
for t in "${TARGETS[@]}"; do
  log=target/fuzz/${t//#/.}.log
  # jazzer.internal.arg.N: libFuzzer's command line (arg 0 is its program name); later flags win over the annotation's
  JAZZER_FUZZ=1 ./mvnw -B -o surefire:test -Dtest="$t" -DargLine="-Xmx$HEAP" -Djazzer.hooks=true \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs="$RUNS" \
    -Djazzer.internal.arg.2=-max_total_time="$SECONDS_MAX" > "$log" 2>&1
  rc=$?
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  runs=$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<<"$done_line"); secs=$(sed -E 's/.* in ([0-9]+) second.*/\1/' <<<"$done_line")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | cut -d' ' -f2)
  finding=$(grep -m1 -E '^== Java Exception:|FuzzTestFinding|Java Assertion Error' "$log" | cut -c1-160)
  if [[ -z "$done_line" ]]; then runs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#'); secs='?'; fi
  if [[ $rc -ne 0 || -n "$finding" ]]; then
    status=1
    crash=$(grep -oE 'src/test/resources/[^ ]*crash-[0-9a-f]+' "$log" | head -1)
    finding="${finding:-build failed (rc $rc), see $log} ${crash:+-> $crash}"
  fi
  printf '%-72s %12s %8s %6s  %s\n' "$t" "${runs:-?}" "${secs:-?}" "${cov:-?}" "${finding:-none}"
done
echo "logs: target/fuzz/"
exit $status
