#!/usr/bin/env bash
# Peak RSS of the packaged service under a burst: 8 curl clients x 12 POST /detect of bus.jpg on 127.0.0.1.
# Usage (from the project root, after mvn package): bash src/bench/scripts/rss-burst.sh "ENV=VALUE ..." "JVM OPTIONS" [MODEL]
# Prints idle RSS after start, peak RSS (VmHWM) and RSS after the burst.
set -euo pipefail
ENVS=${1:-X=1}
JVM=${2:-}
MODEL=${3:-../shared/models/yolov8n-int8-qdq.onnx}
PORT=18080
# shellcheck disable=SC2086
env $ENVS java $JVM -Dquarkus.http.port=$PORT -Dquarkus.http.host=127.0.0.1 -Dedge.model.path="$MODEL" \
  -jar target/quarkus-app/quarkus-run.jar > target/rss-burst-service.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf localhost:$PORT/q/health/ready >/dev/null && break; sleep 0.2; done
idle=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
CLIENTS=""
for _ in $(seq 8); do
  (for _ in $(seq 12); do
     curl -s -o /dev/null -XPOST --data-binary @../shared/data/images/bus.jpg -H 'Content-Type: image/jpeg' localhost:$PORT/detect
   done) &
  CLIENTS="$CLIENTS $!"
done
# shellcheck disable=SC2086
wait $CLIENTS
peak=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
after=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
echo "env='$ENVS' jvm='$JVM' idle=$((idle / 1024))MB peak=$((peak / 1024))MB after=$((after / 1024))MB"
