"""Writing a diagram to SVG, PDF or PNG (atomically, at its exact size)."""
from __future__ import annotations

from pathlib import Path

from ..errors import PathwaysInputError, choices_message
from .render import draw
from .style import FORMATS, PNG_DPI


def _format_of(path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise PathwaysInputError(choices_message("diagram file suffix", f".{suffix}" if suffix
                                                 else Path(path).name,
                                                 [f".{f}" for f in FORMATS]))
    return suffix


def save_figure(fig, path, fmt: str | None = None) -> Path:
    """Write `fig` to `path` atomically at its exact size (PNG at 600 dpi, at most 10,000 px
    on a side); return the written Path."""
    from ..outputs import output_path, write_atomically
    path = output_path(path, "diagram file")
    fmt = fmt or _format_of(path)
    # PNG at 600 dpi, but at most ~10,000 px on a side (huge foreign models)
    dpi = min(PNG_DPI, 10_000 / max(fig.get_size_inches()))
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=dpi),
                            "diagram file")


def diagram(model_or_sbml, path, *, overlay=None, knocked_out=(), title=None,
            width_mm: float = 85.0, signed: bool = True, feedback: bool = False,
            overlay_scale: str = "fold", overlay_center: float = 0.0, overlay_range=None,
            overlay_label=None, hide=()) -> Path:
    """Draw the cascade of a model and write it to `path` (.svg, .pdf or .png); return it.

    `model_or_sbml`: a `pathways.Model`, a model name, an SBML path or text, or a libSBML
    document. See `pathways.diagram` for condensation, layers, overlay and knockouts.
    """
    from ..outputs import output_path
    path = output_path(path, "diagram file")
    fmt = _format_of(path)
    fig, _ = draw(model_or_sbml, overlay=overlay, knocked_out=knocked_out, title=title,
                  width_mm=width_mm, signed=signed, feedback=feedback,
                  overlay_scale=overlay_scale, overlay_center=overlay_center,
                  overlay_range=overlay_range, overlay_label=overlay_label, hide=hide)
    try:
        return save_figure(fig, path, fmt)
    finally:
        import matplotlib.pyplot as plt
        plt.close(fig)
