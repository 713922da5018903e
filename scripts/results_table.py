#!/usr/bin/env python3
"""Prints the README results table (mean +- std over seeds) from every runs/results/*/bench/report.json
and writes runs/results/results.json. Usage: scripts/results_table.py [runs/results]"""
import json, glob, os, statistics, sys
out = sys.argv[1] if len(sys.argv) > 1 else "runs/results"
cells = {}
for f in sorted(glob.glob(os.path.join(out, "*", "bench", "report.json"))):
    task, row, seed = os.path.basename(os.path.dirname(os.path.dirname(f))).rsplit("-", 2)
    r = json.load(open(f))
    teacher, student = r["models"][0], r["models"][1]
    cells.setdefault((task, "teacher"), {})[seed] = teacher["accuracy"]
    cells.setdefault((task, row), {})[seed] = student["accuracy"]
def fmt(v):
    if not v: return "not run"
    xs = list(v.values())
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{statistics.mean(xs):.4f} ± {sd:.4f} (n={len(xs)})"
rows = [("teacher", "teacher"), ("data_driven", "student, data-driven KD"),
        ("template", "student, data-free, template prompts"),
        ("raw_corpus", "student, data-free, raw general-domain corpus")]
print("| | sentiment test acc | spam test acc |\n|---|---|---|")
for key, name in rows:
    print(f"| {name} | {fmt(cells.get(('sentiment', key)))} | {fmt(cells.get(('spam', key)))} |")
json.dump({f"{t}/{k}": v for (t, k), v in cells.items()}, open(os.path.join(out, "results.json"), "w"), indent=2)
