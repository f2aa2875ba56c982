#!/usr/bin/env bash
# Rebuilds the shipped model hsi100-causal-v5 (docs/models/hsi100-causal-v5.md): the weights of
# hsi100-causal-v4 (its checkpoint, models/hsi100-causal-v4/checkpoints; v4's rebuild.sh trains them),
# exported in format 5 with the physical sampling they were trained on (scanline.sampling: frames of
# 8-25 nm at 128 px), then stamped with the "not a surface I know" check (scanline.surface), fitted on
# simulator seeds 23001 (statistics) and 23002 (thresholds, 4 % of H:Si(100) validation scans flagged).
# Temperatures are refitted on v4's validation split. About two minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
work="${WORK:-$(mktemp -d)}"
./scanline export models/hsi100-causal-v4 --format 5 --out "$work/fp32.onnx"
./scanline export models/hsi100-causal-v4 --format 5 --int8 --out "$work/int8.onnx"
./scanline calibrate-surface --count 400 --flag-rate 0.04 --model "$work/fp32.onnx" --into "$here/model.onnx"
./scanline calibrate-surface --count 400 --flag-rate 0.04 --model "$work/int8.onnx" --into "$here/model-int8.onnx"
echo "rebuilt $here from models/hsi100-causal-v4; intermediate files in $work"
