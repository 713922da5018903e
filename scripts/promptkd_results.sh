#!/usr/bin/env bash
# Fills the README's PromptKD table. A fresh 2-layer d=128 student is fine-tuned on the reference
# continuations once (the SFT init, INIT_STEPS steps at batch 16, seed 1); from that same init,
# for each training seed, each method trains STEPS steps (the same batches for every method of a
# seed): sft (continued), word-kd, seq-kd, reverse-kl (no prompt) and prompt-kd. Then `distillery promptkd eval` scores the teacher and
# every student on PREFIXES held-out prefixes (documents kept out of every training set) with
# SAMPLING_SEEDS samples each, and benches teacher vs student tokens/s in the same run.
#
#   scripts/promptkd_results.sh [seeds...]    default seeds: 1 2 3
#   INIT_STEPS=1000 STEPS=100 PREFIXES=500 SAMPLING_SEEDS=5 OUT=runs/promptkd
#   METHODS="sft word-kd seq-kd reverse-kl prompt-kd"
#   ABLATIONS="prompt-lr-1e-2 k1 k20 reg-constant reg-off"   PromptKD variants, seed ABLATION_SEED
#                                     (default 1), same init and budget, rows of the same table
#   VARIANTS="reg-constant prompt-lr-1e-2"   ablations also trained on the other seeds (one row each)
# Every training run is resumable: rerunning the script skips finished runs and resumes the rest.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ $# -gt 0 ]; then SEEDS=("$@"); else SEEDS=(1 2 3); fi
INIT_STEPS="${INIT_STEPS:-1000}"
STEPS="${STEPS:-100}"
PREFIXES="${PREFIXES:-500}"
SAMPLING_SEEDS="${SAMPLING_SEEDS:-5}"
OUT="${OUT:-runs/promptkd}"
read -r -a METHODS <<< "${METHODS:-sft word-kd seq-kd reverse-kl prompt-kd}"
mkdir -p "$OUT"
[ -f models/build/general/corpus.jsonl ] || ./distillery models corpus >&2

train() { # out, args...
  local out="$1"; shift
  if [ -f "$out/model.onnx" ]; then echo "[promptkd_results] $out done, skipped" >&2; return; fi
  ./distillery promptkd --out "$out" "$@" >&2
}

STUDENTS=()
init="$OUT/sft-init"
train "$init" --method sft --steps "$INIT_STEPS" --lr 1e-3 --batch-size 16 --warmup 50 --seed 1 \
  --checkpoint-every 100
for seed in "${SEEDS[@]}"; do
  for m in "${METHODS[@]}"; do
    train "$OUT/seed$seed/$m" --method "$m" --student-init "$init" --steps "$STEPS" --warmup 10 \
      --seed "$seed"
    STUDENTS+=(--student "$m=$OUT/seed$seed/$m")
  done
done
ABLATION_SEED="${ABLATION_SEED:-1}"
read -r -a ABLATIONS <<< "${ABLATIONS-prompt-lr-1e-2 k1 k20 reg-constant reg-off}"
for a in "${ABLATIONS[@]}"; do
  case "$a" in
    prompt-lr-1e-2) args=(--prompt-lr 1e-2) ;;
    k1) args=(--prompt-tokens 1) ;;
    k20) args=(--prompt-tokens 20) ;;
    reg-constant) args=(--regulariser constant) ;;
    reg-off) args=(--regulariser off) ;;
    *) echo "unknown ablation $a" >&2; exit 2 ;;
  esac
  train "$OUT/ablation/$a" --method prompt-kd --student-init "$init" --steps "$STEPS" --warmup 10 \
    --seed "$ABLATION_SEED" "${args[@]}"
  STUDENTS+=(--student "prompt-kd, $a=$OUT/ablation/$a")
done
# Variants: ablations also trained on every other seed, so their rows are means over the seeds
# (the README's constant-regulariser and 10x-prompt-lr rows). Chosen from the one-seed ablation.
read -r -a VARIANTS <<< "${VARIANTS-reg-constant prompt-lr-1e-2}"
for a in "${VARIANTS[@]}"; do
  case "$a" in
    prompt-lr-1e-2) args=(--prompt-lr 1e-2) ;;
    reg-constant) args=(--regulariser constant) ;;
    *) echo "unknown variant $a" >&2; exit 2 ;;
  esac
  for seed in "${SEEDS[@]}"; do
    [ "$seed" = "$ABLATION_SEED" ] && continue # the ablation run is this seed's
    train "$OUT/variants/seed$seed/$a" --method prompt-kd --student-init "$init" --steps "$STEPS" \
      --warmup 10 --seed "$seed" "${args[@]}"
    STUDENTS+=(--student "prompt-kd, $a=$OUT/variants/seed$seed/$a")
  done
done
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
  echo "seeds: ${SEEDS[*]}  init steps: $INIT_STEPS  steps: $STEPS  prefixes: $PREFIXES  sampling seeds: $SAMPLING_SEEDS"
} > "$OUT/conditions.txt"
./distillery promptkd eval --student "sft-init=$init" --prefixes "$PREFIXES" --sampling-seeds "$SAMPLING_SEEDS" \
  --out "$OUT" "${STUDENTS[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"
