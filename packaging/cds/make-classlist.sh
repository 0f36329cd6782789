#!/usr/bin/env bash
# Regenerates src/dist/cds/rcdrive.classlist and agent.classlist, the classes that rcdrive loads at start, from real
# runs of target/dist (./mvnw package first): the station's demo (station, signaling server and a
# simulated car in one process) under Xvfb until 30 frames were shown, and a probe against an
# agent (started from a config file, as its service does; also its stop step's --neutral and
# --help, for picocli) and a server in processes of their own. The JVM writes each class as it loads it
# (-XX:DumpLoadedClassList); the lists are merged. Run it when start-up code changed a lot: a class
# missing from the list is only loaded the slow way, a class no longer there is skipped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dist=$repo/target/dist/bin/rcdrive
[ -x "$dist" ] || { echo "make-classlist.sh: run ./mvnw package first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "make-classlist.sh: needs xvfb-run (apt-get install xvfb)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
dump() { echo "-Xshare:off -XX:DumpLoadedClassList=$work/$1.classlist -Drcdrive.log=warn"; }

JAVA_OPTS=$(dump station) xvfb-run -a -s "-screen 0 1600x900x24" "$dist" station --self-test 30 >/dev/null

JAVA_OPTS=$(dump signal) "$dist" signal --demo --port 0 >"$work/signal.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q 'listening on' "$work/signal.log" && break; sleep 0.2; done
server=$(grep -o 'ws://[^ ]*' "$work/signal.log" | head -n 1)
# The agent as its service starts it: from a config file (reading it is part of every start).
cat >"$work/agent.json" <<JSON
{ "server": "$server", "carId": "demo", "key": "demo-key",
  "camera": { "type": "sim", "width": 640, "height": 480, "fps": 30 }, "actuator": "sim" }
JSON
JAVA_OPTS=$(dump agent) "$dist" agent --config "$work/agent.json" >"$work/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q 'signaling READY' "$work/agent.log" && break; sleep 0.2; done
# The service's other command line (its stop step's fallback), and picocli, which neither of the
# service's command lines loads any more but every other agent command line (flags) does.
JAVA_OPTS=$(dump agent-neutral) "$dist" agent --neutral --config "$work/agent.json" >/dev/null
JAVA_OPTS=$(dump agent-picocli) "$dist" agent --help >/dev/null
JAVA_OPTS=$(dump probe) "$dist" probe --server "$server" --car demo --token demo-token --seconds 2 \
  --json >/dev/null
kill "${pids[@]}"
wait "${pids[@]}" 2>/dev/null || true
# Whole lines only (a process ended by a signal may leave half a line), each class once, without
# the per-process ids (they differ between the lists; only classes of custom loaders need them,
# and those are left out).
clean() { grep -E '^[^ #@]+( id: [0-9]+)?$|^@lambda' | sed -E 's/ id: [0-9]+$//' | awk '!seen[$0]++'; }
cat "$work"/*.classlist | clean >"$repo/src/dist/cds/rcdrive.classlist"
# The car agent's own list (bin/rcdrive gives the agent its own, smaller archive).
cat "$work/agent.classlist" "$work/agent-neutral.classlist" "$work/agent-picocli.classlist" | clean \
  >"$repo/src/dist/cds/agent.classlist"
wc -l "$repo/src/dist/cds/rcdrive.classlist" "$repo/src/dist/cds/agent.classlist"
