#!/usr/bin/env bash
# Trains the model shipped inside the app (ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors)
# with the project's own `ser train`, speaker-independent: RAVDESS actors 19-24 are the test speakers and are
# never trained on or selected on. The bundled model is an ensemble of three models of configuration F
# (docs/results.md), each validated on other actors: 16-18 (seed 42), 10-12 (seed 2), 04-06 (seed 3); each trains
# on the other 15 of actors 1-18 and picks its best epoch on its own 3 validation actors. `ser ensemble` joins
# them into one file that predicts with the mean of their probabilities.
#   scripts/train-bundled-model.sh [RUNS_DIR]      (default runs/bundled; needs ../shared/datasets/ravdess;
#                                                   about 10 minutes a member on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-runs/bundled}
data="$root/../shared/datasets/ravdess"
[ -d "$data" ] || { echo "no RAVDESS copy at $data" >&2; exit 1; }
members=()
for member in 16,17,18:42 10,11,12:2 04,05,06:3; do
  val=${member%%:*} seed=${member##*:}
  run="$runs/val-${val//,/-}"
  members+=("$run/model.safetensors")
  [ -f "$run/model.safetensors" ] && { echo "kept $run (already trained)"; continue; }
  "$root/ser" train "$data" --out "$run" \
    --split holdout --test-speakers ravdess:19,ravdess:20,ravdess:21,ravdess:22,ravdess:23,ravdess:24 \
    --val-speakers "$(sed 's/\([0-9][0-9]*\)/ravdess:\1/g' <<<"$val")" --seed "$seed" \
    --normalize utterance --augment specaugment --speed-perturb 0.9,1.0,1.1 --hidden 128 --layers 2 --bidirectional --dropout 0.3 \
    --pooling attention --dense 64 --epochs 60 --patience 20 --lr 1e-3 --weight-decay 0.05 --max-frames 240
done
"$root/ser" ensemble --out "$runs/ensemble.safetensors" --tta 0.9,1.0,1.1 "${members[@]}"
mkdir -p "$root/ser-app/src/main/resources/dev/ser/app/bundled"
cp "$runs/ensemble.safetensors" "$root/ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors"
echo "bundled: $runs/ensemble.safetensors -> ser-app/src/main/resources/dev/ser/app/bundled/model.safetensors"
