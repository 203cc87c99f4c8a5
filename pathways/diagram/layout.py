"""Layered layout: the order of the nodes in each row (few edge crossings, with dummy nodes for
long edges) and their x positions (isotonic regression towards their neighbours)."""
from __future__ import annotations

import networkx as nx


def order_rows(g: nx.DiGraph):
    """Return ``(rows, chains, succ, pred, crossings)``: the rows top to bottom (lists of node
    ids, with ``("dummy", u, v, row)`` nodes where an edge spans several rows) ordered for few
    crossings, each drawn edge's chain of nodes, the successor and predecessor lists along
    those chains, and the number of crossings left."""
    rows: dict[int, list] = {}
    chains = {}
    succ: dict = {}
    pred: dict = {}
    for n in sorted(g, key=lambda n: g.nodes[n]["order"]):
        rows.setdefault(g.nodes[n]["rank"], []).append(n)
    for u, v, data in g.edges(data=True):
        if data.get("feedback"):
            continue
        ru, rv = g.nodes[u]["rank"], g.nodes[v]["rank"]
        chain = [u]
        for r in range(ru + 1, rv):
            d = ("dummy", u, v, r)
            rows.setdefault(r, []).append(d)
            chain.append(d)
        chain.append(v)
        chains[u, v] = chain
        for a, b in zip(chain, chain[1:]):
            succ.setdefault(a, []).append(b)
            pred.setdefault(b, []).append(a)
    nrows = max(rows) + 1 if rows else 0
    layers = [rows.get(r, []) for r in range(nrows)]

    def pair_crossings(upper, lower):
        pos = {n: i for i, n in enumerate(lower)}
        seq = [pos[w] for i, n in enumerate(upper) for w in sorted(
            (w for w in succ.get(n, ()) if w in pos), key=pos.get)]
        return _inversions(seq)

    def crossings(ls):
        return sum(pair_crossings(a, b) for a, b in zip(ls, ls[1:]))

    best, best_c = [list(x) for x in layers], crossings(layers)
    sweeps = 24 if len(chains) < 400 else 8
    for it in range(sweeps):
        down = it % 2 == 0
        seq = range(1, nrows) if down else range(nrows - 2, -1, -1)
        for r in seq:
            ref = {n: i for i, n in enumerate(layers[r - 1 if down else r + 1])}
            nbrs = pred if down else succ

            def key(item):
                i, n = item
                xs = [ref[m] for m in nbrs.get(n, ()) if m in ref]
                return (sum(xs) / len(xs) if xs else i, i)
            layers[r] = [n for _, n in sorted(enumerate(layers[r]), key=key)]
        c = crossings(layers)
        if c < best_c:
            best, best_c = [list(x) for x in layers], c
    # sinks (readouts) go to the end of their row when that adds no crossing: edges then
    # pass beside them instead of around them
    for r, row in enumerate(best):
        if len(row) > 40:
            continue

        def local(rw, r=r):
            c = pair_crossings(best[r - 1], rw) if r > 0 else 0
            return c + (pair_crossings(rw, best[r + 1]) if r + 1 < len(best) else 0)
        for n in [n for n in row if not isinstance(n, tuple) and not succ.get(n)]:
            base = local(row)
            for where in (len(row) - 1, 0):
                trial = [m for m in row if m != n]
                trial.insert(where, n)
                if local(trial) <= base:
                    best[r] = row = trial
                    break
    best_c = crossings(best)
    return best, chains, succ, pred, best_c


def _inversions(seq) -> int:
    """Number of pairs i < j with seq[i] > seq[j] (merge sort, O(n log n))."""
    if len(seq) < 2:
        return 0
    mid = len(seq) // 2
    a, b = seq[:mid], seq[mid:]
    count = _inversions(a) + _inversions(b)
    a.sort()
    b.sort()
    j = 0
    for v in a:                     # for each element of a, count elements of b below it
        while j < len(b) and b[j] < v:
            j += 1
        count += j
    return count


def _isotonic(targets, gaps, weights=None):
    """x minimising Σw(x-t)² with x[i+1]-x[i] ≥ gaps[i] (weighted pool adjacent violators)."""
    offs = [0.0]
    for gp in gaps:
        offs.append(offs[-1] + gp)
    y = [t - o for t, o in zip(targets, offs)]
    weights = weights or [1.0] * len(y)
    blocks = []                      # [mean, weight, count]
    for v, wt in zip(y, weights):
        blocks.append([v, wt, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out = []
    for m, _, c in blocks:
        out.extend([m] * c)
    return [v + o for v, o in zip(out, offs)]


def x_positions(layers, widths, succ, pred, gap, dummy_w, chains):
    """Return {node: x centre} in mm: each row packed with `gap` mm between nodes of `widths`
    mm (dummies `dummy_w`), then moved towards the mean x of its neighbours, long edges kept
    straight."""
    line = {}
    for chain in chains.values():
        k = len(chain) - 1
        for i, d in enumerate(chain[1:-1], 1):
            line[d] = (chain[0], chain[-1], i / k)

    def w(n):
        return dummy_w if isinstance(n, tuple) else widths[n]
    x = {}
    for row in layers:
        pos = 0.0
        for n in row:
            x[n] = pos + w(n) / 2
            pos += w(n) + gap
        shift = (pos - gap) / 2
        for n in row:
            x[n] -= shift

    def place(row, nbrs):
        if not row:
            return
        targets = []
        for n in row:
            if n in line:                 # a long edge: keep it straight
                a, b, f = line[n]
                targets.append(x[a] + (x[b] - x[a]) * f)
                continue
            xs = [x[m] for m in nbrs.get(n, ())]
            targets.append(sum(xs) / len(xs) if xs else x[n])
        gaps = [(w(a) + w(b)) / 2 + (gap if not (isinstance(a, tuple) and isinstance(b, tuple))
                                     else gap / 3)
                for a, b in zip(row, row[1:])]
        weights = [8.0 if n in line else 1.0 for n in row]   # long edges stay straight
        for n, v in zip(row, _isotonic(targets, gaps, weights)):
            x[n] = v
    for it in range(12):
        seq = layers[1:] if it % 2 == 0 else layers[-2::-1]
        for row in seq:
            place(row, pred if it % 2 == 0 else succ)
    for row in layers:             # final pass: both neighbour sides
        both = {n: pred.get(n, []) + succ.get(n, []) for n in row}
        place(row, both)
    return x
