#!/usr/bin/env bash
# Builds the container image with Jib (jib:buildTar, no Docker daemon), unpacks its layers and starts CareGate from
# them the way the image's entrypoint does, then checks the image's configuration (non-root user, port), the
# readiness probe, the FHIR API and a graceful stop on SIGTERM. Run from anywhere; CI (.ci/run) runs it after the
# tests.
#
# This machine reaches no container registry, so the check builds on the empty base image ("scratch") and runs the
# image's own java command line with the machine's JDK: it checks every layer CareGate adds (dependencies,
# resources, classes, the classpath and entrypoint), not the Java runtime of the real base (eclipse-temurin:17-jre).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$root"

./mvnw -B -q -pl server -am package jib:buildTar -DskipTests -Dcaregate.image.base=scratch -Djib.console=plain

work="$(mktemp -d "$root/server/target/image-check-XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
}
trap cleanup EXIT

tar -xf server/target/jib-image.tar -C "$work"
mkdir -p "$work/rootfs"
python3 - "$work" <<'PY'
import json, sys, tarfile, os
work = sys.argv[1]
manifest = json.load(open(os.path.join(work, "manifest.json")))[0]
for layer in manifest["Layers"]:
    with tarfile.open(os.path.join(work, layer)) as t:
        t.extractall(os.path.join(work, "rootfs"))
config = json.load(open(os.path.join(work, manifest["Config"])))["config"]
json.dump(config, open(os.path.join(work, "config.json"), "w"), indent=1)
user = config.get("User", "")
assert user and not user.startswith("0") and user != "root", "the image runs as root: %r" % user
assert "8080/tcp" in config.get("ExposedPorts", {}), "port 8080 is not exposed"
print("image: %d layers, user %s, entrypoint %s" % (len(manifest["Layers"]), user, " ".join(config["Entrypoint"])))
PY

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# the entrypoint with /app pointing into the unpacked layers, and the image's environment with a data directory here
mapfile -t command < <(python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
rootfs = os.path.join(work, "rootfs")
config = json.load(open(os.path.join(work, "config.json")))
for arg in config["Entrypoint"] + (config.get("Cmd") or []):
    if arg.startswith("@/"):
        arg = open(rootfs + arg[1:]).read().strip().replace("/app/", rootfs + "/app/")
    elif arg.startswith("/app/") or ":/app/" in arg:
        arg = arg.replace("/app/", rootfs + "/app/")
    print(arg)
PY
)
[ "${command[0]}" = "java" ] || { echo "unexpected entrypoint: ${command[*]}"; exit 1; }
(
    cd "$work/rootfs/app"
    export CAREGATE_DATA_DIR="$work/data" \
        CAREGATE_DATABASE_EMBEDDED_DATADIRECTORY="$work/data/postgres" \
        SERVER_PORT="$port" CAREGATE_PUBLIC_BASE_URL="http://localhost:$port" CAREGATE_SEED_ENABLED=false \
        CAREGATE_MANAGEMENT_PASSWORD=image-check LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
    exec "${command[@]}" > "$work/server.log" 2>&1
) &
# the subshell execs java with the image's arguments (java itself from this machine's PATH)
server_pid=$!
started=$(date +%s)
for _ in $(seq 1 600); do
    if curl -fsS "http://localhost:$port/actuator/health/readiness" > "$work/readiness.json" 2>/dev/null; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "the server from the image exited:"; tail -50 "$work/server.log"; exit 1; }
    sleep 1
done
grep -q '"status":"UP"' "$work/readiness.json" || { echo "not ready after $(( $(date +%s) - started )) s"; tail -20 "$work/server.log"; exit 1; }
echo "ready after $(( $(date +%s) - started )) s"

curl -fsS -H 'Accept: application/fhir+json' "http://localhost:$port/fhir/metadata" > "$work/metadata.json"
grep -q '"resourceType":"CapabilityStatement"' "$work/metadata.json" || { echo "no CapabilityStatement"; exit 1; }
curl -fsS -u operator:image-check "http://localhost:$port/actuator/prometheus" > "$work/metrics.txt"
grep -q '^jvm_memory_used_bytes' "$work/metrics.txt" || { echo "no JVM metrics"; exit 1; }
head -1 "$work/server.log" | python3 -c 'import json,sys; json.loads(sys.stdin.readline())' \
    || { echo "log lines are not JSON"; head -3 "$work/server.log"; exit 1; }
kill -TERM "$server_pid"
status=0; wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] || [ "$status" = 143 ] || { echo "exit status $status after SIGTERM"; tail -30 "$work/server.log"; exit 1; }
grep -q 'Graceful shutdown\|graceful shutdown' "$work/server.log" || echo "(no graceful-shutdown line in the log)"
echo "image check: 1 passed, 0 failed"
rm -rf "$work"
