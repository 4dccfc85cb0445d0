"""baseline.py - the scikit-learn reference: TfidfVectorizer + KMeans.

Clusters one text per line with TfidfVectorizer's defaults (the setting
the project's reference NMI figures were measured with, for every
language) and KMeans with k-means++ seeding and n_init=10, and prints one
cluster index per line.  The wall time of vectorising + clustering (not of starting
Python) goes to stderr as "seconds=..." so the harness can compare it with
inspel's end-to-end time.

    baseline.py texts.txt K SEED > predicted.txt
"""
import sys
import time

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: baseline.py texts.txt K SEED")
    path, k, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f]
    start = time.perf_counter()
    vectors = TfidfVectorizer().fit_transform(texts)
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)
    seconds = time.perf_counter() - start
    sys.stdout.write("".join(f"{label}\n" for label in labels))
    print(f"seconds={seconds:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
