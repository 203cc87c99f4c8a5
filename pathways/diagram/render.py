"""Drawing a condensed cascade into a matplotlib figure, with the font, spacing and wrapping
steps that keep every label apart, and the label boxes that prove it."""
from __future__ import annotations

import math
import numbers
import textwrap
import warnings
from dataclasses import dataclass

import networkx as nx

from ..errors import PathwaysInputError, choices_message
from .cascade import cascade
from .entities import BANDS
from .layout import order_rows, x_positions
from .overlay import check_overlay_range, resolve_knockouts, resolve_overlay
from .style import (EDGE_COLOUR, GREY_EDGE, GREY_FACE, GREY_TEXT, KINDS, KNOCKED_EDGE_LS,
                    MIN_FONT_PT, START_FONT_PT)


def _wrap(label: str, width: int = 12) -> str:
    if len(label) <= width or " " not in label:
        return label
    return "\n".join(textwrap.wrap(label, width=max(width, max(len(w) for w in label.split()))))


def _node_patch(shape, cx, cy, w, h, face, edge, lw, ls="-"):
    from matplotlib import patches
    if shape == "ellipse":
        return patches.Ellipse((cx, cy), w, h, fc=face, ec=edge, lw=lw, ls=ls)
    if shape == "hexagon":
        d = min(h / 2, w / 4)
        pts = [(cx - w / 2, cy), (cx - w / 2 + d, cy + h / 2), (cx + w / 2 - d, cy + h / 2),
               (cx + w / 2, cy), (cx + w / 2 - d, cy - h / 2), (cx - w / 2 + d, cy - h / 2)]
        return patches.Polygon(pts, closed=True, fc=face, ec=edge, lw=lw, ls=ls)
    style = "square,pad=0" if shape == "rect" else f"round,pad=0,rounding_size={h / 3:.3f}"
    return patches.FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle=style, fc=face,
                                  ec=edge, lw=lw, ls=ls)


def _curve(points):
    """A smooth path through points: vertical at both ends, Catmull-Rom tangents between."""
    from matplotlib.path import Path as MPath
    n = len(points)
    tangents = []
    for i, (px, py) in enumerate(points):
        if i == 0 or i == n - 1:
            j = 1 if i == 0 else n - 1
            dy = points[j][1] - points[j - 1][1]
            tangents.append((0.0, dy))
        else:
            (ax_, ay), (bx, by) = points[i - 1], points[i + 1]
            tangents.append(((bx - ax_) / 2, (by - ay) / 2))
    verts, codes = [points[0]], [MPath.MOVETO]
    for i in range(n - 1):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        (tx0, ty0), (tx1, ty1) = tangents[i], tangents[i + 1]
        k = 1 / 3 if 0 < i < n - 2 else 0.5 if n == 2 else 0.4
        verts += [(x0 + tx0 * k, y0 + ty0 * k), (x1 - tx1 * k, y1 - ty1 * k), (x1, y1)]
        codes += [MPath.CURVE4] * 3
    return MPath(verts, codes)


def _luminance(rgb) -> float:
    r, gch, b = rgb[:3]
    return 0.2126 * r + 0.7152 * gch + 0.0722 * b


@dataclass
class _Params:
    font: float = START_FONT_PT
    wrap: int | None = None
    row_mm: float = 6.0
    gap_mm: float = 2.2


def draw(model_or_sbml=None, *, graph: nx.DiGraph | None = None, overlay=None,
         knocked_out=(), title=None, width_mm: float = 85.0, signed: bool = True,
         feedback: bool = False, overlay_scale: str = "fold", overlay_center: float = 0.0,
         overlay_range=None, overlay_label=None, legend: bool = True, hide=()):
    """Draw the cascade into a new figure; return ``(fig, info)``.

    `graph` (a `cascade()` result) skips the condensation. ``info`` holds ``graph``,
    ``patches`` and ``texts`` by node, ``colours`` (overlay face colour by node),
    ``knocked_out``, ``boxes`` (`label_boxes`), ``font_pt``, ``width_mm``, ``height_mm``,
    ``crossings`` and ``attempts`` (the spacing/font/wrap steps tried).
    """
    from ..plotting import pyplot

    if overlay_scale not in ("fold", "linear"):
        raise PathwaysInputError(choices_message("overlay_scale", overlay_scale,
                                                 ("fold", "linear")))
    if isinstance(width_mm, bool) or not isinstance(width_mm, numbers.Real):
        raise PathwaysInputError(f"width_mm must be a number of mm in [40, 500], got "
                                 f"{width_mm!r}")
    width_mm = float(width_mm)
    if not (40.0 <= width_mm <= 500.0):
        raise PathwaysInputError(f"width_mm must be in [40, 500] mm, got {width_mm:g}")
    if title is not None and not isinstance(title, str):
        raise PathwaysInputError(f"title must be text or None, got {type(title).__name__}")
    if isinstance(overlay_center, bool) or not isinstance(overlay_center, numbers.Real) \
            or not math.isfinite(overlay_center):
        raise PathwaysInputError(f"overlay_center must be a finite number, got "
                                 f"{overlay_center!r}")
    check_overlay_range(overlay_range, overlay_scale)
    g = graph if graph is not None else cascade(model_or_sbml, signed=signed,
                                                feedback=feedback, hide=hide)
    values = resolve_overlay(g, overlay, overlay_scale)
    knocked = resolve_knockouts(g, knocked_out)
    plt = pyplot()
    plt.rcParams["hatch.linewidth"] = 0.3
    order = order_rows(g)          # independent of fonts: computed once
    attempts = []
    params = _Params()
    # escalation: a row too wide -> wrap, smaller font; overlapping texts -> more space first
    wide_steps = [("wrap", 12), ("font", 6.5), ("font", MIN_FONT_PT), ("wrap", 9)]
    overlap_steps = [("space", None), ("space", None), ("font", 6.5), ("wrap", 12),
                     ("font", MIN_FONT_PT), ("space", None)]
    fig = info = None
    tried: list = []
    for attempt in range(12):
        if info is not None:
            steps = wide_steps if not info["fits_width"] else overlap_steps
            if not info["fits_width"] and info["width_mm"] > 2 * width_mm:
                tried += wide_steps[:-1]      # hopeless at this width: go to the last step
                params.font = MIN_FONT_PT
            step = next((s for s in steps if s not in tried), None)
            if step is None:
                break
            tried.append(step)
            kind, arg = step
            if kind == "space":
                params.row_mm *= 1.2
                params.gap_mm *= 1.3
            elif kind == "font":
                params.font = max(arg, MIN_FONT_PT)
            else:
                params.wrap = arg
        if fig is not None:
            plt.close(fig)
        fig, info = _render(plt, g, order, params, values, knocked, title, width_mm,
                            overlay_scale, overlay_center, overlay_range, overlay_label,
                            legend)
        attempts.append(f"font {params.font:g} pt, wrap {params.wrap}, row {params.row_mm:.1f}"
                        f" mm: " + ("ok" if info["fits"] else "too wide" if not
                                    info["fits_width"] else f"{len(info['overlaps'])} overlaps"))
        if info["fits"]:
            break
    info["attempts"] = attempts
    if not info["fits"]:
        warnings.warn(f"diagram: labels could not be placed without overlap at "
                      f"{width_mm:g} mm; the figure is {info['width_mm']:.0f} mm wide",
                      stacklevel=2)
    return fig, info


def _measure(fig, text, size, weight="normal"):
    t = fig.text(0, 0, text, parse_math=False, fontsize=size, ha="center", va="center",
                 linespacing=1.0, fontweight=weight)
    bb = t.get_window_extent(renderer=fig.canvas.get_renderer())
    t.remove()
    return bb.width / fig.dpi * 25.4, bb.height / fig.dpi * 25.4


def _wrap_to_width(fig, text: str, size: float, width_mm: float) -> str:
    """Return `text` broken at spaces into lines that fit `width_mm` in bold at `size` pt
    (line breaks in `text` are kept; a single word wider than that keeps its own line)."""
    lines: list[str] = []
    for given in text.split("\n"):
        start = len(lines)
        for word in given.split():
            if len(lines) > start and _measure(fig, f"{lines[-1]} {word}", size,
                                               "bold")[0] <= width_mm:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        if len(lines) == start:
            lines.append("")
    return "\n".join(lines)


def _render(plt, g, order, p, values, knocked, title, width_mm, scale, center, vrange,
            vlabel, legend):
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    mm = 1 / 25.4
    fig = plt.figure(figsize=(width_mm * mm, 50 * mm))
    font = p.font
    labels = {n: (_wrap(g.nodes[n]["label"], p.wrap) if p.wrap else g.nodes[n]["label"])
              for n in g}
    sizes = {n: _measure(fig, labels[n], font) for n in g}
    pad_x, pad_y = 1.3, 0.9
    widths = {n: sizes[n][0] + 2 * pad_x for n in g}
    heights = {n: sizes[n][1] + 2 * pad_y for n in g}
    for n in g:
        shape = KINDS[g.nodes[n]["kind"]][1]
        if shape == "hexagon":
            widths[n] += heights[n] * 0.5
        elif shape == "ellipse":          # the text box must fit inside the ellipse
            widths[n] = sizes[n][0] * 1.25 + 2 * pad_x
            heights[n] = sizes[n][1] * 1.2 + 2 * pad_y
    layers, chains, succ, pred, ncross = order
    x = x_positions(layers, widths, succ, pred, p.gap_mm, 0.6, chains)

    ours = g.graph.get("ours")
    band_w = 4.0 if ours else 0.0
    margin = 1.0
    left = margin + band_w
    if x:
        lo = min(x[n] - (0.3 if isinstance(n, tuple) else widths[n] / 2) for n in x)
        hi = max(x[n] + (0.3 if isinstance(n, tuple) else widths[n] / 2) for n in x)
    else:
        lo, hi = 0.0, 1.0
    span = hi - lo
    avail = width_mm - left - margin
    fits_width = span <= avail + 1e-6
    fig_w = width_mm if fits_width else span + left + margin
    offset = left + (avail - span) / 2 - lo if fits_width else left - lo
    for n in x:
        x[n] += offset

    # vertical: title, rows, legend, colour bar (mm from the top)
    row_h = max(p.row_mm, max(heights.values(), default=4) + 2.2)
    if title:                        # a long title wraps to the figure's width
        title = _wrap_to_width(fig, title, font + 0.5, 0.92 * (fig_w - 2 * margin))
    n_title = title.count("\n") + 1 if title else 0
    top = 2.0 + (font * 0.3528 * (1.6 + 1.15 * (n_title - 1)) + 1.5 if title else 0)
    nrows = len(layers)
    kinds_used = [k for k in KINDS if any(g.nodes[n]["kind"] == k for n in g)]
    edge_types = sorted({(d["sign"], bool(d.get("feedback"))) for *_, d in g.edges(data=True)},
                        key=lambda s: ({1: 0, None: 0, -1: 1, 0: 2}[s[0]], s[1]))
    extras = (int(bool(values) and any(n not in values and n not in knocked for n in g))
              + int(any(isinstance(k, str) for k in knocked))       # "knocked out" node row
              + int(any(isinstance(k, tuple) for k in knocked)))    # "link knocked out" row
    legend_rows = math.ceil(len(kinds_used) / 2) + math.ceil((len(edge_types) + extras) / 2)
    legend_h = (legend_rows * (font * 0.3528 + 1.8) + 1.5) if legend else 0
    cbar_h = 12.0 if values else 0
    height = top + nrows * row_h + legend_h + cbar_h + 1.5
    fig.set_size_inches(fig_w * mm, height * mm)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, fig_w)
    ax.set_ylim(0, height)
    ax.axis("off")

    def y_of(r):
        return height - top - (r + 0.5) * row_h

    y = {n: y_of(r) for r, row in enumerate(layers) for n in row}

    # bands
    if ours:
        spans: dict[str, list[int]] = {}
        for n in g:
            b = g.nodes[n]["band"]
            if b != "readouts":
                spans.setdefault(b, []).append(g.nodes[n]["rank"])
        shade = False
        for b in BANDS:
            if b not in spans:
                continue
            r0, r1 = min(spans[b]), max(spans[b])
            y1, y0 = y_of(r0) + row_h / 2, y_of(r1) - row_h / 2
            if shade:
                ax.add_patch(mpl.patches.Rectangle((margin, y0), fig_w - 2 * margin, y1 - y0,
                                                   fc="#F3F3F3", ec="none", zorder=0))
            shade = not shade
            text = b if (y1 - y0) > _measure(fig, b, font - 0.5)[0] + 1 else _wrap(b, 10)
            ax.text(margin + band_w / 2, (y0 + y1) / 2, text, parse_math=False, rotation=90,
                    ha="center", va="center", fontsize=max(font - 0.5, MIN_FONT_PT),
                    color="#505050", linespacing=1.0, gid="band")

    # overlay colours
    cmap = mpl.colormaps["RdBu_r"]
    norm = None
    colours = {}
    if values:
        if scale == "fold":
            logs = [math.log2(v) for v in values.values()]
            if vrange is not None:
                m = max(abs(math.log2(float(vrange[0]))), abs(math.log2(float(vrange[1]))))
            else:
                m = max(max(abs(v) for v in logs), math.log2(1.05))
            norm = mpl.colors.Normalize(-m, m)
            colours = {n: cmap(norm(math.log2(v))) for n, v in values.items()}
        else:
            devs = [v - center for v in values.values()]
            m = (max(abs(float(vrange[0]) - center), abs(float(vrange[1]) - center))
                 if vrange is not None else max(max(abs(d) for d in devs), 1e-12))
            norm = mpl.colors.Normalize(center - m, center + m)
            colours = {n: cmap(norm(v)) for n, v in values.items()}

    patches_, texts = {}, {}
    for n in g:
        kind = g.nodes[n]["kind"]
        _, shape, face, edge = KINDS[kind]
        ls, tcol, lw = "-", "black", 0.8
        hatch = None
        if values:
            face = colours.get(n, "white")
            hatch = None if n in colours else "////"
        if n in knocked:
            hatch = None
            face, edge, tcol, ls = GREY_FACE, GREY_EDGE, GREY_TEXT, (0, (2, 1))
        elif values and n in colours and _luminance(mpl.colors.to_rgb(face)) < 0.45:
            tcol = "white"
        patch = _node_patch(shape, x[n], y[n], widths[n], heights[n], face, edge, lw, ls)
        if hatch:
            patch.set_hatch(hatch)
        patch.set_zorder(3)
        patch.set_gid(f"node-{n}")
        ax.add_patch(patch)
        patches_[n] = patch
        texts[n] = ax.text(x[n], y[n], labels[n], parse_math=False, ha="center", va="center",
                           fontsize=font, color=tcol, zorder=4, linespacing=1.0, gid=f"label-{n}",
                           bbox=(dict(boxstyle="square,pad=0.15", fc="white", ec="none")
                                 if hatch else None))

    # edges: ports spread along the node sides in the order of the other ends
    out_port, in_port = {}, {}
    for n in g:
        outs = sorted([e for e in chains if e[0] == n], key=lambda e: x[chains[e][1]])
        ins = sorted([e for e in chains if e[1] == n], key=lambda e: x[chains[e][-2]])
        for lst, store in ((outs, out_port), (ins, in_port)):
            k = len(lst)
            span_ = min(widths[n] * 0.6, 1.6 * (k - 1))
            for i, e in enumerate(lst):
                store[e] = x[n] + (i - (k - 1) / 2) * (span_ / (k - 1) if k > 1 else 0)
    lw = 0.6
    head = 1.1
    for (u, v), chain in chains.items():
        d = g.edges[u, v]
        sign = d["sign"]
        pts = [(out_port[u, v], y[u] - heights[u] / 2 - 0.15)]
        pts += [(x[c], y[c]) for c in chain[1:-1]]
        end = (in_port[u, v], y[v] + heights[v] / 2 + 0.25)
        shorten = head * 0.9 if sign in (1, None) else (0.2 if sign == -1 else head * 0.9)
        pts.append((end[0], end[1] + shorten))
        cut = (u, v) in knocked
        ls = KNOCKED_EDGE_LS if cut else (0, (2.2, 1.2)) if sign == 0 else "-"
        path = _curve(pts)
        colour = GREY_EDGE if cut else EDGE_COLOUR
        ax.add_patch(mpl.patches.PathPatch(path, fc="none", ec=colour, lw=lw, ls=ls, zorder=2,
                                           capstyle="butt", gid=f"edge-{u}-{v}"))
        _head(ax, mpl, end, sign, head, colour=colour)
    for u, v, d in g.edges(data=True):           # feedback edges (only with feedback=True)
        if not d.get("feedback"):
            continue
        a = (x[u] + widths[u] / 2, y[u])
        b = (x[v] + widths[v] / 2 + 0.4, y[v])
        bulge = fig_w - margin - 1.0
        path = mpl.path.Path([a, (bulge, a[1]), (bulge, b[1]), b],
                             [mpl.path.Path.MOVETO] + [mpl.path.Path.CURVE4] * 3)
        ax.add_patch(mpl.patches.PathPatch(path, fc="none", ec="#8A8A8A", lw=lw, ls=":",
                                           zorder=1, gid=f"feedback-{u}-{v}"))

    # title
    if title:
        ax.text(fig_w / 2, height - 1.2, title, parse_math=False, ha="center", va="top",
                fontsize=font + 0.5, fontweight="bold", gid="title", linespacing=1.1)
    # legend (drawn by hand in mm so that its text boxes are checked too)
    ybase = legend_h + cbar_h + 0.5 - (3.0 if values else 0.0)
    if legend:
        yy = ybase - 1.5
        col_w = (fig_w - 2 * margin) / 2
        items = [("kind", k) for k in kinds_used] + [("edge", e) for e in edge_types]
        if values and any(n not in colours and n not in knocked for n in g):
            items.append(("edge", "nodata"))
        if any(isinstance(k, str) for k in knocked):
            items.append(("edge", "knocked"))
        if any(isinstance(k, tuple) for k in knocked):
            items.append(("edge", "cut"))
        kinds_part = [i for i in items if i[0] == "kind"]
        edges_part = [i for i in items if i[0] == "edge"]
        for part in (kinds_part, edges_part):
            for i, item in enumerate(part):
                cx = margin + (i % 2) * col_w + 1.0
                cy = yy - (i // 2) * (font * 0.3528 + 1.8)
                if item[0] == "kind":
                    label, shape, face, edge = KINDS[item[1]]
                    ax.add_patch(_node_patch(shape, cx + 2.0, cy, 4.0, 2.4,
                                             "white" if values else face, edge, 0.7))
                elif item[1] in ("nodata", "knocked"):
                    nodata = item[1] == "nodata"
                    sw = _node_patch("round", cx + 2.0, cy, 4.0, 2.4,
                                     "white" if nodata else GREY_FACE,
                                     "#606060" if nodata else GREY_EDGE, 0.7,
                                     "-" if nodata else (0, (2, 1)))
                    if nodata:
                        sw.set_hatch("////")
                    ax.add_patch(sw)
                    # no value to colour with: no fold change (zero pre-dose) or no parameter
                    # of a sensitivity study acts there
                    label = "no overlay value" if nodata else "knocked out"
                elif item[1] == "cut":
                    ax.add_line(Line2D([cx, cx + 3.0], [cy, cy], color=GREY_EDGE, lw=lw,
                                       ls=KNOCKED_EDGE_LS))
                    _head(ax, mpl, (cx + 4.1, cy), 1, head, horizontal=True, colour=GREY_EDGE)
                    label = "link knocked out"
                else:
                    sign, fb = item[1]
                    label = {1: "activation", -1: "inhibition", 0: "ambiguous (both signs)",
                             None: "influence"}[sign] + (" (feedback)" if fb else "")
                    ax.add_line(Line2D([cx, cx + 3.0], [cy, cy], color=EDGE_COLOUR, lw=lw,
                                       ls=(0, (2.2, 1.2)) if sign == 0 else "-"))
                    _head(ax, mpl, (cx + 4.1, cy), sign, head, horizontal=True)
                ax.text(cx + 5.5, cy, label, parse_math=False, ha="left", va="center",
                        fontsize=font, gid="legend")
            yy -= math.ceil(len(part) / 2) * (font * 0.3528 + 1.8)
    if values:
        cax = fig.add_axes([0.25, 7.5 / height, 0.5, 1.6 / height])
        sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
        cb.outline.set_linewidth(0.5)
        cax.tick_params(labelsize=font, width=0.5, length=2, pad=1)
        if scale == "fold":
            m = norm.vmax
            nice = (1 / 8, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 1.5, 2, 3, 4, 8)
            ticks = [math.log2(f) for f in nice if abs(math.log2(f)) <= m + 1e-9]
            if len(ticks) > 5:
                ticks = [t for t in ticks if t == 0 or abs(t) >= m / 2.5]
            if len(ticks) < 3:
                ticks = [-m, 0.0, m]
            cb.set_ticks(ticks)
            cb.set_ticklabels([_fold_text(2 ** t) for t in ticks])
        cb.set_label(vlabel or ("fold change (log scale)" if scale == "fold" else "value"),
                     fontsize=font, labelpad=1)

    boxes = label_boxes(fig)
    overlaps = _overlaps(boxes)
    info = {"graph": g, "patches": patches_, "texts": texts, "colours": colours,
            "values": values, "knocked_out": knocked, "boxes": boxes, "overlaps": overlaps,
            "font_pt": font, "width_mm": fig_w, "height_mm": height, "crossings": ncross,
            "ax": ax, "fits_width": fits_width,
            "fits": fits_width and not overlaps and _inside(boxes, fig_w, height)}
    return fig, info


def _fold_text(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v < 10 else f"{v:.0f}"


def _head(ax, mpl, end, sign, size, horizontal=False, colour=EDGE_COLOUR):
    """Arrowhead (+1 / None), bar (-1) or open diamond (0) whose tip is at `end`, pointing
    down (or right when `horizontal`), in `colour`."""
    ex, ey = end
    if horizontal:
        def pt(along, across):
            return (ex - along, ey + across)
    else:
        def pt(along, across):
            return (ex + across, ey + along)
    if sign == -1:
        a, b = pt(0.1, -size * 0.75), pt(0.1, size * 0.75)
        ax.add_line(mpl.lines.Line2D([a[0], b[0]], [a[1], b[1]], color=colour, lw=1.0,
                                     solid_capstyle="butt", zorder=2))
    elif sign == 0:
        pts = [pt(0, 0), pt(size * 0.55, size * 0.45), pt(size * 1.1, 0),
               pt(size * 0.55, -size * 0.45)]
        ax.add_patch(mpl.patches.Polygon(pts, closed=True, fc="white", ec=colour, lw=0.6,
                                         zorder=2))
    else:
        pts = [pt(0, 0), pt(size, size * 0.5), pt(size, -size * 0.5)]
        ax.add_patch(mpl.patches.Polygon(pts, closed=True, fc=colour, ec="none",
                                         zorder=2))


def label_boxes(fig) -> list[dict]:
    """Every visible, non-empty text of `fig` after drawing: ``{"text", "fontsize",
    "box": (x0, y0, x1, y1)}`` in mm from the lower-left corner of the figure."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering() if hasattr(fig, "draw_without_rendering") else None
    out = []
    scale = 25.4 / fig.dpi
    for t in fig.findobj(lambda a: isinstance(a, __import__("matplotlib").text.Text)):
        if not t.get_visible() or not t.get_text().strip() or t.figure is None:
            continue
        bb = t.get_window_extent(renderer=renderer)
        out.append({"text": t.get_text(), "fontsize": t.get_fontsize(), "gid": t.get_gid(),
                    "box": (bb.x0 * scale, bb.y0 * scale, bb.x1 * scale, bb.y1 * scale)})
    return out


def _overlaps(boxes, tol: float = 0.05) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        ax0, ay0, ax1, ay1 = a["box"]
        for b in boxes[i + 1:]:
            bx0, by0, bx1, by1 = b["box"]
            if min(ax1, bx1) - max(ax0, bx0) > tol and min(ay1, by1) - max(ay0, by0) > tol:
                out.append((a["text"], b["text"]))
    return out


def _inside(boxes, w, h, tol=0.3) -> bool:
    return all(b["box"][0] >= -tol and b["box"][2] <= w + tol and b["box"][1] >= -tol
               and b["box"][3] <= h + tol for b in boxes)
