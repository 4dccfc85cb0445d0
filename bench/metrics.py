"""metrics.py - clustering quality against gold labels: NMI, ARI, accuracy.

Accuracy uses the Hungarian matching between clusters and labels (the usual
definition in the short-text clustering literature).  NMI uses the
arithmetic-mean normalisation, scikit-learn's default, so our figures and
the baseline's are computed by the same code.

    metrics.py labels.txt predicted.txt   -> prints "nmi=.. ari=.. acc=.. k=.."
"""
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f]


def accuracy(gold, pred):
    """Fraction of items whose cluster maps to their label under the best
    one-to-one matching of clusters to labels."""
    gold_ids = {g: i for i, g in enumerate(sorted(set(gold)))}
    pred_ids = {p: i for i, p in enumerate(sorted(set(pred)))}
    table = np.zeros((len(pred_ids), len(gold_ids)), dtype=np.int64)
    for g, p in zip(gold, pred):
        table[pred_ids[p], gold_ids[g]] += 1
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(gold)


def scores(gold, pred):
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} labels but {len(pred)} predictions")
    return {
        "nmi": normalized_mutual_info_score(gold, pred),
        "ari": adjusted_rand_score(gold, pred),
        "acc": accuracy(gold, pred),
        "k": len(set(pred)),
    }


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: metrics.py labels.txt predicted.txt")
    s = scores(read_lines(sys.argv[1]), read_lines(sys.argv[2]))
    print(f"nmi={s['nmi']:.3f} ari={s['ari']:.3f} acc={s['acc']:.3f} k={s['k']}")


if __name__ == "__main__":
    main()
