"""plan.py - how often `inspel analyze` puts a plan sentence under the right
given theme.

Each set is a TSV file of `theme<TAB>sentence` (bench/data/plan_sv_*.tsv:
sentences written in the style of Swedish joint primary-care plans, one of
seven strategy areas each).  The sentences are analysed together with a
seven-theme file of five or six seed terms per theme
(bench/data/plan_themes.txt); an answer counts as right when its primary
theme is its label, so an answer left in a discovered theme or in "fits no
theme" counts as wrong.  The dev set is the one to read misses on
(--misses); the test set was written at the same time and is only scored.

    plan.py [--inspel build/inspel] [--themes FILE] [--seed N] [--misses] [SET.tsv ...]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def read_set(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]


def score(inspel, themes, rows, seed):
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "answers.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(["id", "text"])
            for i, (_, text) in enumerate(rows):
                w.writerow([str(i), text])
        proc = subprocess.run([inspel, "analyze", "--input", csv_path, "--themes", themes,
                               "--seed", str(seed), "--format", "json"],
                              capture_output=True, check=True)
    result = json.loads(proc.stdout)
    pred = [None] * len(rows)
    for a in result["assignments"]:
        pred[int(a["id"])] = a
    return pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inspel", default="build/inspel")
    ap.add_argument("--themes", default=os.path.join(DATA, "plan_themes.txt"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--misses", action="store_true", help="print every miss")
    ap.add_argument("sets", nargs="*")
    args = ap.parse_args()
    sets = args.sets or [os.path.join(DATA, "plan_sv_dev.tsv"), os.path.join(DATA, "plan_sv_test.tsv")]
    for path in sets:
        rows = read_set(path)
        pred = score(args.inspel, args.themes, rows, args.seed)
        right = 0
        why = Counter()
        for (gold, text), a in zip(rows, pred):
            got = a["theme"] if a else None
            if got == gold:
                right += 1
                continue
            why["no theme" if got is None else "discovered" if got.startswith("new-") else "other given"] += 1
            if args.misses:
                print(f"  {gold:15} got {str(got):15} {a.get('confidence', '')!s:6} {text}")
        detail = ", ".join(f"{k} {v}" for k, v in sorted(why.items()))
        print(f"{os.path.basename(path):20} primary right {right}/{len(rows)} = {right / len(rows):.3f}"
              f"  (misses: {detail or 'none'})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
