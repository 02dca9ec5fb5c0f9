#!/usr/bin/env bash
# Contract test of the JSON API: runs schemathesis (https://schemathesis.io, PyPI `schemathesis`, v4) with every
# check against a demo server built from this tree, using the OpenAPI document the server itself serves. Fails on
# any failure: a server error, a status code or body the document does not describe, a schema-violating request
# that was accepted, and so on.
#
#   swift build --product kilpi && scripts/schemathesis.sh
#
# It starts `kilpi serve --demo` on 127.0.0.1 (a free port, a fresh SQLite file and key file in a temporary
# folder), creates an admin API token with `kilpi token create --protected` (schemathesis's stateful phase revokes
# whatever token it is shown through DELETE /tokens/{id}; a protected token can be revoked from the command line
# only), runs schemathesis and stops the server on exit. Loopback only; nothing is downloaded.
#
# Settings (environment): KILPI_BIN (default .build/debug/kilpi), MAX_EXAMPLES (per operation and phase, default
# 40), SEED (default 1: the same cases every run; set another to explore), WORKERS (default 2), MAX_TIME (seconds
# for the whole schemathesis run, default 120).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KILPI_BIN:-$ROOT/.build/debug/kilpi}
MAX_EXAMPLES=${MAX_EXAMPLES:-40}
SEED=${SEED:-1}
WORKERS=${WORKERS:-2}
MAX_TIME=${MAX_TIME:-120}

[ -x "$BIN" ] || { echo "no kilpi binary at $BIN: run swift build --product kilpi" >&2; exit 2; }
command -v st > /dev/null || { echo "schemathesis is missing: pip install schemathesis" >&2; exit 2; }
command -v python3 > /dev/null || { echo "python3 is missing" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A port nobody listens on now (the kernel picks it; the short window before serve binds it is harmless here).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export KILPI_KEY_FILE="$WORK/kilpi.key"
DATABASE="sqlite://$WORK/kilpi.sqlite"

KILPI_LOG_LEVEL=error "$BIN" serve --demo --host 127.0.0.1 --port "$PORT" --database "$DATABASE" \
    > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "$BASE/healthz"; then break; fi
    if ! kill -0 "$SERVER" 2> /dev/null; then
        echo "kilpi serve stopped:" >&2
        cat "$WORK/serve.log" >&2
        exit 1
    fi
    sleep 0.2
done
curl -sf -o /dev/null "$BASE/healthz" || { echo "kilpi serve did not answer on $BASE" >&2; exit 1; }

# The token's secret is the last line `token create` prints; it is never written to a file outside $WORK.
TOKEN=$("$BIN" token create --name schemathesis --role admin --expires-in 1 --protected --database "$DATABASE" \
    | tail -n 1)
case "$TOKEN" in kilpi_*) ;; *) echo "token create printed no token" >&2; exit 1 ;; esac

echo "==> schemathesis $(st --version 2>/dev/null | awk '{print $NF}') against $BASE (seed $SEED, up to \
$MAX_EXAMPLES examples per operation)" >&2
run_schemathesis() {
st --config-file "$ROOT/scripts/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --checks all \
    --header "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers "${1:-$WORKERS}" \
    --max-time "$MAX_TIME" \
    --request-timeout 10 \
    --suppress-health-check all \
    --generation-database none \
    --report junit --report-junit-path "$WORK/junit.xml" \
    --no-color \
    > "$WORK/st.log" 2>&1
}
status=0
run_schemathesis || status=$?
# CPython 3.11's ast.parse can fail under threads inside hypothesis while it only describes a strategy
# ("AST constructor recursion depth mismatch"): a crash of the tool, not a finding. Run once more then, with one worker (no threads to race).
if [ "$status" -ne 0 ] && grep -q "AST constructor recursion depth mismatch" "$WORK/st.log" \
    && ! grep -q "unique failure" "$WORK/st.log"; then
    cat "$WORK/st.log"
    echo "==> schemathesis crashed inside hypothesis (a CPython ast bug, not a finding): once more, one worker" >&2
    status=0
    run_schemathesis 1 || status=$?
fi
cat "$WORK/st.log"

# The figures: test cases and failures (from schemathesis's summary), and operations (from its JUnit report).
python3 - "$WORK/st.log" "$WORK/junit.xml" << 'EOF' || true
import re, sys, xml.etree.ElementTree as ET
log = open(sys.argv[1], encoding="utf-8", errors="replace").read()
summary = re.search(r"Test cases:\s*\n\s*(\d+) generated(.*)", log)
cases = int(summary.group(1)) if summary else 0
found = re.search(r"(\d+) unique failures?", summary.group(2)) if summary else None
failures = int(found.group(1)) if found else 0
try:
    root = ET.parse(sys.argv[2]).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    operations = sum(int(s.get("tests", 0)) for s in suites)
    failing = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
except Exception:
    operations, failing = 0, 0
print(f"schemathesis: {cases} cases, {failures} failures; {operations} operations, {failing} with failures or errors")
EOF
if ! kill -0 "$SERVER" 2> /dev/null; then
    echo "kilpi serve died during the run:" >&2
    cat "$WORK/serve.log" >&2
    exit 1
fi
exit "$status"
