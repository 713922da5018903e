#!/usr/bin/env bash
# Idle-machine measurements for issue 10, 2026-12-06 (third session). Run from a detached worktree.
set -u
cd /work/wt-idle5
export DISTILLERY_JAVA_OPTS=-Xmx3g
O=runs/idle5
R=/work/wt-bench/runs
mkdir -p $O
L=$O/log
log() { echo "$1 rc=$2 $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $L; }
log start 0
./distillery export --model $R/student-export --ort-fused --out runs/student-fused < /dev/null > $O/exports.txt 2>&1
./distillery export --model $R/student-export --ort-fused --int8 --out runs/student-fused-int8 < /dev/null >> $O/exports.txt 2>&1
./distillery export --model models/generator --ort-fused --out runs/gen-fused < /dev/null >> $O/exports.txt 2>&1
./distillery export --model models/generator --ort-fused --int8 --out runs/gen-fused-int8 < /dev/null >> $O/exports.txt 2>&1
log exports $?
./distillery bench generator --model runs/gen-fused-int8 --baseline models/generator --texts models/build/general/corpus.jsonl --threads 2 --reps 5 --out $O/gen-fused-int8 < /dev/null > $O/gen-fused-int8.md 2> $O/gen-fused-int8.err
log gen-fused-int8 $?
./distillery bench generator --model runs/gen-fused --baseline models/generator --texts models/build/general/corpus.jsonl --threads 2 --reps 5 --out $O/gen-fused < /dev/null > $O/gen-fused.md 2> $O/gen-fused.err
log gen-fused $?
./distillery bench generator --model $R/gen-int8 --baseline models/generator --threads 2 --reps 5 --out $O/gen-int8 < /dev/null > $O/gen-int8.md 2> $O/gen-int8.err
log gen-int8 $?
for i in 1 2 3 4 5; do
./distillery bench --teacher models/build/teachers/sentiment --student $R/student-export $R/student-export-int8 runs/student-fused runs/student-fused-int8 --data models/data/sentiment/test.jsonl --out $O/student-$i < /dev/null > $O/student-$i.md 2> $O/student-$i.err
log student-$i $?
done
./distillery bench generator --model runs/gen-fused-int8 --baseline models/generator --threads 2 --reps 5 --out $O/gen-fused-int8-b < /dev/null > $O/gen-fused-int8-b.md 2> $O/gen-fused-int8-b.err
log gen-fused-int8-b $?
./distillery bench synth --generator models/generator --teacher models/build/teachers/sentiment --samples 1000 --reps 5 --draw-ahead --ahead-batch-sizes 128 --label-teacher $R/teacher-int8 --out $O/synth.json < /dev/null > $O/synth.md 2> $O/synth.err
log synth $?
log done 0
