#!/usr/bin/env bash
# The whole interop walk-through of docs/interop/README.md in one bounded run:
# broker -> learner -> Python (confluent-kafka) and kcat producers -> Python and kcat readers.
#
#   JAR=target/mtlstream.jar docs/interop/walkthrough.sh
#
# Environment: JAR (default target/mtlstream.jar), PYTHON (default: the first of python3,
# /usr/bin/python3 that can import confluent_kafka), PORT (19092), WORK (/tmp/mtl-interop; wiped).
# Needs: Java 17, kcat, python3-confluent-kafka. Stops what it started on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-target/mtlstream.jar}
PORT=${PORT:-19092}
WORK=${WORK:-/tmp/mtl-interop}
B=127.0.0.1:$PORT
if [ -z "${PYTHON:-}" ]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import confluent_kafka' 2>/dev/null; then PYTHON=$p; break; fi
  done
fi
: "${PYTHON:?no python3 with confluent_kafka (apt-get install python3-confluent-kafka)}"
command -v kcat >/dev/null || { echo "kcat not found (apt-get install kcat)" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK"
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # learner first, then the broker
    kill -TERM "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 1; done
  done
}
trap cleanup EXIT

wait_for() {  # wait_for FILE PATTERN SECONDS
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

echo "== 1. broker"
java -jar "$JAR" broker --port "$PORT" --data-dir "$WORK/broker" >"$WORK/broker.out" 2>"$WORK/broker.err" &
pids+=($!)
wait_for "$WORK/broker.out" bootstrap.servers 90
cat "$WORK/broker.out"

echo "== 2. learner"
java -jar "$JAR" learn --config "$HERE/learner.properties" \
  --set bootstrap.servers="$B" --set state.dir="$WORK/learner-state" \
  >"$WORK/learn.out" 2>"$WORK/learn.err" &
pids+=($!)
wait_for "$WORK/learn.out" "learner started" 120
cat "$WORK/learn.out"

echo "== 3. Python: 6 bad records, then 960 events (30 steps of 32)"
"$PYTHON" "$HERE/produce_events.py" --bootstrap-servers "$B" --valid 960 --invalid

echo "== 4. Python: reports, snapshots (verified), dead letters"
"$PYTHON" "$HERE/read_outputs.py" --bootstrap-servers "$B" --wait-step 30 --wait-dlq 6 --timeout 180

echo "== 5. kcat: 32 valid click events, 1 bad (with a header), 1 null value; Python: 288 more"
for i in $(seq 1 32); do
  printf 'kcat-%d|{"id":"kcat-%d","features":[0.%d,-0.2,0.3,0.4],"label":%s}\n' \
    "$i" "$i" "$i" "$([ $((i % 2)) = 0 ] && echo true || echo 0)"
done | kcat -P -b "$B" -t mtl.events.click -K '|'
echo 'kcat-bad-1|{"id":"kcat-bad-1","features":[1,2,3,4],"label":7}' |
  kcat -P -b "$B" -t mtl.events.click -K '|' -H trace-id=abc123
printf 'kcat-null|\n' | kcat -P -b "$B" -t mtl.events.kind -K '|' -Z
"$PYTHON" "$HERE/produce_events.py" --bootstrap-servers "$B" --valid 288 --seed 1
"$PYTHON" "$HERE/read_outputs.py" --bootstrap-servers "$B" --wait-step 40 --wait-dlq 8 \
  --timeout 180 --save-snapshot "$WORK/default.snap" | tail -1

echo "== 6. kcat readers"
kcat -C -b "$B" -t mtl.metrics -X isolation.level=read_committed -o beginning -e -q | tail -1
kcat -C -b "$B" -t mtl.dlq -X isolation.level=read_committed -o beginning -e -q \
  -f 'offset=%o key=%k headers=[%h] value=%s\n' | tail -2
kcat -C -b "$B" -t mtl.snapshots -X isolation.level=read_committed -o beginning -e -q -f '%o %k %S\n'
last=$(kcat -C -b "$B" -t mtl.snapshots -X isolation.level=read_committed -o beginning -e -q \
  -f '%o\n' | tail -1)
kcat -C -b "$B" -t mtl.snapshots -X isolation.level=read_committed -o "$last" -c 1 -e -q \
  -f '%s' >"$WORK/kcat.snap"
echo "python copy and kcat copy identical: $(cmp -s "$WORK/default.snap" "$WORK/kcat.snap" && echo yes || echo NO)"
head -c -32 "$WORK/kcat.snap" | sha256sum
tail -c 32 "$WORK/kcat.snap" | xxd -p -c 64
java -jar "$JAR" snapshot inspect --file "$WORK/kcat.snap" | grep -E '"(step|sizeBytes|sha256|verified)"'

echo "== 7. stop learner and broker"
