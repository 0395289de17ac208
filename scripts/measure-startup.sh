#!/usr/bin/env bash
# Start-up of the runtime image's GUI under Xvfb, with no JDK on PATH (env -i), files in the page cache.
#
# scripts/measure-startup.sh [RUNS] [IMAGE]
#   RUNS times (default 5) with one fresh workstation home and the built-in demo platform: prints the
#   "first screen shown N ms after JVM start" milestone of each run (onboarding: the home has no profile). The first
#   run of the fresh home seeds the demo platform and is reported apart.
# scripts/measure-startup.sh --unlock HOME [PASS] [RUNS] [IMAGE]
#   the goals of issue 8 on a home that holds a profile (made by scripts/bench-inbox.sh with -Dinbox.home=HOME, see
#   scripts/bench-report.sh): per run, the cold start to the unlock screen (milestone), then the passphrase typed with
#   xdotool and Enter; unlock to the shell (log timestamps of "unlock started" and "shell shown"); Ctrl+2 opens the
#   inbox, whose "inbox list shown, N cases, loaded in M ms" milestone gives the list's load; after 5 s idle, the
#   resident memory (VmRSS, and VmHWM the peak) of the JVM. The platform is an unreachable address (CRB_PLATFORM), as
#   for a reviewer offline: no demo platform runs in the process.
# CRB_NO_AOT=1 starts without the AOT cache. Output lines start with "run N:" and are parsed by bench-report.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--unlock" ]; then
  HOME_DIR=$(cd "$2" && pwd); PASS=${3:-inbox-bench-2026}; RUNS=${4:-3}
  IMAGE=$(cd "${5:-$ROOT/jlink-config/target/image}" && pwd)
  command -v xdotool >/dev/null || { echo "xdotool missing (apt-get install -y xdotool)" >&2; exit 2; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/x"
  log="$HOME_DIR/logs/workstation.log"
  ms() { date -d "$(echo "$1" | cut -c1-23 | tr ',' '.')" +%s%3N; }
  for r in $(seq 1 "$RUNS"); do
    env -i PATH=/usr/bin:/bin HOME="$work/x" CRB_PLATFORM=http://127.0.0.1:9 ${CRB_NO_AOT:+CRB_NO_AOT=1} \
      xvfb-run -a -s "-screen 0 1600x1000x24" sh "$ROOT/scripts/gui-unlock.sh" "$work" "$HOME_DIR" "$PASS" 5 "$IMAGE/bin/crb-workstation" \
      > "$work/inner.txt" 2>&1 || { echo "run $r failed:"; cat "$work/inner.txt"; exit 1; }
    first=$(grep 'milestone: first screen shown' "$log" | tail -1 | sed 's/.*shown \([0-9]*\) ms.*/\1/')
    t_unlock=$(ms "$(grep 'milestone: unlock started' "$log" | tail -1)")
    t_shell=$(ms "$(grep 'milestone: shell shown' "$log" | tail -1)")
    inbox_line=$(cat "$work/inbox.txt")
    t_inbox=$(ms "$inbox_line")
    cases=$(echo "$inbox_line" | sed 's/.*shown, \([0-9]*\) cases.*/\1/')
    load=$(echo "$inbox_line" | sed 's/.*loaded in \([0-9]*\) ms.*/\1/')
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "$work/mem.txt"); hwm=$(awk '/VmHWM/ {print int($2/1024)}' "$work/mem.txt")
    cpu() { echo "$1" | sed -n 's/.*(process CPU \([0-9-]*\) ms).*/\1/p'; }
    c_first=$(cpu "$(grep 'milestone: first screen shown' "$log" | tail -1)")
    c_unlock=$(cpu "$(grep 'milestone: unlock started' "$log" | tail -1)")
    c_shell=$(cpu "$(grep 'milestone: shell shown' "$log" | tail -1)"); c_inbox=$(cpu "$inbox_line")
    echo "run $r: unlock screen $first ms after JVM start; unlock to shell $((t_shell - t_unlock)) ms; inbox list of $cases cases loaded in $load ms (unlock to inbox list shown $((t_inbox - t_unlock)) ms, including the Ctrl+2 key); RSS 5 s after $rss MB (peak $hwm MB); process CPU: to the unlock screen ${c_first:-?} ms, unlock to shell $(( ${c_shell:-0} - ${c_unlock:-0} )) ms, unlock to inbox list $(( ${c_inbox:-0} - ${c_unlock:-0} )) ms"
  done
  exit 0
fi
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
  local line ms cpu
  line=$(grep 'milestone: first screen shown' "$log" | tail -1)
  ms=$(echo "$line" | sed -n 's/.*shown \([0-9]*\) ms.*/\1/p'); cpu=$(echo "$line" | sed -n 's/.*process CPU \([0-9-]*\) ms.*/\1/p')
  echo "$ms ms${cpu:+ (process CPU $cpu ms)}"
}
echo "first run (fresh home): $(run_once)"
for r in $(seq 1 "$RUNS"); do echo "run $r: $(run_once)"; done
