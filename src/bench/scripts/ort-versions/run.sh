#!/usr/bin/env bash
# ONNX Runtime Java version benchmark for YOLO INT8 models, interleaved rounds, one JVM per block.
# Usage (from the project root): bash src/bench/scripts/ort-versions/run.sh [ROUNDS]   (default 3)
# Works in target/ort-versions; log: target/ort-versions/results.log. Reads the models from ../shared.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../../../../shared" && pwd)
mkdir -p "$HERE/../../../../target/ort-versions"
cd "$HERE/../../../../target/ort-versions"
mkdir -p src && cp "$HERE/OrtBench.java" src/
ROUNDS=${1:-3}
VERSIONS=(1.22.0 1.24.2 1.29.0)
M2=~/.m2/repository/com/microsoft/onnxruntime/onnxruntime
MD=$SHARED/models
IMG=$SHARED/data/images/bus.jpg
MODELS=("yolov8n-int8-dynamic 640" "yolov8n-int8-qdq 640" "yolo11n-int8-320 320")
LOG=results.log; : > "$LOG"
mkdir -p classes jtmp
for v in "${VERSIONS[@]}"; do
  [ -f "$M2/$v/onnxruntime-$v.jar" ] || mvn -q dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime:$v
done
javac -d classes -cp "$M2/1.22.0/onnxruntime-1.22.0.jar" src/OrtBench.java

block() { # phase round version model size intra spin
  local out
  out=$(java -Djava.io.tmpdir=$PWD/jtmp -cp "classes:$M2/$3/onnxruntime-$3.jar" \
        OrtBench "$3" "$MD/$4.onnx" "$5" "$6" "$7" 10 60 "$IMG" | grep '^RESULT')
  echo "$1 round=$2 $out" | tee -a "$LOG"
  find jtmp -maxdepth 1 -name 'onnxruntime-java*' -type d -empty -delete
}

echo "== phase 1: versions (intra=2, spin=default), $ROUNDS rounds, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for m in "${MODELS[@]}"; do
    set -- $m
    n=${#VERSIONS[@]}
    for i in $(seq 0 $((n-1))); do          # rotate version order each round to spread position bias
      v=${VERSIONS[$(( (i + r - 1) % n ))]}
      block P1 "$r" "$v" "$1" "$2" 2 default
    done
  done
  echo "   round $r done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
done

BEST=$(python3 - "$LOG" <<'PY'
import sys, re, statistics as st, collections
d = collections.defaultdict(list)
for l in open(sys.argv[1]):
    if l.startswith("P1 "):
        kv = dict(re.findall(r"(\w+)=(\S+)", l)); d[(kv["label"], kv["model"])].append(float(kv["median"]))
vs = sorted({k[0] for k in d}); ms = sorted({k[1] for k in d})
med = {k: st.median(v) for k, v in d.items()}
score = {v: st.mean(med[(v, m)] / min(med[(w, m)] for w in vs) for m in ms) for v in vs}
print(min(score, key=score.get))
PY
)
echo "== phase 2: best version $BEST, configs intra2/default, intra1/default, intra2/spin0; load: $(cut -d' ' -f1-3 /proc/loadavg)"
CONFIGS=("2 default" "1 default" "2 0")
for r in $(seq 1 "$ROUNDS"); do
  for m in "${MODELS[@]}"; do
    set -- $m
    n=${#CONFIGS[@]}
    for i in $(seq 0 $((n-1))); do
      c=(${CONFIGS[$(( (i + r - 1) % n ))]})
      block P2 "$r" "$BEST" "$1" "$2" "${c[0]}" "${c[1]}"
    done
  done
  echo "   round $r done, load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
rmdir jtmp 2>/dev/null || true

python3 - "$LOG" <<'PY'
import sys, re, statistics as st, collections
rows = [dict(re.findall(r"(\w+)=(\S+)", l), phase=l[:2]) for l in open(sys.argv[1]) if l[:2] in ("P1", "P2")]
def table(phase, key, title):
    g = collections.defaultdict(list)
    for r in rows:
        if r["phase"] == phase: g[(r["model"], key(r))].append(r)
    print(f"\n### {title}\n| model | config | median of round medians | per-round median / p10 / p90 (ms) |\n|---|---|---|---|")
    for (m, k), rs in sorted(g.items()):
        rs.sort(key=lambda r: int(r["round"]))
        per = "; ".join(f"r{r['round']}: {r['median']}/{r['p10']}/{r['p90']}" for r in rs)
        print(f"| {m} | {k} | **{st.median(float(r['median']) for r in rs):.1f}** | {per} |")
table("P1", lambda r: r["ort"], "Phase 1: ORT version (intra 2, inter 1, SEQUENTIAL, ALL_OPT)")
table("P2", lambda r: f"{r['ort']} intra={r['intra']} spin={r['spin']}", "Phase 2: threads / spinning on best version")
PY
