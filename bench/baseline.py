"""baseline.py - the scikit-learn references.

Unsupervised: clusters one text per line with TfidfVectorizer's defaults
(the setting the project's reference NMI figures were measured with, for
every language) and KMeans with k-means++ seeding and n_init=10, and
prints one cluster index per line.

Guided (--names): the usual dataless baseline for classifying from class
names alone: each class is the text of its themes-file line (label and
terms), and each text goes to the class whose TfidfVectorizer vector
(fitted on the texts and the class texts together) is nearest by cosine;
prints one theme id per line.

The wall time of vectorising + clustering or classifying (not of starting
Python) goes to stderr as "seconds=..." so the harness can compare it with
inspel's end-to-end time.

    baseline.py texts.txt K SEED > predicted.txt
    baseline.py --names texts.txt themes.txt > predicted.txt
"""
import sys
import time

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer


def names(texts_path, themes_path):
    """The nearest class text by TF-IDF cosine, for each text."""
    with open(texts_path, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f]
    ids, classes = [], []
    with open(themes_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            tid, label, terms = (part.strip() for part in line.split("|"))
            ids.append(tid)
            classes.append(label + " " + terms.replace(",", " "))
    start = time.perf_counter()
    vectors = TfidfVectorizer().fit_transform(texts + classes)
    sims = (vectors[: len(texts)] @ vectors[len(texts):].T).toarray()
    best = sims.argmax(axis=1)
    seconds = time.perf_counter() - start
    sys.stdout.write("".join(f"{ids[b]}\n" for b in best))
    print(f"seconds={seconds:.3f}", file=sys.stderr)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--names":
        return names(sys.argv[2], sys.argv[3])
    if len(sys.argv) != 4:
        sys.exit("usage: baseline.py texts.txt K SEED | baseline.py --names texts.txt themes.txt")
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
