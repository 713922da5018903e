#!/usr/bin/env bash
# Fills the README's results table: for each demo task and seed, the teacher and three students
# (data-driven KD on the real train split, data-free from template prompts + the demo generator,
# data-free from the raw general-domain corpus), each scored on the task's TEST split by
# `distillery bench`. Settings are the example configs' (chosen on dev). Prints mean ± std per cell
# and writes runs/results/results.json.
#
#   scripts/results.sh [seeds...]        default seeds: 1 2 3; TASKS="sentiment" limits the tasks
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ $# -gt 0 ]; then SEEDS=("$@"); else SEEDS=(1 2 3); fi
read -r -a TASKS <<< "${TASKS:-sentiment spam}"   # e.g. TASKS=sentiment scripts/results.sh 1
OUT=runs/results
mkdir -p "$OUT"

./distillery models build >&2
[ -f models/build/general/corpus.jsonl ] || ./distillery models corpus >&2

declare -A DESC=(
  [sentiment]="Is a short English review sentence about a product, a movie or a restaurant negative or positive?"
  [spam]="Is an English email (its subject line and first 200 words) legitimate mail (ham) or unsolicited bulk mail (spam)?")
declare -A LABELS=([sentiment]="[negative, positive]" [spam]="[ham, spam]")
declare -A DATA=([sentiment]=models/data/sentiment [spam]=models/build/data/spam)
declare -A SAMPLES=([sentiment]=4000 [spam]=4000)
# emails are long (subject + 200 words): raise the synth length filter for spam
declare -A LENGTH=([sentiment]="" [spam]=", max_chars: 4000, max_words: 400")

config() { # task row seed -> path of a config file
  local task=$1 row=$2 seed=$3 file="$OUT/$1-$2-$3.yaml" source
  case $row in
    data_driven) source="{kind: raw_corpus, corpus: ${DATA[$task]}/train.jsonl, unit: line}" ;;
    template)    source="{kind: generator, generator: models/generator}" ;;
    raw_corpus)  source="{kind: raw_corpus, corpus: models/build/general/corpus.jsonl}" ;;
  esac
  local samples=${SAMPLES[$task]}
  # the data-driven row uses each real train text once (those that pass the length filters)
  [ "$row" = data_driven ] && samples=$(( $(wc -l < "${DATA[$task]}/train.jsonl") * 85 / 100 ))
  cat > "$file" <<YAML
task: {labels: ${LABELS[$task]}, description: "${DESC[$task]}"}
teacher: models/build/teachers/$task
source: $source
out: $OUT/$task-$row-$seed
seed: $seed
synth: {samples: $samples, shard_size: 500, rebalance: $([ "$row" = data_driven ] && echo false || echo true)${LENGTH[$task]}}
distill: {epochs: 10}
dev: ${DATA[$task]}/dev.jsonl
bench: {data: ${DATA[$task]}/test.jsonl, threads: 1, latency_runs: 200}
YAML
  echo "$file"
}

for task in "${TASKS[@]}"; do
  for row in data_driven template raw_corpus; do
    if [ "$row" = template ] && [ ! -f models/generator/model.onnx ]; then
      echo "skip $task/$row: no demo generator in models/generator (see README)" >&2
      continue
    fi
    for seed in "${SEEDS[@]}"; do
      ./distillery run "$(config "$task" "$row" "$seed")" >&2
    done
  done
done

# Collect: teacher and student test accuracy from every bench report.
python3 scripts/results_table.py "$OUT"
