"""Fit scripts: each writes its fitted parameter values to pathways/data/fits.toml."""
