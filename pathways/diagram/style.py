"""Drawing style of the diagrams: output formats, font sizes, and the shape and colours of
each kind of node (Okabe-Ito hues, light fill)."""

FORMATS = ("svg", "pdf", "png")
MIN_FONT_PT = 6.0
START_FONT_PT = 7.0
PNG_DPI = 600

# ----------------------------------------------------------------------------- kinds
KINDS = {  # kind: (legend label, shape, face colour, edge colour) - Okabe-Ito hues, light fill
    "drug": ("drug", "ellipse", "#F6D9A6", "#B07000"),
    "messenger": ("transmitter / small molecule", "ellipse", "#E4E4E4", "#606060"),
    "receptor": ("receptor / channel", "rect", "#CDE7F6", "#2A7FB0"),
    "kinase": ("kinase", "round", "#C8EBDD", "#00795A"),
    "translation": ("translation factor", "round", "#F1D6E6", "#A5497F"),
    "protein": ("other protein", "round", "#F8F3BF", "#8A7E00"),
    "phenotype": ("phenotype / readout", "hexagon", "#F6CDB7", "#B14800"),
}
EDGE_COLOUR = "#303030"
KNOCKED_EDGE_LS = (0, (1.0, 1.2))   # dotted: a link that a perturbation cuts
GREY_FACE, GREY_EDGE, GREY_TEXT = "#BDBDBD", "#8C8C8C", "#595959"
