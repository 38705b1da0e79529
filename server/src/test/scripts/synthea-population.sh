#!/usr/bin/env bash
# A Synthea population for the EHR-feed test and benchmark, generated here, never committed.
#   server/src/test/scripts/synthea-population.sh [patients] [seed]      (defaults: 20 patients, seed 42)
# Synthea 3.3.0 (Maven Central org.mitre.synthea:synthea, Apache-2.0) and its dependencies are copied under
# server/target/synthea/lib; the FHIR R4 bundles land in server/target/synthea/population-<patients>-<seed>/fhir.
# Reuses a population already generated with the same size and seed. Prints the bundle directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
patients="${1:-20}"
seed="${2:-42}"
work="$root/server/target/synthea"
out="$work/population-$patients-$seed"
if [ -d "$out/fhir" ] && ls "$out/fhir"/*.json >/dev/null 2>&1; then
    echo "$out/fhir"
    exit 0
fi
if [ ! -d "$work/lib" ] || ! ls "$work/lib"/synthea-*.jar >/dev/null 2>&1; then
    "$root/mvnw" -B -q -f "$root/server/src/test/benchmark/synthea/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$work/lib" >&2
fi
rm -rf "$out"
mkdir -p "$out"
# fixed seeds (population and clinicians), living patients, two years of history, compact JSON
(cd "$out" && java -Xmx3g -cp "$work/lib/*" App -s "$seed" -cs "$seed" -p "$patients" \
    --exporter.baseDirectory="$out" --exporter.years_of_history=2 --generate.only_alive_patients=true \
    --exporter.pretty_print=false --exporter.fhir.export=true --exporter.hospital.fhir.export=true \
    --exporter.practitioner.fhir.export=true --exporter.csv.export=false --exporter.ccda.export=false \
    California >&2)
echo "$out/fhir"
