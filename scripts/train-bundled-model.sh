#!/usr/bin/env bash
# Trains the two model files shipped inside the app (ser-app/src/main/resources/dev/ser/app/bundled/) with the
# project's own `ser train`, speaker-independent: RAVDESS actors 19-24 are the test speakers and are never trained
# on or selected on (docs/results.md gives the figures).
#   model.safetensors          the default: an ensemble of six models of configuration M (F with --mixup 0.4), each
#                              validated on three other actors of 1-18: 16-18 (seed 42), 10-12 (2), 04-06 (3), 13-15 (4),
#                              07-09 (5), 01-03 (6); each trains on the other 15 and picks its best epoch on its own 3
#                              validation actors. Predicts with the mean over the members and over the clip heard at
#                              speeds 0.9, 1.0 and 1.1.
#   speaker-model.safetensors  six models of configuration F (no mixup) with the pitch feature, speaker-level
#                              normalization and a wider LSTM (--feature mfcc,mel,chroma,pitch --deltas --normalize
#                              speaker --hidden 256), on the same six folds and seeds; each then refit (--refit) on
#                              all 18 actors for its best epoch; no test-time speeds, weights stored as float16
#                              (`ser ensemble --weights float16`); each member adapts to each speaker's clips by
#                              information maximization (`--adapt im`); `ser predict --speakers` uses it.
#   scripts/train-bundled-model.sh [RUNS_DIR]      (default runs/bundled; needs ../shared/datasets/ravdess;
#                                                   on 2 cores about 10 minutes a default member, 21 a speaker
#                                                   member and 16 its refit; eighteen runs)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-runs/bundled}
data="$root/../shared/datasets/ravdess"
bundled="$root/ser-app/src/main/resources/dev/ser/app/bundled"
[ -d "$data" ] || { echo "no RAVDESS copy at $data" >&2; exit 1; }
# members DIR "VAL:SEED ..." TRAIN_OPTION...: trains the members (kept when already trained), prints their model files.
# With REFIT_OF=DIR2, each member is the refit of DIR2's member of the same fold (its options, its best epoch).
members() {
  local dir=$1 folds=$2
  shift 2
  for member in $folds; do
    local val=${member%%:*} seed=${member##*:}
    local run="$dir/val-${val//,/-}"
    local refit=()
    [ -z "${REFIT_OF:-}" ] || refit=(--refit "$REFIT_OF/val-${val//,/-}")
    if [ ! -f "$run/model.safetensors" ]; then
      "$root/ser" train "$data" --out "$run" \
        --split holdout --test-speakers ravdess:19,ravdess:20,ravdess:21,ravdess:22,ravdess:23,ravdess:24 \
        --val-speakers "$(sed 's/\([0-9][0-9]*\)/ravdess:\1/g' <<<"$val")" --seed "$seed" \
        --augment specaugment --speed-perturb 0.9,1.0,1.1 --layers 2 --bidirectional --dropout 0.3 \
        --pooling attention --dense 64 --epochs 60 --patience 20 --lr 1e-3 --weight-decay 0.05 --max-frames 240 "$@" \
        ${refit[@]+"${refit[@]}"} >&2
    fi
    echo "$run/model.safetensors"
  done
}
folds="16,17,18:42 10,11,12:2 04,05,06:3 13,14,15:4 07,08,09:5 01,02,03:6"
mapfile -t utterance < <(members "$runs" "$folds" --hidden 128 --normalize utterance --mixup 0.4)
speaker_options=(--hidden 256 --normalize speaker --feature mfcc,mel,chroma,pitch --deltas)
mapfile -t validated < <(members "$runs/speaker-h256" "$folds" "${speaker_options[@]}")
for m in "${validated[@]}"; do [ -f "$m" ] || { echo "no $m: its training failed (see above)" >&2; exit 1; }; done
mapfile -t speaker < <(REFIT_OF="$runs/speaker-h256" members "$runs/speaker-h256-refit" "$folds" "${speaker_options[@]}")
for m in "${utterance[@]}" "${speaker[@]}"; do [ -f "$m" ] || { echo "no $m: its training failed (see above)" >&2; exit 1; }; done
[ "${#utterance[@]}" -eq 6 ] && [ "${#speaker[@]}" -eq 6 ] || { echo "a member's training failed (see above)" >&2; exit 1; }
"$root/ser" ensemble --out "$runs/ensemble.safetensors" --tta 0.9,1.0,1.1 "${utterance[@]}"
"$root/ser" ensemble --out "$runs/speaker-h256-refit/ensemble.safetensors" --weights float16 --adapt im "${speaker[@]}"
mkdir -p "$bundled"
cp "$runs/ensemble.safetensors" "$bundled/model.safetensors"
cp "$runs/speaker-h256-refit/ensemble.safetensors" "$bundled/speaker-model.safetensors"
echo "bundled: $runs/ensemble.safetensors -> $bundled/model.safetensors, $runs/speaker-h256-refit/ensemble.safetensors -> $bundled/speaker-model.safetensors"
