#!/usr/bin/env bash
set -u
cd /work/wt-idle5
export DISTILLERY_JAVA_OPTS=-Xmx3g
O=runs/idle6; mkdir -p $O; L=$O/log
log() { echo "$1 rc=$2 $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $L; }
log start 0
for r in 1 2; do for b in 16 32; do
./distillery bench batching --model models/build/teachers/sentiment --data models/data/sentiment/train.jsonl --limit 1000 --threads 2 --reps 5 --batch-size $b --out $O/batching-$b-$r.json < /dev/null > $O/batching-$b-$r.md 2> $O/batching-$b-$r.err
log batching-$b-$r $?
done; done
