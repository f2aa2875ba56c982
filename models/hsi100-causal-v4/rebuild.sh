#!/usr/bin/env bash
# Rebuilds the shipped model hsi100-causal-v4 (docs/models/hsi100-causal-v4.md) from scratch, in six
# stages on fresh simulated scans: 32 epochs from random weights (training seed 1000); 50 more from
# stage 1's best weights on another training seed (3000) at a lower peak learning rate; 64 more on a
# third seed (4000) with line differences added (new weights start at zero, so stage 3 starts from
# stage 2's function); 56 more on a fourth seed (5000) at peak learning rate 1e-4; then 120 more on a
# fifth seed (6000) with a longer cosine from 1.5e-4; then 160 more on a sixth seed (8000) from 1.2e-4
# on samples of 24 to 128 lines, so that the early lines weigh more. Then it
# exports fp32 and int8 ONNX files, copies the fine-tunable
# checkpoint and config here, and scores the model on simulated seed 2 (the `scanline baseline` test
# seed) against true labels. About 5 hours on 2 cores; each stage resumes with
# `./scanline train --resume RUN`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
runs="runs/hsi100-causal-v4"
work="${WORK:-$(mktemp -d)}"
common=(--simulate --arch causal --batch-size 16 --dropout 0 --schedule cosine --patience 0 --steps-per-epoch 200
  --valid-scans 600 --valid-seed 2000 --max-lines 128
  --set noiseStd=0 --set lineDropout=0 --set minLr=1e-5)
latest() { local d; d="$(ls -d "$1"/*/ | sort | tail -1)"; echo "${d%/}"; }
./scanline train "${common[@]}" --min-lines 128 --d-model 96 --heads 4 --layers 3 --ffn 384 --set convChannels=16,32,64 \
  --line-state-weight 0.5 --spectrum-tokens true --sim-seed 1000 --lr 1e-3 --warmup-epochs 1 --epochs 32 \
  --runs-dir "$runs/stage1"
./scanline train "${common[@]}" --min-lines 128 --init "$(latest "$runs/stage1")" --sim-seed 3000 --lr 3e-4 --warmup-epochs 0 \
  --epochs 50 --runs-dir "$runs/stage2"
./scanline train "${common[@]}" --min-lines 128 --init "$(latest "$runs/stage2")" --line-difference true --sim-seed 4000 --lr 3e-4 \
  --warmup-epochs 1 --epochs 64 --runs-dir "$runs/stage3"
./scanline train "${common[@]}" --min-lines 128 --init "$(latest "$runs/stage3")" --sim-seed 5000 --lr 1e-4 --warmup-epochs 0 \
  --epochs 56 --runs-dir "$runs/stage4"
./scanline train "${common[@]}" --min-lines 128 --init "$(latest "$runs/stage4")" --sim-seed 6000 --lr 1.5e-4 --warmup-epochs 0 \
  --epochs 120 --runs-dir "$runs/stage5"
./scanline train "${common[@]}" --init "$(latest "$runs/stage5")" --sim-seed 8000 --lr 1.2e-4 --warmup-epochs 0 \
  --epochs 160 --min-lines 24 --runs-dir "$runs/stage6"
run="$(latest "$runs/stage6")"
./scanline export "$run" --out "$here/model.onnx"
./scanline export "$run" --int8 --out "$here/model-int8.onnx"
mkdir -p "$here/checkpoints"
cp "$run/config.json" "$run/metrics.csv" "$here/"
cp "$(latest "$runs/stage1")/metrics.csv" "$here/metrics-stage1.csv"
cp "$(latest "$runs/stage2")/metrics.csv" "$here/metrics-stage2.csv"
cp "$(latest "$runs/stage3")/metrics.csv" "$here/metrics-stage3.csv"
cp "$(latest "$runs/stage4")/metrics.csv" "$here/metrics-stage4.csv"
cp "$(latest "$runs/stage5")/metrics.csv" "$here/metrics-stage5.csv"
cp "$run/checkpoints/best.ckpt" "$here/checkpoints/"
./scanline simulate --seed 2 --count 3000 --out "$work/test-seed2.npz"
./scanline evaluate "$here" --data "$work/test-seed2.npz" --split all --label-key labels_true --out "$work/evaluation"
echo "rebuilt $here from $run; evaluation in $work/evaluation"
