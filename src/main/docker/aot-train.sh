#!/usr/bin/env bash
# Records the Leyden AOT cache APP_DIR/app.aot (JDK 25+): starts the packaged service (aot-jar layout) from its own
# folder with -XX:AOTCacheOutput, waits until it is ready (model loaded and warmed up), drives it the way a box is
# driven (probes, POST /count, /detect and /annotate, metrics), then stops it; the JVM writes the cache on exit.
# Everything loaded, linked and profiled here is ready at the next start.
#
#   JAVA=/path/to/java bash aot-train.sh APP_DIR MODEL.onnx IMAGE.jpg
#
# Used by the Maven profile -Paot and by src/main/docker/Dockerfile.jvm (there with the image's own JDK: a cache only
# works on the JDK build and with the JVM options that made it, so AOT_JVM_FLAGS must be the production ones).
# The service is started as "-jar quarkus-run.jar" from APP_DIR, so the cache holds no absolute path and the folder
# can move (cp -a: the cache checks the jars' sizes and times). Only bash built-ins, cat and stat are needed.
set -euo pipefail
APP=$1
MODEL=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
IMAGE=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
JAVA=${JAVA:-java}
FLAGS=${AOT_JVM_FLAGS:---enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.library.path=lib/native -Donnxruntime.native.path=lib/native}
PORT=${AOT_TRAINING_PORT:-18391}
LOG=${AOT_TRAINING_LOG:-/tmp/aot-training.log}
ROUNDS=${AOT_TRAINING_ROUNDS:-20}

cd "$APP"
rm -f app.aot
# shellcheck disable=SC2086
"$JAVA" $FLAGS -XX:AOTCacheOutput=app.aot -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dedge.model.path="$MODEL" -jar quarkus-run.jar > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT

request() { # METHOD PATH [FILE]: prints the HTTP status (HTTP/1.0, the server closes after answering)
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || { echo 000; return; }
  if [ -n "${3:-}" ]; then
    printf '%s %s HTTP/1.0\r\nContent-Type: image/jpeg\r\nContent-Length: %s\r\n\r\n' "$1" "$2" "$(stat -c %s "$3")" >&3
    cat "$3" >&3
  else
    printf '%s %s HTTP/1.0\r\n\r\n' "$1" "$2" >&3
  fi
  local status=""
  read -r -t 30 _ status _ <&3 || true
  cat <&3 > /dev/null
  exec 3<&- 3>&-
  echo "${status:-000}"
}

expect() { # STATUS METHOD PATH [FILE]
  local got
  got=$(request "$2" "$3" "${4:-}")
  [ "$got" = "$1" ] || { echo "aot-train: $2 $3 answered $got, expected $1 (log: $LOG)" >&2; exit 1; }
}

for _ in $(seq 600); do
  [ "$(request GET /q/health/ready)" = 200 ] && break
  kill -0 $PID 2>/dev/null || { echo "aot-train: the service did not start (log: $LOG)" >&2; exit 1; }
  sleep 0.2
done
expect 200 GET /q/health/ready
for _ in $(seq "$ROUNDS"); do
  for probe in /q/health/started /q/health/live /q/health/ready /v2/health/ready; do expect 200 GET $probe; done
  expect 200 POST /count "$IMAGE"
  expect 200 POST /detect "$IMAGE"
done
expect 200 POST /annotate "$IMAGE"
expect 404 GET "/count?camera=none"
expect 200 GET /q/metrics

kill -TERM $PID
wait $PID || true
trap - EXIT
[ -s app.aot ] || { echo "aot-train: no app.aot was written (log: $LOG)" >&2; exit 1; }
echo "aot-train: $(stat -c %s app.aot) bytes in $PWD/app.aot"
