#!/usr/bin/env bash
# Builds the CellTrial FHIR profiles (FSH -> FHIR JSON) into fsh-generated/.
#
#   ./build.sh           1. npm ci  2. build the FHIR core package  3. SUSHI  4. write fsh-generated/package.json
#   ./build.sh --check   the same into a temporary folder; exit 1 if the committed fsh-generated/ differs (CI)
#
# Needs Node >= 20, the npm registry (or npm's cache) and the HAPI jar
# ca.uhn.hapi.fhir:hapi-fhir-validation-resources-r4 in the local Maven repository (it is fetched with
# ../mvnw when missing). Never needs packages.fhir.org.
#
# SUSHI only reads FHIR packages from $HOME/.fhir/packages. To keep the build independent of whatever is
# cached there (SUSHI would also pick up hl7.fhir.uv.extensions.r4 etc. if present, and the output could
# differ between machines), SUSHI runs with HOME set to a private folder ($CELLTRIAL_SUSHI_HOME, default
# ./.sushi-home, git-ignored) whose .fhir/packages holds only the core package we build.
set -euo pipefail

cd "$(dirname "$0")"
HERE="$PWD"

CHECK=false
case "${1:-}" in
  "") ;;
  --check) CHECK=true ;;
  -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

log() { printf '[build.sh] %s\n' "$*" >&2; }

# --- 1. npm dependencies (exact versions from package-lock.json) ---------------------------------
log "npm ci"
npm ci --no-audit --no-fund --loglevel=error >&2

# --- 2. FHIR core package hl7.fhir.r4.core#4.0.1, from HAPI's validation resources --------------
HAPI_VERSION="$(sed -n 's:.*<hapi.version>\(.*\)</hapi.version>.*:\1:p' ../pom.xml | head -n1)"
[ -n "$HAPI_VERSION" ] || { log "ERROR: cannot read <hapi.version> from ../pom.xml"; exit 1; }
M2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
JAR="$M2/ca/uhn/hapi/fhir/hapi-fhir-validation-resources-r4/$HAPI_VERSION/hapi-fhir-validation-resources-r4-$HAPI_VERSION.jar"
if [ ! -f "$JAR" ]; then
  log "fetching hapi-fhir-validation-resources-r4:$HAPI_VERSION with Maven"
  (cd .. && ./mvnw -q dependency:get -Dartifact="ca.uhn.hapi.fhir:hapi-fhir-validation-resources-r4:$HAPI_VERSION" -Dtransitive=false)
fi
SUSHI_HOME="${CELLTRIAL_SUSHI_HOME:-$HERE/.sushi-home}"
node tools/build-core-package.mjs --jar "$JAR" --cache "$SUSHI_HOME/.fhir/packages"

# --- 3. SUSHI ------------------------------------------------------------------------------------
if $CHECK; then
  OUT="$(mktemp -d)"
  trap 'rm -rf "$OUT"' EXIT
else
  OUT="$HERE"
  rm -rf fsh-generated
fi
SUSHI_LOG="$(mktemp)"
trap 'rm -f "$SUSHI_LOG"; [ "$OUT" = "$HERE" ] || rm -rf "$OUT"' EXIT
log "SUSHI $(node node_modules/fsh-sushi/dist/app.js --version 2>/dev/null | tail -n1)"
set +e
HOME="$SUSHI_HOME" node node_modules/fsh-sushi/dist/app.js build . --snapshot --out "$OUT" --log-level warn >"$SUSHI_LOG" 2>&1
SUSHI_RC=$?
set -e
cat "$SUSHI_LOG" >&2
if [ "$SUSHI_RC" -ne 0 ] || grep -q '^error' "$SUSHI_LOG"; then
  log "ERROR: SUSHI reported errors (exit code $SUSHI_RC)"
  exit 1
fi
# The only warnings expected: the automatic packages SUSHI cannot download (see sushi-config.yaml).
UNEXPECTED="$(grep '^warn' "$SUSHI_LOG" | grep -v 'Failed to load automatically-provided' || true)"
if [ -n "$UNEXPECTED" ]; then
  log "WARNING: unexpected SUSHI warnings (see above)"
  $CHECK && exit 1
fi

# --- 4. FHIR package manifest --------------------------------------------------------------------
node tools/write-package-manifest.mjs "$OUT/fsh-generated" >&2

if $CHECK; then
  if diff -r "$OUT/fsh-generated" fsh-generated >/dev/null; then
    log "OK: fsh-generated/ is up to date"
  else
    log "ERROR: fsh-generated/ is out of date; run ./build.sh and commit the result. Differences:"
    diff -r "$OUT/fsh-generated" fsh-generated | head -n 60 >&2 || true
    exit 1
  fi
else
  log "OK: fsh-generated/ rebuilt ($(ls fsh-generated/resources | wc -l) resources)"
fi
