#!/bin/sh
# Drives the GUI through an unlock, inside an X display (run it under xvfb-run): starts COMMAND --home HOME, waits for
# the first screen (the unlock screen), types PASS with xdotool and Enter, waits for the shell, presses Ctrl+2 (the
# inbox), waits for the inbox list, stays IDLE seconds, records the JVM's VmRSS/VmHWM, then ends it with SIGTERM
# (an orderly exit: a -XX:AOTCacheOutput run writes its cache then). Used by scripts/measure-startup.sh --unlock and
# by the AOT training run of scripts/build-image.sh.
# Usage: gui-unlock.sh WORK HOME PASS IDLE COMMAND...   (files left in WORK: pid, out.txt, inbox.txt, mem.txt)
work=$1 home=$2 pass=$3 idle=$4; shift 4
log="$home/logs/workstation.log"
count() { n=$(grep -cs "$1" "$log"); echo "${n:-0}"; }
wait_for() { # pattern, count before; up to 120 s
  i=0; while [ "$i" -lt 1200 ]; do [ "$(count "$1")" -gt "$2" ] && return 0; sleep 0.1; i=$((i+1)); done; return 1
}
b_first=$(count 'milestone: first screen shown'); b_shell=$(count 'milestone: shell shown'); b_inbox=$(count 'milestone: inbox list shown')
sh -c 'w=$1; shift; echo $$ > "$w/pid"; exec "$@"' sh "$work" "$@" --home "$home" >"$work/out.txt" 2>&1 &
wait_for 'milestone: first screen shown' "$b_first" || { echo "no first screen"; cat "$work/out.txt"; exit 1; }
sleep 1
# no window manager under Xvfb: point at the window and give it the focus (JavaFX also takes it when shown)
win=$(xdotool search --onlyvisible --name '评审工作站|Workstation' 2>/dev/null | tail -1)
[ -n "$win" ] && { xdotool mousemove --window "$win" 200 200; xdotool windowfocus "$win" 2>/dev/null || true; }
xdotool type --delay 5 "$pass"
xdotool key Return
wait_for 'milestone: shell shown' "$b_shell" || { echo "no shell after unlock"; tail -20 "$log"; exit 1; }
xdotool key ctrl+2
wait_for 'milestone: inbox list shown' "$b_inbox" || { echo "no inbox list"; tail -20 "$log"; exit 1; }
grep 'milestone: inbox list shown' "$log" | sed -n "$((b_inbox + 1))p" > "$work/inbox.txt"   # the load Ctrl+2 started
sleep "$idle"
pid=$(cat "$work/pid")
grep -E '^Vm(RSS|HWM)' "/proc/$pid/status" | tr -s ' ' > "$work/mem.txt"
kill -TERM "$pid"
# an -XX:AOTCacheOutput run assembles its cache at exit (a minute or more on a loaded machine): wait for it
i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 3000 ]; do sleep 0.1; i=$((i+1)); done
