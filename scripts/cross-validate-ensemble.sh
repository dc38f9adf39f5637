#!/usr/bin/env bash
# The cross-validation of an ensemble: fold K's models of several scripts/cross-validate.sh runs, joined (the mean
# of their class probabilities, as `ser evaluate --model A,B` does), evaluated on fold K's test actors, with and
# without test-time speeds. Prints each fold's and the mean accuracy and UAR, as scripts/cross-validate.sh does.
#   scripts/cross-validate-ensemble.sh OUT_DIR RUNS_DIR RUNS_DIR...
# e.g. a fold's model beside its refit twin (docs/results.md):
#   scripts/cross-validate-ensemble.sh runs/cv-pair runs/cv-speaker-256 runs/cv-speaker-256-refit
# Every RUNS_DIR must hold fold-0 .. fold-4 with the same test actors per fold (the same --folds and --seed);
# a fold whose test actors differ between the runs stops the script. SER=path/to/ser runs another launcher.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR RUNS_DIR RUNS_DIR... (at least two runs to join)" >&2; exit 2; }
out=$1
shift
data="$root/../shared/datasets/ravdess"
ser=${SER:-$root/ser}
[ -d "$data" ] || { echo "no RAVDESS copy at $data" >&2; exit 1; }
test_speakers() { awk '/"test": \{/ {t = 1} t && /"speakers":/ {print; exit}' "$1" | grep -o 'ravdess:[0-9]*' | sed 's/ravdess://' | paste -sd, -; }
number() { grep -o "\"$1\": [0-9.eE-]*" "$2" | head -1 | awk '{print $2}'; }
for fold in 0 1 2 3 4; do
  first="$1/fold-$fold/split.json"
  for runs in "$@"; do
    [ -f "$runs/fold-$fold/model.safetensors" ] || { echo "no $runs/fold-$fold/model.safetensors (train it with scripts/cross-validate.sh $runs ...)" >&2; exit 1; }
    [ "$(test_speakers "$runs/fold-$fold/split.json")" = "$(test_speakers "$first")" ] ||
      { echo "fold $fold: $runs tests other actors than $1 (different --folds or --seed?)" >&2; exit 1; }
  done
done
mkdir -p "$out"
printf '%-8s %-28s %-10s %-10s\n' fold "test speakers" accuracy UAR
for tta in 1 0.9,1.0,1.1; do
  for fold in 0 1 2 3 4; do
    models=$(for runs in "$@"; do echo "$runs/fold-$fold/model.safetensors"; done | paste -sd, -)
    eval_dir="$out/fold-$fold/eval-tta-${tta//,/-}"
    mkdir -p "$eval_dir"
    "$ser" evaluate --model "$models" "$data" --split-file "$1/fold-$fold/split.json" --part test --tta "$tta" \
      --out "$eval_dir" > "$eval_dir/log.txt" 2>&1 || { echo "fold $fold: ser evaluate failed; see $eval_dir/log.txt" >&2; exit 1; }
    printf '%-8s %-28s %-10.4f %-10.4f\n' "$fold" "$(test_speakers "$1/fold-$fold/split.json")" \
      "$(number accuracy "$eval_dir/evaluation.json")" "$(number uar "$eval_dir/evaluation.json")"
  done | tee "$out/folds-tta-${tta//,/-}.txt"
  awk -v tta="$tta" '{a+=$3; u+=$4; aa+=$3*$3; uu+=$4*$4; n++} END {
    printf "mean over %d folds (test-time speeds %s): accuracy %.4f (sd %.4f), UAR %.4f (sd %.4f)\n\n", n, tta, a/n, sqrt((aa-a*a/n)/(n-1)), u/n, sqrt((uu-u*u/n)/(n-1)) }' \
    "$out/folds-tta-${tta//,/-}.txt"
done
echo "models joined per fold: $*" > "$out/members.txt"
