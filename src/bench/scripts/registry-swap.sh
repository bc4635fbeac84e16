#!/usr/bin/env bash
# How long a box takes from "check now" to serving a new version: POST /models/pull against a real docker-registry
# on 127.0.0.1, alternating new versions of the dynamic and the QDQ model (each a new digest, so every pull downloads,
# verifies the signature, loads, runs the bus canary and swaps), and the peak RSS while two sessions overlap.
# Usage (from the project root, after mvn package): bash src/bench/scripts/registry-swap.sh [ROUNDS]
set -euo pipefail
ROUNDS=${1:-6}
PORT=18081
REG=18082
WORK=$(mktemp -d target/registry-swap-XXXX)
JAR=target/quarkus-app/quarkus-run.jar
cat > "$WORK/registry.yml" <<YML
version: 0.1
storage: {filesystem: {rootdirectory: $PWD/$WORK/registry}}
http: {addr: 127.0.0.1:$REG}
log: {level: error}
YML
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REG_PID=$!
trap 'kill $REG_PID ${SVC_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "127.0.0.1:$REG/v2/" >/dev/null && break; sleep 0.1; done
java -jar $JAR keygen "$WORK/signing.pem" "$WORK/signing.pub.pem" > /dev/null 2>&1
publish() { # MODEL VERSION
  java -jar $JAR publish "$1" --registry "http://127.0.0.1:$REG" --repository bench/yolov8n --name yolov8n \
    --key "$WORK/signing.pem" --version "$2" 2>&1 | grep -q '^published'
}
publish ../shared/models/yolov8n-int8-dynamic.onnx v0
EDGE_REGISTRY_URL=http://127.0.0.1:$REG EDGE_REGISTRY_REPOSITORY=bench/yolov8n EDGE_REGISTRY_POLL_INTERVAL=1h \
EDGE_REGISTRY_PUBLIC_KEY=$WORK/signing.pub.pem EDGE_MODEL_STORE=$WORK/store EDGE_ADMIN_KEY=bench \
EDGE_REGISTRY_CANARY_BUS_IMAGE=../shared/data/images/bus.jpg EDGE_REGISTRY_CANARY_BUS_EXPECT='person>=3,bus>=1' \
MALLOC_ARENA_MAX=2 java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dquarkus.http.port=$PORT \
  -Dquarkus.http.host=127.0.0.1 -jar $JAR > "$WORK/service.log" 2>&1 &
SVC_PID=$!
for _ in $(seq 150); do curl -sf "127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.2; done
idle=$(awk '/VmRSS/ {print $2}' /proc/$SVC_PID/status)
for i in $(seq "$ROUNDS"); do
  if [ $((i % 2)) = 1 ]; then model=../shared/models/yolov8n-int8-qdq.onnx; else model=../shared/models/yolov8n-int8-dynamic.onnx; fi
  publish "$model" "v$i"
  out=$(curl -s -w ' %{time_total}' -XPOST -H 'Authorization: Bearer bench' "127.0.0.1:$PORT/models/pull")
  echo "round $i $(basename "$model"): outcome $(echo "$out" | sed 's/.*"outcome":"\([^"]*\)".*/\1/') in ${out##* } s"
done
peak=$(awk '/VmHWM/ {print $2}' /proc/$SVC_PID/status)
after=$(awk '/VmRSS/ {print $2}' /proc/$SVC_PID/status)
echo "rss idle=$((idle / 1024))MB peak=$((peak / 1024))MB after=$((after / 1024))MB"
grep -E 'Downloaded and verified|load [0-9]+ ms' "$WORK/service.log" | sed 's/.*\(Downloaded.*\)/\1/; s/.*\(load [0-9]* ms, warm-up [0-9]* ms\).*/\1/' | tail -4
rm -rf "$WORK"
