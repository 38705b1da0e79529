#!/usr/bin/env bash
# Generates a Synthea population for the benchmarks (fixed seeds, so every run loads the same data):
#   server/src/test/scripts/synthea.sh <patients> <output directory>
# Synthea 3.3.0 and its libraries come from Maven Central into target/synthea/lib; nothing generated is committed.
set -euo pipefail
patients="${1:?number of patients}"
out="${2:?output directory}"
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
lib="$root/server/target/synthea/lib"
if [ ! -f "$lib/synthea-3.3.0.jar" ]; then
  "$root/mvnw" -B -q -f "$root/server/src/test/benchmark/synthea/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib"
fi
if [ -d "$out/fhir" ] && [ "$(ls "$out/fhir" | wc -l)" -gt 0 ]; then
  echo "Synthea population already in $out/fhir"
  exit 0
fi
mkdir -p "$out"
cd "$out"
java -Xmx4g -cp "$lib/*" App -s 42 -cs 42 -p "$patients" --exporter.baseDirectory="$out" \
  --exporter.years_of_history=5 --generate.only_alive_patients=true --exporter.pretty_print=false \
  --exporter.fhir.transaction_bundle=true California
