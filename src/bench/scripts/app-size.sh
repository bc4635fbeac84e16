#!/usr/bin/env bash
# App size before and after shipping only the target platform's native libraries: builds the fast-jar app with every
# platform (-Pplatform-all, what the jars bring) and with the default (linux-x86_64 only), prints du of each and the
# native libraries left in the ONNX Runtime and OpenCV jars; adds the -Paot app when start-time.sh left one.
# Usage (from the project root): bash src/bench/scripts/app-size.sh      Work folder: target/app-size/
set -euo pipefail
W=target/app-size
mkdir -p "$W"
build() { # name, maven arguments...
  local name=$1; shift
  mvn -B -q package -DskipTests "$@" > "$W/build-$name.log" 2>&1
  rm -rf "${W:?}/$name" && cp -a target/quarkus-app "$W/$name"
}
build all-platforms -Pplatform-all
build linux-x86_64
natives() { # app folder: the native libraries inside its ONNX Runtime and OpenCV jars
  for jar in "$1"/lib/main/com.microsoft.onnxruntime.onnxruntime-*.jar "$1"/lib/main/org.openpnp.opencv-*.jar; do
    unzip -Z1 "$jar" | grep -E '\.(so|dll|dylib)$' | sed "s|^|    $(basename "$jar"): |"
  done
}
echo "| app | bytes | du -sh |"
echo "|---|---|---|"
for d in "$W/all-platforms" "$W/linux-x86_64" target/start-time/aot; do
  [ -d "$d" ] || continue
  echo "| $d | $(du -sb "$d" | cut -f1) | $(du -sh "$d" | cut -f1) |"
done
for d in "$W/all-platforms" "$W/linux-x86_64"; do echo "native libraries in $d:"; natives "$d"; done
if [ -d target/start-time/aot ]; then
  echo "target/start-time/aot: jars without native libraries, then:"
  du -b target/start-time/aot/lib/native/* target/start-time/aot/app.aot | sed 's/^/    /'
fi
