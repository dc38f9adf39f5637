#!/usr/bin/env bash
# Trains the model shipped inside the app (ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors)
# with the project's own `ser train`, speaker-independent: RAVDESS actors 19-24 are the test speakers,
# 16-18 the validation speakers (best epoch), 1-15 the training speakers. docs/results.md gives the figures
# (configuration F: D plus speed perturbation, seed 42; the bundled file is run F of docs/results.md).
#   scripts/train-bundled-model.sh [RUN_DIR]      (default runs/bundled; needs ../shared/datasets/ravdess)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
run=${1:-runs/bundled}
data="$root/../shared/datasets/ravdess"
[ -d "$data" ] || { echo "no RAVDESS copy at $data" >&2; exit 1; }
"$root/ser" train "$data" --out "$run" \
  --split holdout --test-speakers ravdess:19,ravdess:20,ravdess:21,ravdess:22,ravdess:23,ravdess:24 \
  --val-speakers ravdess:16,ravdess:17,ravdess:18 \
  --normalize utterance --augment specaugment --speed-perturb 0.9,1.0,1.1 --hidden 128 --layers 2 --bidirectional --dropout 0.3 \
  --pooling attention --dense 64 --epochs 60 --patience 20 --lr 1e-3 --weight-decay 0.05 --max-frames 240 "${@:2}"
mkdir -p "$root/ser-app/src/main/resources/dev/ser/app/bundled"
cp "$run/model.safetensors" "$root/ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors"
echo "bundled: $run/model.safetensors -> ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors"
