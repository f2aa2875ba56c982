"""Scores `scanline classify --json` output against the truth.csv that `simulate --sxm` writes.

Prints one Markdown row: scans, BA (true labels), macro AUROC (one-vs-rest, true labels), the share
of scans flagged uncertain for any reason, and the shares flagged for the surface and for the sampling.
Only the standard library and numpy; not a test dependency.
"""
import csv
import json
import os
import sys

import numpy as np

CLASSES = ["individual atoms", "asymmetries/dimers", "rows", "generic defects"]


def auroc(score, positive):
    order = np.argsort(score)
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    n_pos = positive.sum()
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return (ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def main(setting, predictions, truth_csv):
    truth = {}
    with open(truth_csv) as f:
        for row in csv.DictReader(f):
            truth[row["file"]] = row
    rows = json.load(open(predictions))
    y, p, flagged, surface, sampling = [], [], [], [], []
    for r in rows:
        t = truth[os.path.basename(r["file"])]
        if r.get("predicted") is None:
            continue
        y.append(int(t["label_true"]))
        p.append([r["probabilities"][c] for c in CLASSES])
        flagged.append(bool(r["uncertain"]))
        reasons = " ".join(r.get("reasons", []))
        surface.append("surface" in reasons)
        sampling.append("sampl" in reasons)
    y = np.array(y)
    p = np.array(p)
    pred = p.argmax(1)
    recalls = [np.mean(pred[y == c] == c) for c in range(4) if np.any(y == c)]
    aurocs = [auroc(p[:, c], y == c) for c in range(4)]
    print("| %s | %d | %.3f | %.3f | %.1f %% | %.1f %% | %.1f %% |" % (
        setting, len(y), np.mean(recalls), np.nanmean(aurocs), 100 * np.mean(flagged), 100 * np.mean(surface),
        100 * np.mean(sampling)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
