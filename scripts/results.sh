#!/usr/bin/env bash
# Fills the README's results table: for each demo task, row and seed, one `distillery run` whose
# student is scored on the task's TEST split by `distillery bench` (the test split is read only
# there). Data-free rows read no real task text: model selection uses a held-out 10% of the
# synthetic corpus (teacher labels). Only the data_driven row uses the real train and dev splits.
# Every row writes 4,000 corpus samples (data_driven: each real train text once).
#
#   scripts/results.sh [seeds...]     default seeds: 1 2 3
#   TASKS="sentiment spam"            tasks (default both)
#   ROWS="template raw_corpus ..."    rows (default all): data_driven template raw_corpus
#                                     raw_teacher raw_guided prompter categorical t3 t3_prompter
#                                     categorical_no_disagreement categorical_no_novelty
#                                     mix_template mix_categorical (half teacher-chosen corpus
#                                     sentences, half generated: source.mix)
#   OUT=runs/results                  where the run folders go
# Prints mean ± std per cell and writes $OUT/results.json (scripts/results_table.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ $# -gt 0 ]; then SEEDS=("$@"); else SEEDS=(1 2 3); fi
read -r -a TASKS <<< "${TASKS:-sentiment spam}"
read -r -a ROWS <<< "${ROWS:-data_driven template raw_corpus raw_teacher categorical}"
OUT="${OUT:-runs/results}"
mkdir -p "$OUT"

[ -d models/build/teachers/sentiment ] && [ -d models/build/teachers/spam ] || ./distillery models build >&2
[ -f models/build/general/corpus.jsonl ] || ./distillery models corpus >&2

declare -A DESC=(
  [sentiment]="Is a short English review sentence about a product, a movie or a restaurant negative or positive?"
  [spam]="Is an English email (its subject line and first 200 words) legitimate mail (ham) or unsolicited bulk mail (spam)?")
declare -A LABELS=([sentiment]="[negative, positive]" [spam]="[ham, spam]")
declare -A DATA=([sentiment]=models/data/sentiment [spam]=models/build/data/spam)
# emails are long (subject + 200 words): raise the synth length filter for spam
declare -A LENGTH=([sentiment]="" [spam]=", max_chars: 4000, max_words: 400")
GEN="{kind: generator, generator: models/generator}"
RAW="{kind: raw_corpus, corpus: models/build/general/corpus.jsonl"

config() { # task row seed -> path of a config file
  local task=$1 row=$2 seed=$3 file="$OUT/$1-$2-$3.yaml" source prompts="" dev="" samples=4000
  case $row in
    data_driven) source="{kind: raw_corpus, corpus: ${DATA[$task]}/train.jsonl, unit: line}"
                 dev="dev: ${DATA[$task]}/dev.jsonl"
                 samples=$(( $(wc -l < "${DATA[$task]}/train.jsonl") * 85 / 100 )) ;;
    template)    source="$GEN" ;;
    raw_corpus)  source="$RAW}" ;;
    raw_teacher) source="$RAW, select: teacher_confident}" ;;
    raw_guided)  source="$RAW, select: student_guided}" ;;
    categorical) source="$GEN"; prompts="prompts: {kind: categorical}" ;;
    prompter)    source="$GEN"; prompts="prompts: {kind: prompter}" ;;
    t3)          source="$GEN"; prompts="generator_tuning: {kind: t3, corpus: models/build/general/corpus.jsonl}" ;;
    t3_prompter) source="$GEN"; prompts="generator_tuning: {kind: t3, corpus: models/build/general/corpus.jsonl}
prompts: {kind: prompter}" ;;
    mix_template) source="{kind: generator, generator: models/generator, mix: {corpus: models/build/general/corpus.jsonl}}" ;;
    mix_categorical) source="{kind: generator, generator: models/generator, mix: {corpus: models/build/general/corpus.jsonl}}"
                 prompts="prompts: {kind: categorical}" ;;
    categorical_no_disagreement) source="$GEN"; prompts="prompts: {kind: categorical, reward: {disagreement: 0}}" ;;
    categorical_no_novelty) source="$GEN"; prompts="prompts: {kind: categorical, reward: {novelty: 0}}" ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
  cat > "$file" <<YAML
task: {labels: ${LABELS[$task]}, description: "${DESC[$task]}"}
teacher: models/build/teachers/$task
source: $source
$prompts
out: $OUT/$task-$row-$seed
seed: $seed
synth: {samples: $samples, shard_size: 500, batch_size: 32, rebalance: $([ "$row" = data_driven ] && echo false || echo true)${LENGTH[$task]}}
distill: {epochs: 10, threads: 1}
$dev
bench: {data: ${DATA[$task]}/test.jsonl, threads: 1, latency_runs: 200}
YAML
  echo "$file"
}

for task in "${TASKS[@]}"; do
  for row in "${ROWS[@]}"; do
    for seed in "${SEEDS[@]}"; do
      dir="$OUT/$task-$row-$seed"
      [ -f "$dir/bench/report.json" ] && continue
      start=$(date +%s)
      ./distillery run "$(config "$task" "$row" "$seed")" > "$OUT/$task-$row-$seed.log" 2>&1 \
        || { echo "FAILED: $task $row $seed (see $OUT/$task-$row-$seed.log)" >&2; continue; }
      echo "$(( $(date +%s) - start ))" > "$dir/wall_seconds"
      echo "done: $task $row $seed in $(cat "$dir/wall_seconds") s" >&2
    done
  done
done

python3 scripts/results_table.py "$OUT"
