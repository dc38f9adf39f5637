#!/usr/bin/env bash
# 5-fold cross-validation by actor of the bundled model's configuration (F, docs/results.md) on RAVDESS: every
# actor is a test speaker exactly once. Fold K: `--split kfold --folds 5 --fold K` (4-5 test actors, 4 validation
# actors drawn from the rest, gender-balanced, seed 42), one model trained per fold; each is evaluated on its own
# test actors with and without test-time speeds. Prints each fold's and the mean accuracy and UAR.
#   scripts/cross-validate.sh [RUNS_DIR [TRAIN_OPTION...]]   (default runs/cv; 10-20 minutes a fold on 2 cores;
#                                              folds already trained are kept, so an interrupted run continues)
# TRAIN_OPTIONs are added to every fold's `ser train`, and one that is also among the defaults below replaces the
# default: `scripts/cross-validate.sh runs/cv-mixup --mixup 0.4` is configuration M, the bundled model's since it
# replaced F (without options: F); `scripts/cross-validate.sh runs/cv-speaker-256 --normalize speaker --feature
# mfcc,mel,chroma,pitch --deltas --hidden 256` is the bundled speaker-level model's configuration (each fold's test
# actors are then normalized over their own unlabelled clips). SER=path/to/ser runs another launcher (a frozen jar).
# REFIT_OF=RUNS_DIR2 refits each fold (`ser train --refit RUNS_DIR2/fold-K`: training and validation actors, for the
# best epoch of RUNS_DIR2's fold K, which must have been trained with the same options).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-runs/cv}
shift $(( $# > 0 ? 1 : 0 ))
data="$root/../shared/datasets/ravdess"
ser=${SER:-$root/ser}
defaults=(--normalize utterance --augment specaugment --speed-perturb 0.9,1.0,1.1 --hidden 128 --layers 2
  --dropout 0.3 --pooling attention --dense 64 --epochs 60 --patience 20 --lr 1e-3
  --weight-decay 0.05 --max-frames 240)
options=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  given=0
  for option in "$@"; do [ "${option%%=*}" = "${defaults[i]}" ] && given=1; done
  [ $given = 1 ] || options+=("${defaults[i]}" "${defaults[i + 1]}")
done
[ -d "$data" ] || { echo "no RAVDESS copy at $data" >&2; exit 1; }
for fold in 0 1 2 3 4; do
  run="$runs/fold-$fold"
  [ -f "$run/model.safetensors" ] && { echo "kept $run (already trained)"; continue; }
  refit=()
  [ -z "${REFIT_OF:-}" ] || refit=(--refit "$REFIT_OF/fold-$fold")
  "$ser" train "$data" --out "$run" --split kfold --folds 5 --fold "$fold" --seed 42 --bidirectional "${options[@]}" "$@" \
    ${refit[@]+"${refit[@]}"}
done
number() { grep -o "\"$1\": [0-9.eE-]*" "$2" | head -1 | awk '{print $2}'; }
printf '%-8s %-28s %-10s %-10s\n' fold "test speakers" accuracy UAR
for tta in 1 0.9,1.0,1.1; do
  for fold in 0 1 2 3 4; do
    run="$runs/fold-$fold" out="$runs/fold-$fold/eval-tta-${tta//,/-}"
    mkdir -p "$out"
    "$ser" evaluate --model "$run/model.safetensors" "$data" --split-file "$run/split.json" --part test --tta "$tta" \
      --out "$out" > "$out/log.txt" 2>&1 || { echo "fold $fold: ser evaluate failed; see $out/log.txt" >&2; exit 1; }
    speakers=$(awk '/"test": \{/ {t = 1} t && /"speakers":/ {print; exit}' "$run/split.json" | grep -o 'ravdess:[0-9]*' | sed 's/ravdess://' | paste -sd, -)
    printf '%-8s %-28s %-10.4f %-10.4f\n' "$fold" "$speakers" "$(number accuracy "$out/evaluation.json")" "$(number uar "$out/evaluation.json")"
  done | tee "$runs/folds-tta-${tta//,/-}.txt"
  awk -v tta="$tta" '{a+=$3; u+=$4; aa+=$3*$3; uu+=$4*$4; n++} END {
    printf "mean over %d folds (test-time speeds %s): accuracy %.4f (sd %.4f), UAR %.4f (sd %.4f)\n\n", n, tta, a/n, sqrt((aa-a*a/n)/(n-1)), u/n, sqrt((uu-u*u/n)/(n-1)) }' \
    "$runs/folds-tta-${tta//,/-}.txt"
done
