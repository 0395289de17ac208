#!/usr/bin/env bash
# Starts the GUI of the runtime image under Xvfb RUNS times (default 5) with one workstation home, with no JDK on
# PATH, and prints the "first screen shown N ms after JVM start" milestone of each run. The first run of a fresh
# home seeds the demo platform and is reported apart. CRB_NO_AOT=1 starts without the AOT cache.
# Usage: scripts/measure-startup.sh [RUNS] [IMAGE]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${1:-5}
IMAGE=$(cd "${2:-$ROOT/jlink-config/target/image}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/x"
run_once() {
  local log="$work/home/logs/workstation.log" before=0 i n
  [ -f "$log" ] && before=$(grep -c 'milestone: first screen shown' "$log" || true)
  (env -i PATH=/usr/bin:/bin HOME="$work/x" ${CRB_NO_AOT:+CRB_NO_AOT=1} xvfb-run -a -s "-screen 0 1600x1000x24" \
    sh -c 'echo $$ > "$1/pid"; exec "$2" --home "$1/home"' sh "$work" "$IMAGE/bin/crb-workstation" \
    >"$work/out.txt" 2>&1 &)
  for i in $(seq 1 240); do
    n=$(grep -cs 'milestone: first screen shown' "$log" || true)
    [ "${n:-0}" -gt "$before" ] && break
    sleep 0.25
  done
  sleep 1
  kill -TERM "$(cat "$work/pid")" 2>/dev/null || true
  for i in $(seq 1 120); do kill -0 "$(cat "$work/pid")" 2>/dev/null || break; sleep 0.25; done
  grep 'milestone: first screen shown' "$log" | tail -1 | sed 's/.*shown \([0-9]*\) ms.*/\1/'
}
echo "first run (fresh home): $(run_once) ms"
for r in $(seq 1 "$RUNS"); do echo "run $r: $(run_once) ms"; done
