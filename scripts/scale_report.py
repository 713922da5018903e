"""Samples/s and peak RSS of a scripts/scale-run.sh folder at 10k, 50k and 100k samples.

Rates come from the shards' commit times (file mtimes; shards of 1,000): over shards 2-10 (the
first includes start-up), 41-50 and 91-100. RSS is VmHWM from rss.txt when that many shards were
committed."""
import glob
import json
import os
import sys

d = sys.argv[1]
shards = sorted(glob.glob(os.path.join(d, "corpus", "shard-*.jsonl")))
t = [os.path.getmtime(s) for s in shards]
# rss.txt lines: epoch "VmHWM:" kB "VmRSS:" kB committed-shards
rss = [l.split() for l in open(os.path.join(d, "rss.txt")) if len(l.split()) == 6]
start = float(rss[0][0]) - 3  # the launcher started about 3 s before the first sample


def peak_at(k):
    for r in rss:
        if int(r[5]) >= k:
            return int(r[2]) / 1024
    return int(rss[-1][2]) / 1024


out = {}
for k in (10, 50, 100):
    if len(t) >= k:
        first = 0 if k == 10 else k - 11  # the window's first shard commit
        rate = (k - 1 - first) * 1000 / (t[k - 1] - t[first])
        out[k] = dict(window_samples_per_s=round(rate, 1),
                      cumulative_samples_per_s=round(k * 1000 / (t[k - 1] - start), 1),
                      peak_rss_mb=round(peak_at(k)))
out["peak_rss_mb"] = round(max(int(r[2]) for r in rss) / 1024)
out["shards"] = len(shards)
print(json.dumps(out, indent=1))
