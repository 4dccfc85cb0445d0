"""sample_texts.py - a reproducible sample of N texts drawn from the shared
short-text sets, one per line, for timing the clusterer alone
(bench/cluster_dev.c reads this format).

Every texts.txt under the data directory is pooled (directories in sorted
order) and N texts are drawn without replacement with a fixed seed, or with
replacement when the pool is smaller than N.

    sample_texts.py N OUT.txt [--data DIR] [--seed S]
"""
import argparse
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--data", default="/work/shared/data/stc")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    pool = []
    for name in sorted(os.listdir(args.data)):
        path = os.path.join(args.data, name, "texts.txt")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                pool.extend(line.rstrip("\n") for line in f)
    rnd = random.Random(args.seed)
    texts = rnd.sample(pool, args.n) if args.n <= len(pool) else rnd.choices(pool, k=args.n)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in texts))


if __name__ == "__main__":
    main()
