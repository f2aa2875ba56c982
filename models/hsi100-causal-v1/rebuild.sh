#!/usr/bin/env bash
# Rebuilds the shipped model hsi100-causal-v1 (docs/models/hsi100-causal-v1.md) from scratch, in two
# stages on fresh simulated scans: 32 epochs from random weights (training seed 1000), then 50 more
# epochs from stage 1's best weights on another training seed (3000) with a lower peak learning rate.
# Then it exports fp32 and int8 ONNX files, copies the fine-tunable checkpoint and config here, and
# scores the model on simulated seed 2 (the `scanline baseline` test seed) against true labels.
# About 75 minutes on 2 idle CPU cores; each stage resumes with `./scanline train --resume RUN`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
runs="runs/hsi100-causal-v1"
work="${WORK:-$(mktemp -d)}"
common=(--simulate --arch causal --batch-size 16 --dropout 0 --schedule cosine --patience 0 --steps-per-epoch 200
  --valid-scans 600 --valid-seed 2000 --min-lines 128 --max-lines 128
  --set noiseStd=0 --set lineDropout=0 --set minLr=1e-5)
./scanline train "${common[@]}" --d-model 96 --heads 4 --layers 3 --ffn 384 --set convChannels=16,32,64 \
  --line-state-weight 0.5 --spectrum-tokens true --sim-seed 1000 --lr 1e-3 --warmup-epochs 1 --epochs 32 \
  --runs-dir "$runs/stage1"
stage1="$(ls -d "$runs"/stage1/*/ | sort | tail -1)"
./scanline train "${common[@]}" --init "${stage1%/}" --sim-seed 3000 --lr 3e-4 --warmup-epochs 0 --epochs 50 \
  --runs-dir "$runs/stage2"
run="$(ls -d "$runs"/stage2/*/ | sort | tail -1)"
run="${run%/}"
./scanline export "$run" --out "$here/model.onnx"
./scanline export "$run" --int8 --out "$here/model-int8.onnx"
mkdir -p "$here/checkpoints"
cp "$run/config.json" "$run/metrics.csv" "$here/"
cp "$stage1/metrics.csv" "$here/metrics-stage1.csv"
cp "$run/checkpoints/best.ckpt" "$here/checkpoints/"
./scanline simulate --seed 2 --count 3000 --out "$work/test-seed2.npz"
./scanline evaluate "$here" --data "$work/test-seed2.npz" --split all --label-key labels_true --out "$work/evaluation"
echo "rebuilt $here from $run; evaluation in $work/evaluation"
