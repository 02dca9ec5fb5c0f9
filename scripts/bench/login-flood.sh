#!/usr/bin/env bash
# Login-flood benchmark (issue 9, finding 5): does the console stay responsive while someone floods the
# sign-in form? Starts `kilpi serve` (release build) on a fresh SQLite file on 127.0.0.1, measures /healthz
# latency alone (the anchor), then again while `wrk` posts wrong sign-ins for DURATION seconds, and prints
# p50/p99 of /healthz, the sign-in rate, how many posts were answered 503 (hashing pool full) or 429
# (throttled), and the machine. Loopback only; everything it starts is stopped on exit.
#
#   swift build -c release --product kilpi && scripts/bench/login-flood.sh
#
# Settings (environment): DURATION (s, default 20), CONNECTIONS (wrk, default 32), WRK_THREADS (default 2),
# PORT (default 18080), ANCHOR (s of /healthz alone, default 8). Needs wrk (Debian: apt-get install wrk)
# and python3. Target: /healthz p99 under 50 ms during the flood. A figure, never a pass/fail.
set -euo pipefail

DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
PORT=${PORT:-18080}
ANCHOR=${ANCHOR:-8}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${KILPI_BIN:-$ROOT/.build/release/kilpi}
BASE="http://127.0.0.1:$PORT"

[ -x "$BIN" ] || { echo "no release build at $BIN: run swift build -c release --product kilpi" >&2; exit 2; }
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
command -v python3 > /dev/null || { echo "python3 is missing" >&2; exit 2; }
if curl -s -o /dev/null "$BASE/healthz"; then echo "something already listens on port $PORT; set PORT" >&2; exit 2; fi

WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

KILPI_KEY_FILE="$WORK/kilpi.key" KILPI_LOG_LEVEL=error "$BIN" serve --host 127.0.0.1 --port "$PORT" \
    --database "sqlite://$WORK/kilpi.sqlite" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$BASE/healthz" && break
    kill -0 "$SERVER" 2> /dev/null || { echo "kilpi serve stopped:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.2
done

# The sign-in form's double-submit token: the kilpi_csrf cookie and the same value in the form.
curl -s -c "$WORK/jar" "$BASE/console/login" > "$WORK/login.html"
export KILPI_CSRF_COOKIE
KILPI_CSRF_COOKIE=$(awk '$6 == "kilpi_csrf" { print $7 }' "$WORK/jar")
export KILPI_CSRF_FIELD
KILPI_CSRF_FIELD=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$WORK/login.html" | head -1)
[ -n "$KILPI_CSRF_COOKIE" ] && [ -n "$KILPI_CSRF_FIELD" ] || { echo "no CSRF token on the sign-in page" >&2; exit 1; }

cat > "$WORK/flood.lua" << 'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "kilpi_csrf=" .. os.getenv("KILPI_CSRF_COOKIE")
wrk.body = "email=nobody%40example.com&password=not-the-password-123&_csrf=" .. os.getenv("KILPI_CSRF_FIELD")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
    end
    for status, count in pairs(total) do io.write(string.format("status %d %d\n", status, count)) end
    io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
end
LUA

cat > "$WORK/probe.py" << 'PY'
import http.client, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
latencies, errors = [], 0
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
end = time.monotonic() + seconds
while time.monotonic() < end:
    start = time.perf_counter()
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            errors += 1
    except Exception:
        errors += 1
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies.append((time.perf_counter() - start) * 1000)
    time.sleep(0.005)
latencies.sort()
def pick(q):
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"{len(latencies)} {pick(0.50):.2f} {pick(0.99):.2f} {latencies[-1]:.2f} {errors}")
PY

read -r A_N A_P50 A_P99 A_MAX A_ERR <<< "$(python3 "$WORK/probe.py" "$PORT" "$ANCHOR")"

wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 30s -s "$WORK/flood.lua" "$BASE/console/login" \
    > "$WORK/wrk.out" 2>&1 &
WRK=$!
sleep 1
read -r F_N F_P50 F_P99 F_MAX F_ERR <<< "$(python3 "$WORK/probe.py" "$PORT" "$((DURATION - 2))")"
wait "$WRK"

count() { awk -v s="$1" '$1 == "status" && $2 == s { print $3 }' "$WORK/wrk.out" | head -1; }
SECONDS_RUN=$(awk '$1 == "seconds" { print $2 }' "$WORK/wrk.out")
TOTAL=$(awk '$1 == "status" { n += $3 } END { print n + 0 }' "$WORK/wrk.out")
S503=$(count 503); S503=${S503:-0}
S429=$(count 429); S429=${S429:-0}
S401=$(count 401); S401=${S401:-0}
CHECKED=$((TOTAL - S503))

echo "kilpi login flood · $(date -u +%Y-%m-%dT%H:%MZ) · $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "flood: wrk -t$WRK_THREADS -c$CONNECTIONS for ${SECONDS_RUN:-$DURATION} s: $TOTAL posts, $CHECKED answered after a scrypt check ($(awk -v c="$CHECKED" -v s="${SECONDS_RUN:-$DURATION}" 'BEGIN { printf "%.1f", c / s }')/s: $S401 × 401, $S429 × 429), $S503 × 503 (hashing pool full)"
echo "/healthz alone (anchor):  p50 $A_P50 ms  p99 $A_P99 ms  max $A_MAX ms  ($A_N requests, $A_ERR errors)"
echo "/healthz during flood:    p50 $F_P50 ms  p99 $F_P99 ms  max $F_MAX ms  ($F_N requests, $F_ERR errors)"
echo "target: p99 under 50 ms during the flood: $(awk -v p="$F_P99" 'BEGIN { print (p < 50) ? "met" : "NOT met" }')"
