#!/usr/bin/env bash
# Memory and scale (README "Reliability"): synthesize and label SAMPLES samples with the demo
# generator and sentiment teacher, the JVM capped at -Xmx1g, sampling the process's RSS and peak RSS
# (/proc/PID/status VmRSS, VmHWM) every 2 s beside the committed shard count; then
# scripts/scale_report.py prints samples/s over shards 2-10, 41-50 and 91-100 (from the shards'
# commit times) and the peak RSS at 10k, 50k, 100k.
#
#   scripts/scale-run.sh            SAMPLES=100000 OUT=runs/scale100k
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SAMPLES="${SAMPLES:-100000}"
O="${OUT:-runs/scale100k}"
rm -rf "$O"; mkdir -p "$O"
echo "start $(date -u +%FT%T) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$O/log"
DISTILLERY_JAVA_OPTS=-Xmx1g ./distillery synth --generator models/generator \
  --teacher models/build/teachers/sentiment --description "A one-sentence product or movie review." \
  --samples "$SAMPLES" --out "$O/corpus" --json < /dev/null > "$O/summary.json" 2> "$O/synth.err" &
LPID=$!
sleep 3
JPID=$(pgrep -f "io.distillery.cli.Distillery synth" | head -1)
echo "java pid $JPID" >> "$O/log"
while kill -0 "$LPID" 2>/dev/null; do
  if [ -r "/proc/$JPID/status" ]; then
    echo "$(date +%s) $(awk '/VmRSS|VmHWM/{printf "%s %s ", $1, $2}' "/proc/$JPID/status") $(ls "$O/corpus" 2>/dev/null | grep -c '^shard-')" >> "$O/rss.txt"
  fi
  sleep 2
done
wait "$LPID"
echo "rc=$? end $(date -u +%FT%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$O/log"
python3 scripts/scale_report.py "$O"
