#!/usr/bin/env bash
# Prints the README's gallery: one `learndeck snapshot` of every lesson,
# mid-run with its default parameters, at 100×30.
#
#   scripts/gallery.sh > /tmp/gallery.md   # then paste over README's Gallery
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/learndeck"
WIDTH=100
HEIGHT=30
# Steps into each lesson: about halfway, where every panel has something to show.
declare -A STEPS=(
    [score]=1000 [sde]=250 [optim]=300 [precision]=200 [map]=40
    [medusa]=8 [mtp]=6 [knapsack]=20 [heap]=20 [sorts]=40 [maxgap]=15 [combsum]=14
)
EMPTY=$(mktemp -d)
trap 'rm -rf "$EMPTY"' EXIT
for id in $(XDG_CONFIG_HOME=$EMPTY "$BIN" list | awk '/^[a-z]/ {print $1}'); do
    steps=${STEPS[$id]:-100}
    echo "<details><summary><code>learndeck snapshot $id --steps $steps --width $WIDTH --height $HEIGHT</code></summary>"
    echo
    echo '```'
    XDG_CONFIG_HOME=$EMPTY "$BIN" snapshot "$id" --steps "$steps" --width "$WIDTH" --height "$HEIGHT"
    echo '```'
    echo
    echo '</details>'
    echo
done
