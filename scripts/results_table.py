#!/usr/bin/env python3
"""Prints the README results table from every run folder under runs/results (or the given folder):
test accuracy mean ± std over seeds per task, corpus distinct-2, the teacher's majority-label share
among labelled candidates (before rebalancing), and wall time per run. Writes results.json there.
Usage: scripts/results_table.py [runs/results]"""
import glob, json, os, re, statistics, sys

out = sys.argv[1] if len(sys.argv) > 1 else "runs/results"
ROWS = [("teacher", "teacher"),
        ("template", "template prompts"),
        ("raw_corpus", "raw general corpus"),
        ("raw_teacher", "raw corpus, teacher-chosen sentences"),
        ("raw_guided", "raw corpus, student-guided selection (learned)"),
        ("prompter", "PromptDFD prompter (GPT policy)"),
        ("categorical", "categorical prompter (ablation)"),
        ("categorical_no_disagreement", "categorical prompter, no disagreement term"),
        ("categorical_no_novelty", "categorical prompter, no novelty term"),
        ("t3", "DFKD-T3 tuned generator"),
        ("t3_prompter", "T3 generator + prompter"),
        ("mix_template", "template prompts + teacher-chosen corpus sentences, half each"),
        ("mix_categorical", "categorical prompter + teacher-chosen corpus sentences, half each"),
        ("data_driven", "data-driven KD (real train split; upper reference)")]
TASKS = ["sentiment", "spam"]

def words(t):
    return re.findall(r"[\w']+", t.lower())

def corpus_stats(run):
    texts = []
    for shard in sorted(glob.glob(os.path.join(run, "corpus", "shard-*.jsonl"))):
        with open(shard) as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    grams, n = set(), 0
    for t in texts:
        w = words(t)
        for i in range(len(w) - 1):
            grams.add((w[i], w[i + 1])); n += 1
    m = json.load(open(os.path.join(run, "corpus", "manifest.json")))
    counts = [int(v) for v in m.get("label_distribution", {}).values()]
    surplus = int(m.get("rejections", {}).get("label_surplus", 0))
    total = sum(counts) + surplus
    major = (max(counts) + surplus) / total if counts and total else float("nan")
    return (len(grams) / n if n else float("nan")), major

cells = {}
for f in sorted(glob.glob(os.path.join(out, "*", "bench", "report.json"))):
    run = os.path.dirname(os.path.dirname(f))
    task, row, seed = os.path.basename(run).rsplit("-", 2)
    r = json.load(open(f))
    teacher, student = r["models"][0], r["models"][1]
    cells.setdefault((task, "teacher"), {})[seed] = {"acc": teacher["accuracy"]}
    d2, major = corpus_stats(run)
    wall = os.path.join(run, "wall_seconds")
    cells.setdefault((task, row), {})[seed] = {
        "acc": student["accuracy"], "distinct2": d2, "majority_share": major,
        "wall_seconds": int(open(wall).read()) if os.path.exists(wall) else None}

def ms(xs, fmt):
    xs = [x for x in xs if x is not None and x == x]
    if not xs: return "-"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return (fmt % statistics.mean(xs)) + " ± " + (fmt % sd)

print("| | sentiment | spam | distinct-2 (sentiment) | majority label before rebalancing (sentiment) | wall time per run, s (sentiment) |")
print("|---|---|---|---|---|---|")
for key, name in ROWS:
    accs = []
    for t in TASKS:
        v = cells.get((t, key), {})
        accs.append(ms([c["acc"] for c in v.values()], "%.4f") + (f" (n={len(v)})" if v else ""))
    s = cells.get(("sentiment", key), {})
    extra = ["-", "-", "-"] if key == "teacher" else [
        ms([c["distinct2"] for c in s.values()], "%.3f"),
        ms([c["majority_share"] for c in s.values()], "%.3f"),
        ms([c["wall_seconds"] for c in s.values()], "%.0f")]
    if any(cells.get((t, key)) for t in TASKS):
        print(f"| {name} | {accs[0]} | {accs[1]} | " + " | ".join(extra) + " |")
json.dump({f"{t}/{k}": v for (t, k), v in cells.items()}, open(os.path.join(out, "results.json"), "w"), indent=2)
