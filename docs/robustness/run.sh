#!/usr/bin/env bash
# The robustness table of docs/results.md: simulated H:Si(100) scans written as Nanonis .sxm files
# (frame in :SCAN_RANGE:), classified with `scanline classify`, scored against truth.csv by score.py.
# Usage: docs/robustness/run.sh MODEL.onnx [COUNT] [WORKDIR]   (from the checkout's root)
# Seeds 23201–23213 (one per set, never used elsewhere); COUNT scans per set (default 300).
set -euo pipefail
model="$1"
count="${2:-300}"
work="${3:-scratch/robustness}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$work"
echo "| setting | scans | BA | macro AUROC | uncertain | unknown surface | sampling |"
echo "|---|---|---|---|---|---|---|"
run() { # name seed classify-options -- simulate-options
  local name="$1" seed="$2"; shift 2
  local copts=()
  while [[ "$1" != "--" ]]; do copts+=("$1"); shift; done
  shift
  local dir="$work/$name"
  if [[ ! -f "$dir/truth.csv" ]]; then
    ./scanline simulate --count "$count" --seed "$seed" --sxm "$dir" "$@" >/dev/null
  fi
  ./scanline classify "$model" "$dir" --json "${copts[@]}" > "$dir.json" 2>"$dir.notes"
  python3 "$here/score.py" "$name" "$dir.json" "$dir/truth.csv"
}
run "128 px, 8–25 nm (as trained)" 23201 -- --pixels 128 --lines 128
run "64 px" 23202 -- --pixels 64 --lines 64
run "256 px" 23203 -- --pixels 256 --lines 256
run "512 px" 23204 -- --pixels 512 --lines 512
run "frames 8–12 nm" 23205 -- --frame-nm 8:12
run "frames 18–25 nm" 23206 -- --frame-nm 18:25
run "frames 25–50 nm (coarser than trained)" 23207 -- --frame-nm 25:50
run "128 px × 64 lines" 23208 -- --lines 64
run "128 px × 256 lines" 23209 -- --lines 256
run "up scans" 23210 -- --scan-dir up
run "backward traces (the 128 px set)" 23201 --direction backward -- --pixels 128 --lines 128
run "filled states only" 23211 -- --filled-share 1
run "empty states only" 23212 -- --filled-share 0
run "noise × 0.5" 23213 -- --noise-scale 0.5
run "noise × 2" 23214 -- --noise-scale 2
run "noise × 4" 23215 -- --noise-scale 4
