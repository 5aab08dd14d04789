#!/usr/bin/env python3
"""Shrinks the corpus of one fuzz target to a byte budget before it is committed.

    cd fuzz && cargo +nightly fuzz build <target>
    python3 shrink.py <target> [budget_bytes]      # default 1,000,000

`cargo fuzz cmin` keeps every input that adds a coverage feature; for workbooks and sample-sized
case files that is still tens of MB. This runs the same libFuzzer merge (which records, for each
input, the features and edges it reaches), then picks inputs greedily by new features and edges
per byte until the budget is spent, and keeps only those in corpus/<target>/. It prints how much
of the coverage the kept inputs reach. Only the standard library is used.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def control_file(target, corpus, tmp):
    """Runs the libFuzzer merge over the corpus and returns (files, features, edges)."""
    binary = os.path.join(HERE, "target", "x86_64-unknown-linux-gnu", "release", target)
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    control = os.path.join(tmp, "control")
    subprocess.run([binary, "-merge=1", f"-merge_control_file={control}", "-max_len=1000000", empty, corpus],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = open(control).read().split("\n")
    n = int(lines[0])
    files = lines[2:2 + n]
    features, edges = {}, {}
    for line in lines[2 + n:]:
        parts = line.split()
        if parts and parts[0] == "FT":
            features[int(parts[1])] = set(map(int, parts[2:]))
        elif parts and parts[0] == "COV":
            edges[int(parts[1])] = set(map(int, parts[2:]))
    return files, features, edges


def choose(files, features, edges, budget):
    """Greedy set cover: most new features (an edge counts 20) per byte, within the budget."""
    size = {i: os.path.getsize(files[i]) for i in features}
    got_f, got_e, chosen, spent = set(), set(), [], 0
    while True:
        best, score = None, 0.0
        for i, f in features.items():
            if i in chosen or spent + size[i] > budget:
                continue
            gain = len(f - got_f) + 20 * len(edges.get(i, set()) - got_e)
            if gain and gain / (size[i] + 2000) > score:
                best, score = i, gain / (size[i] + 2000)
        if best is None:
            break
        chosen.append(best)
        spent += size[best]
        got_f |= features[best]
        got_e |= edges.get(best, set())
    all_f = set().union(*features.values()) if features else set()
    all_e = set().union(*edges.values()) if edges else set()
    print(f"{len(chosen)} 件 {spent:,} バイト: 特徴 {len(got_f)}/{len(all_f)}、辺 {len(got_e)}/{len(all_e)}")
    return [files[i] for i in chosen]


def main():
    target = sys.argv[1]
    budget = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    corpus = os.path.join(HERE, "corpus", target)
    with tempfile.TemporaryDirectory() as tmp:
        files, features, edges = control_file(target, corpus, tmp)
        keep = choose(files, features, edges, budget)
        kept = os.path.join(tmp, "kept")
        os.mkdir(kept)
        for f in keep:
            shutil.copy(f, kept)
        shutil.rmtree(corpus)
        shutil.copytree(kept, corpus)


if __name__ == "__main__":
    main()
