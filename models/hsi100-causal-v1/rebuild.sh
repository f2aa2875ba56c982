#!/usr/bin/env bash
# Rebuilds the shipped model hsi100-causal-v1 from scratch: trains it on fresh simulated scans,
# exports fp32 and int8 ONNX files, copies the fine-tunable checkpoint and config here, and scores it
# on held-out simulated seed 2 (the `scanline baseline` test seed) against true labels.
# About 80-110 minutes on 2 CPU cores (docs/models/hsi100-causal-v1.md). Resumable: if it is
# interrupted, rerun with RESUME=runs/hsi100-causal-v1/<run>.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
runs="runs/hsi100-causal-v1"
work="${WORK:-$(mktemp -d)}"
if [[ -n "${RESUME:-}" ]]; then
  ./scanline train --resume "$RESUME"
  run="$RESUME"
else
  ./scanline train --simulate --arch causal \
    --d-model 96 --heads 4 --layers 3 --ffn 384 --set convChannels=16,32,64 --dropout 0 --batch-size 16 \
    --lr 1e-3 --schedule cosine --warmup-epochs 1 --epochs 32 --patience 0 --steps-per-epoch 200 \
    --valid-scans 600 --min-lines 128 --max-lines 128 --line-state-weight 0.5 --spectrum-tokens true \
    --set noiseStd=0 --set lineDropout=0 --set minLr=1e-5 --runs-dir "$runs"
  run="$(ls -d "$runs"/*/ | sort | tail -1)"
fi
run="${run%/}"
./scanline export "$run" --out "$here/model.onnx"
./scanline export "$run" --int8 --out "$here/model-int8.onnx"
mkdir -p "$here/checkpoints"
cp "$run/config.json" "$run/metrics.csv" "$here/"
cp "$run/checkpoints/best.ckpt" "$here/checkpoints/"
./scanline simulate --seed 2 --count 3000 --out "$work/test-seed2.npz"
./scanline evaluate "$here" --data "$work/test-seed2.npz" --split all --label-key labels_true --out "$work/evaluation"
echo "rebuilt $here from $run; evaluation in $work/evaluation"
