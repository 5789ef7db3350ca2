#!/usr/bin/env bash
# Measures the dashboard as a user runs it, with public tools only (tmux and
# /proc, Linux): start-up to the first frame, CPU used while paused for 10 s,
# and the peak resident memory after every lesson has been visited and played.
#
#   scripts/measure.sh            # builds the release binary first
#
# Targets (issue 5): start-up < 50 ms, paused CPU < 10 ms per 10 s, peak RSS < 50 MB.
set -euo pipefail

cd "$(dirname "$0")/.."
for tool in tmux awk; do
    command -v "$tool" >/dev/null || { echo "measure.sh needs $tool" >&2; exit 2; }
done
[ -r /proc/self/stat ] || { echo "measure.sh needs Linux /proc" >&2; exit 2; }

cargo build --release --quiet
BIN="$PWD/target/release/learndeck"
SESSION="learndeck-measure-$$"
LESSONS=$("$BIN" list | awk '/^[a-z]/ {print $1}' | wc -l)
PAUSED_SECONDS=10
# An empty config folder, so the figures are for the built-in defaults.
HOME_DIR=$(mktemp -d)
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT

now_ns() { date +%s%N; }

# 1. Start-up: from launching the process to the status line being on screen.
start=$(now_ns)
tmux new-session -d -s "$SESSION" -x 160 -y 48 \
    "env XDG_CONFIG_HOME=$HOME_DIR HOME=$HOME_DIR $BIN"
until tmux capture-pane -t "$SESSION" -p 2>/dev/null | grep -q 'steps/s'; do :; done
first_frame_ms=$(( ($(now_ns) - start) / 1000000 ))
pid=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}')

# 2. Paused CPU: user + system clock ticks from /proc/PID/stat.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
sleep "$PAUSED_SECONDS"
after=$(ticks)
paused_ms=$(( (after - before) * 1000 / hz ))

# 3. Every lesson visited and played for a moment, then the peak RSS.
for _ in $(seq "$LESSONS"); do
    tmux send-keys -t "$SESSION" Space
    sleep 0.5
    tmux send-keys -t "$SESSION" Space Tab
    sleep 0.2
done
peak_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
tmux send-keys -t "$SESSION" q

echo "start-up to first frame (incl. tmux polling): ${first_frame_ms} ms   (target < 50 ms)"
echo "CPU while paused for ${PAUSED_SECONDS} s:            ${paused_ms} ms   (target < 10 ms)"
echo "peak RSS, ${LESSONS} lessons visited and played:   $(( peak_kb / 1024 )) MB (${peak_kb} kB; target < 50 MB)"
