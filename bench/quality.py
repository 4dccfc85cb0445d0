"""quality.py - clustering quality of `inspel analyze` against gold labels,
side by side with scikit-learn (TfidfVectorizer + KMeans, n_init=10).

For every short-text set in the data directory (texts.txt + labels.txt, one
item per line) this writes the texts as a CSV file with a `text` column,
runs `inspel analyze --themes none --k <true k> --format json` (with
--lang en for the English sets), maps each answer to its theme and scores
the result with metrics.py.  Then it runs baseline.py on the same texts.
Answers the pipeline leaves without any term are not clustered by inspel;
they count as one extra cluster of their own, so they cost NMI honestly.

Wall times: inspel is timed as the whole process (read, analyse, write
JSON); scikit-learn only for vectorising + fitting, without Python start-up
and imports, which favours the baseline.

With --auto, inspel runs with --k auto instead (the baseline still gets
the true k) and the k it chose is printed; goals are not checked then.

    quality.py [--inspel build/inspel] [--data DIR] [--seed N] [--auto]
               [--no-sklearn] [SET ...]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

import metrics

HERE = os.path.dirname(os.path.abspath(__file__))

# name, true number of classes, language, goal NMI (from the project brief)
SETS = [
    ("GoogleNews-T", 152, "en", 0.874),
    ("GoogleNews-S", 152, "en", 0.896),
    ("GoogleNews-TS", 152, "en", 0.928),
    ("Tweet", 89, "en", 0.85),
    ("StackOverflow", 20, "en", 0.70),
    ("Biomedical", 20, "en", 0.35),
    ("SearchSnippets", 8, "en", 0.45),
    ("AGNews-8000", 4, "en", 0.40),
    ("sv-swefaq", 20, "sv", 0.60),
    ("sv-argumentation-test", 6, "sv", 0.50),
]


def write_csv(texts, path):
    """RFC 4180: header line, fields quoted when needed, quotes doubled."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "text"])
        for i, t in enumerate(texts):
            w.writerow([str(i), t])


def run_inspel(inspel, csv_path, k, lang, seed, n):
    cmd = [inspel, "analyze", "--input", csv_path, "--themes", "none",
           "--k", str(k), "--seed", str(seed), "--format", "json"]
    if lang == "en":
        cmd += ["--lang", "en"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace')}")
    result = json.loads(proc.stdout)
    pred = ["unassigned"] * n
    for a in result["assignments"]:
        if a.get("theme") is not None:
            pred[int(a["id"])] = a["theme"]
    return pred, seconds


def run_sklearn(texts_path, k, seed):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "baseline.py"), texts_path, str(k), str(seed)]
    proc = subprocess.run(cmd, capture_output=True, check=True, text=True)
    seconds = float(proc.stderr.strip().rsplit("seconds=", 1)[1])
    return proc.stdout.split(), seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inspel", default="build/inspel")
    ap.add_argument("--data", default="/work/shared/data/stc")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-sklearn", action="store_true", help="skip the baseline")
    ap.add_argument("--auto", action="store_true", help="run inspel with --k auto")
    ap.add_argument("sets", nargs="*")
    args = ap.parse_args()
    chosen = [s for s in SETS if not args.sets or s[0] in args.sets]

    print(f"{'set':22} {'n':>6} {'k':>4} | {'inspel NMI':>10} {'ARI':>5} {'ACC':>5} {'sec':>6} |"
          f" {'sklearn NMI':>11} {'ARI':>5} {'ACC':>5} {'sec':>6} | {'speed':>6} | goal  met")
    met = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, k, lang, goal in chosen:
            d = os.path.join(args.data, name)
            texts = metrics.read_lines(os.path.join(d, "texts.txt"))
            gold = metrics.read_lines(os.path.join(d, "labels.txt"))
            csv_path = os.path.join(tmp, name + ".csv")
            write_csv(texts, csv_path)
            pred, secs = run_inspel(args.inspel, csv_path, "auto" if args.auto else k,
                                    lang, args.seed, len(texts))
            ours = metrics.scores(gold, pred)
            line = (f"{name:22} {len(texts):6} {k:4} | {ours['nmi']:10.3f} {ours['ari']:5.3f}"
                    f" {ours['acc']:5.3f} {secs:6.2f} |")
            if args.no_sklearn:
                line += f" {'-':>11} {'-':>5} {'-':>5} {'-':>6} | {'-':>6} |"
            else:
                sk_pred, sk_secs = run_sklearn(os.path.join(d, "texts.txt"), k, args.seed)
                sk = metrics.scores(gold, sk_pred)
                line += (f" {sk['nmi']:11.3f} {sk['ari']:5.3f} {sk['acc']:5.3f} {sk_secs:6.2f} |"
                         f" {sk_secs / secs:5.1f}x |")
            if args.auto:
                line += f" k auto chose {ours['k']}"
            else:
                ok = ours["nmi"] >= goal
                met += ok
                line += f" {goal:.3f} {'yes' if ok else 'NO'}"
            print(line, flush=True)
    if not args.auto:
        print(f"goals met: {met} of {len(chosen)}")


if __name__ == "__main__":
    sys.exit(main())
