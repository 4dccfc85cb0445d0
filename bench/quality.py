"""quality.py - how well `inspel analyze` finds themes, against gold labels,
side by side with scikit-learn.

Unsupervised (--themes none): for every short-text set in the data
directory (texts.txt + labels.txt, one item per line) this writes the texts
as a CSV file with a `text` column, runs `inspel analyze --themes none --k
<true k> --format json` (with --lang en for the English sets) for each seed
(1-5 by default), maps each answer to its theme and scores the result with
metrics.py: the mean over the seeds, with the lowest and highest in
brackets.  Then baseline.py (TfidfVectorizer + KMeans, n_init=10) with the
same seeds.  Answers the pipeline leaves without any term are not clustered
by inspel; they count as one extra cluster of their own, so they cost NMI
honestly.

Guided from names alone: AGNews-8000 and sv-argumentation-test with a
themes file written once from the class names and their plainest synonyms
(bench/data/agnews_names.txt, bench/data/sv_argumentation_names.txt;
at most five terms a line, never tuned on the errors), scored by accuracy:
an answer is right when its primary theme is its class (an answer left in
a discovered theme or in none is wrong).  Beside it scikit-learn's dataless
baseline (baseline.py --names: nearest class text by TF-IDF cosine).  The
given themes do not depend on the seed (only discovery does), so one seed.
Then the plan sentences (bench/plan.py) with their seven-theme file.

Wall times: inspel is timed as the whole process (read, analyse, write
JSON); scikit-learn only for vectorising + fitting, without Python start-up
and imports, which favours the baseline.

With --auto, inspel runs with --k auto instead (the baseline still gets
the true k) and the k it chose is printed; goals are not checked then.

    quality.py [--inspel build/inspel] [--data DIR] [--seeds 1,2,3,4,5 | --seed N]
               [--auto] [--no-sklearn] [--no-guided] [--guided-only] [SET ...]
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
import plan

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

# name, language, themes file from the class names, gold label -> theme id, goal accuracy
GUIDED = [
    ("AGNews-8000", "en", "agnews_names.txt",
     {"1": "world", "2": "sports", "3": "business", "4": "scitech"}, 0.82),
    ("sv-argumentation-test", "sv", "sv_argumentation_names.txt",
     {"1": "abort", "2": "dodsstraff", "3": "kloning", "4": "karnkraft", "5": "marijuana", "6": "minimilon"}, 0.95),
]


def write_csv(texts, path):
    """RFC 4180: header line, fields quoted when needed, quotes doubled."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "text"])
        for i, t in enumerate(texts):
            w.writerow([str(i), t])


def run_inspel(inspel, csv_path, themes, k, lang, seed):
    """The parsed JSON result and the wall time of one `inspel analyze`."""
    cmd = [inspel, "analyze", "--input", csv_path, "--themes", themes, "--seed", str(seed), "--format", "json"]
    if k is not None:
        cmd += ["--k", str(k)]
    if lang == "en":
        cmd += ["--lang", "en"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace')}")
    return json.loads(proc.stdout), seconds


def primaries(result, n, none="unassigned"):
    pred = [none] * n
    for a in result["assignments"]:
        if a.get("theme") is not None:
            pred[int(a["id"])] = a["theme"]
    return pred


def run_sklearn(args):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "baseline.py")] + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, check=True, text=True)
    seconds = float(proc.stderr.strip().rsplit("seconds=", 1)[1])
    return proc.stdout.split("\n")[:-1], seconds


def spread(values, fmt="{:.3f}"):
    """"mean (min-max)", or just the value for one seed."""
    mean = sum(values) / len(values)
    if len(values) == 1:
        return fmt.format(mean)
    return f"{fmt.format(mean)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def mean(values):
    return sum(values) / len(values)


def unsupervised(args, chosen, tmp):
    seeds = args.seeds
    print(f"== unsupervised (--themes none), seeds {','.join(map(str, seeds))}: mean (lowest-highest)")
    print(f"{'set':22} {'n':>6} {'k':>4} | {'inspel NMI':>19} {'ARI':>5} {'ACC':>5} {'sec':>5} |"
          f" {'sklearn NMI':>19} {'ARI':>5} {'ACC':>5} {'sec':>6} | {'speed':>6} | goal  met")
    met = 0
    for name, k, lang, goal in chosen:
        d = os.path.join(args.data, name)
        texts = metrics.read_lines(os.path.join(d, "texts.txt"))
        gold = metrics.read_lines(os.path.join(d, "labels.txt"))
        csv_path = os.path.join(tmp, name + ".csv")
        write_csv(texts, csv_path)
        ours, secs = [], []
        for seed in seeds:
            result, s = run_inspel(args.inspel, csv_path, "none", "auto" if args.auto else k, lang, seed)
            ours.append(metrics.scores(gold, primaries(result, len(texts))))
            secs.append(s)
        nmi = [o["nmi"] for o in ours]
        line = (f"{name:22} {len(texts):6} {k:4} | {spread(nmi):>19} {mean([o['ari'] for o in ours]):5.3f}"
                f" {mean([o['acc'] for o in ours]):5.3f} {mean(secs):5.2f} |")
        if args.no_sklearn:
            line += f" {'-':>19} {'-':>5} {'-':>5} {'-':>6} | {'-':>6} |"
        else:
            sk, sk_secs = [], []
            for seed in seeds:
                pred, s = run_sklearn([os.path.join(d, "texts.txt"), k, seed])
                sk.append(metrics.scores(gold, pred))
                sk_secs.append(s)
            line += (f" {spread([x['nmi'] for x in sk]):>19} {mean([x['ari'] for x in sk]):5.3f}"
                     f" {mean([x['acc'] for x in sk]):5.3f} {mean(sk_secs):6.2f} |"
                     f" {mean(sk_secs) / mean(secs):5.1f}x |")
        if args.auto:
            line += " k auto chose " + "/".join(str(o["k"]) for o in ours)
        else:
            ok = mean(nmi) >= goal
            met += ok
            line += f" {goal:.3f} {'yes' if ok else 'NO'} ({sum(x >= goal for x in nmi)}/{len(nmi)} seeds)"
        print(line, flush=True)
    if not args.auto:
        print(f"goals met (mean over the seeds): {met} of {len(chosen)}")


def guided(args, names, tmp):
    print(f"== guided from the class names alone (accuracy of the primary theme; seed {args.seeds[0]})")
    print(f"{'set':22} {'n':>6} {'themes file':28} | {'inspel acc':>10} {'given':>6} {'sec':>5} |"
          f" {'sklearn acc':>11} {'sec':>6} | goal  met")
    met = 0
    for name, lang, themes, mapping, goal in GUIDED:
        if names and name not in names:
            continue
        d = os.path.join(args.data, name)
        texts = metrics.read_lines(os.path.join(d, "texts.txt"))
        gold = [mapping[g] for g in metrics.read_lines(os.path.join(d, "labels.txt"))]
        csv_path = os.path.join(tmp, name + ".csv")
        write_csv(texts, csv_path)
        themes_path = os.path.join(HERE, "data", themes)
        result, secs = run_inspel(args.inspel, csv_path, themes_path, None, lang, args.seeds[0])
        pred = primaries(result, len(texts))
        acc = sum(p == g for p, g in zip(pred, gold)) / len(gold)
        given = sum(p in mapping.values() for p in pred) / len(pred)
        line = f"{name:22} {len(texts):6} {themes:28} | {acc:10.3f} {given:6.3f} {secs:5.2f} |"
        if args.no_sklearn:
            line += f" {'-':>11} {'-':>6} |"
        else:
            sk_pred, sk_secs = run_sklearn(["--names", os.path.join(d, "texts.txt"), themes_path])
            sk_acc = sum(p == g for p, g in zip(sk_pred, gold)) / len(gold)
            line += f" {sk_acc:11.3f} {sk_secs:6.2f} |"
        ok = acc >= goal
        met += ok
        print(line + f" {goal:.3f} {'yes' if ok else 'NO'}", flush=True)
    print(f"goals met: {met} of {sum(1 for g in GUIDED if not names or g[0] in names)}")
    print("== plan sentences, seven themes of 5-6 seeds (bench/plan.py; dev is read for misses, test only scored)")
    for path in (os.path.join(HERE, "data", "plan_sv_dev.tsv"), os.path.join(HERE, "data", "plan_sv_test.tsv")):
        rows = plan.read_set(path)
        pred = plan.score(args.inspel, os.path.join(HERE, "data", "plan_themes.txt"), rows, args.seeds[0])
        right = sum(1 for (g, _), a in zip(rows, pred) if a and a["theme"] == g)
        print(f"{os.path.basename(path):22} {len(rows):6} {'plan_themes.txt':28} | {right / len(rows):10.3f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inspel", default="build/inspel")
    ap.add_argument("--data", default="/work/shared/data/stc")
    ap.add_argument("--seeds", default="1,2,3,4,5", help="comma-separated seeds (default 1-5)")
    ap.add_argument("--seed", type=int, help="one seed only (same as --seeds N)")
    ap.add_argument("--no-sklearn", action="store_true", help="skip the baselines")
    ap.add_argument("--auto", action="store_true", help="run inspel with --k auto")
    ap.add_argument("--no-guided", action="store_true", help="skip the guided figures")
    ap.add_argument("--guided-only", action="store_true", help="only the guided figures")
    ap.add_argument("sets", nargs="*")
    args = ap.parse_args()
    args.seeds = [args.seed] if args.seed is not None else [int(s) for s in args.seeds.split(",")]
    chosen = [s for s in SETS if not args.sets or s[0] in args.sets]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.guided_only:
            unsupervised(args, chosen, tmp)
        if not args.no_guided and not args.auto:
            guided(args, args.sets, tmp)


if __name__ == "__main__":
    sys.exit(main())
