#!/usr/bin/env bash
# Start time: from process launch to GET /q/health/ready answering UP (model loaded and warmed up), for the plain
# fast-jar (JDK 17 and 25) and the -Paot build (JDK 25, Leyden AOT cache, natives unpacked), against a fresh JVM that
# only loads the model into ONNX Runtime and runs one inference (edge.bench.ModelColdStart; baseline-25u with ONNX
# Runtime's libraries from the unpacked folder, as the -Paot service loads them). Variants are interleaved
# in rotated order every round; the table gives medians. Also prints the resident memory once ready and each app's size.
# Usage (from the project root): bash src/bench/scripts/start-time.sh [ROUNDS] [MODEL]     (default 9, the dynamic model)
# SKIP_BUILD=1 reuses target/start-time/{plain,aot}. Needs JDK 17 (java) and JDK 25 (JDK25=...). Log: target/start-time/.
set -euo pipefail
ROUNDS=${1:-9}
MODEL=$(realpath "${2:-../shared/models/yolov8n-int8-dynamic.onnx}")
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
W=target/start-time
TMP=$PWD/$W/tmp     # ONNX Runtime and OpenCV unpack their libraries here when they come from the jars
LOGS=$PWD/$W
PORT=18290
mkdir -p "$W"
exec > >(tee "$W/run.log") 2>&1   # the whole output, table included, also in target/start-time/run.log

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # The AOT build has its own output folder (target/quarkus-app-aot); the default build stays in target/quarkus-app.
  JAVA_HOME=$JDK25 mvn -B -q verify -Paot > "$W/build-aot.log" 2>&1
  rm -rf "$W/aot" && cp -a target/quarkus-app-aot "$W/aot"
  JAVA_HOME=$JDK17 mvn -B -q package -DskipTests > "$W/build-plain.log" 2>&1
  rm -rf "$W/plain" && cp -a target/quarkus-app "$W/plain"
fi
ORT_JAR=$(ls "$W"/plain/lib/main/com.microsoft.onnxruntime.onnxruntime-*.jar)
mkdir -p "$W/classes" "$TMP"
"$JDK17/bin/javac" -d "$W/classes" -cp "$ORT_JAR" src/bench/java/edge/bench/ModelColdStart.java

MEM="-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"   # README's memory settings (with MALLOC_ARENA_MAX=2)
AOT_FLAGS="--enable-native-access=ALL-UNNAMED $MEM -Djava.library.path=lib/native -Donnxruntime.native.path=lib/native"
declare -A CMD DIR
DIR[baseline-17]=.;   CMD[baseline-17]="$JDK17/bin/java -Djava.io.tmpdir=$TMP -cp $W/classes:$ORT_JAR edge.bench.ModelColdStart $MODEL"
DIR[baseline-25]=.;   CMD[baseline-25]="$JDK25/bin/java --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir=$TMP -cp $W/classes:$ORT_JAR edge.bench.ModelColdStart $MODEL"
DIR[baseline-25u]=.;  CMD[baseline-25u]="$JDK25/bin/java --enable-native-access=ALL-UNNAMED -Donnxruntime.native.path=$W/aot/lib/native -cp $W/classes:$ORT_JAR edge.bench.ModelColdStart $MODEL"
DIR[plain-17]=$W/plain; CMD[plain-17]="$JDK17/bin/java $MEM"
DIR[plain-25]=$W/plain; CMD[plain-25]="$JDK25/bin/java --enable-native-access=ALL-UNNAMED $MEM"
DIR[aot-25]=$W/aot;     CMD[aot-25]="$JDK25/bin/java $AOT_FLAGS -XX:AOTCache=app.aot"
VARIANTS=(baseline-17 baseline-25 baseline-25u plain-17 plain-25 aot-25)

ready() { # one HTTP/1.0 request with bash's own sockets (no process per poll), true when it answers 200
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3
  local status; read -r -t 2 status <&3 || status=""; exec 3<&- 3>&-
  [[ $status == *" 200"* ]]
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

run() { # variant -> "ms rss_mb"
  local v=$1 start end pid rss
  if [[ $v == baseline-* ]]; then
    start=$(now_ms); ${CMD[$v]} > "$W/$v.log" 2>&1; end=$(now_ms); echo "$((end - start)) -"; return
  fi
  rm -rf "$TMP/$v" && mkdir -p "$TMP/$v"
  start=$(now_ms)
  (cd "${DIR[$v]}" && MALLOC_ARENA_MAX=2 exec ${CMD[$v]} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$PORT \
     -Dedge.model.path="$MODEL" -Djava.io.tmpdir="$TMP/$v" -jar quarkus-run.jar > "$LOGS/$v.log" 2>&1) &
  pid=$!  # the subshell execs into java
  until ready; do
    kill -0 $pid 2>/dev/null || { echo "$v died, see $W/$v.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(now_ms)
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo "?")
  kill $pid; wait $pid 2>/dev/null || true
  echo "$((end - start)) $rss"
}

RESULTS="$W/results.log"; : > "$RESULTS"
echo "== $(date -u +%FT%TZ), $ROUNDS rounds, model $(basename "$MODEL"), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   JDK 17: $("$JDK17/bin/java" -version 2>&1 | head -1); JDK 25: $("$JDK25/bin/java" -version 2>&1 | head -1)"
n=${#VARIANTS[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    v=${VARIANTS[$(( (i + r - 1) % n ))]}
    read -r ms rss < <(run "$v")
    echo "round=$r variant=$v ms=$ms rss=$rss" | tee -a "$RESULTS"
  done
done
echo "== done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" <<'PY'
import sys, re, statistics as st, collections
ms = collections.defaultdict(list); rss = collections.defaultdict(list)
for line in open(sys.argv[1]):
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    ms[kv["variant"]].append(int(kv["ms"]))
    if kv["rss"] not in ("-", "?"): rss[kv["variant"]].append(int(kv["rss"]))
med = {v: st.median(x) for v, x in ms.items()}
# The model alone: ONNX Runtime unpacked from its jar (what a standalone program does), and, for the AOT build that
# loads it from lib/native, also from that folder (baseline-25u).
base = {"plain-17": "baseline-17", "plain-25": "baseline-25", "aot-25": "baseline-25"}
print("| variant | median ms (min-max) | ratio to the model alone (same JDK) | ratio to the model alone, ONNX Runtime unpacked | RSS when ready, MB (median) |")
print("|---|---|---|---|---|")
for v in ["baseline-17", "baseline-25", "baseline-25u", "plain-17", "plain-25", "aot-25"]:
    ratio = f"**{med[v] / med[base[v]]:.2f}**" if v in base else "-"
    unpacked = f"**{med[v] / med['baseline-25u']:.2f}**" if v == "aot-25" else "-"
    r = f"{st.median(rss[v]):.0f}" if rss[v] else "-"
    print(f"| {v} | {med[v]:.0f} ({min(ms[v])}-{max(ms[v])}) | {ratio} | {unpacked} | {r} |")
PY
for d in plain aot; do echo "size $d: $(du -sb "$W/$d" | cut -f1) bytes ($(du -sh "$W/$d" | cut -f1))"; done
