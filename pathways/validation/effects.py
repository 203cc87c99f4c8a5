"""Setups shared by the mechanism rows: default rodent doses, drug effects under perturbations.

LITERATURE.md's rules: the effect of a drug under a perturbation is
(perturbation + drug) − (perturbation + vehicle) at the same time; signalling readouts are read
at their peak within 0-4 h, synaptic proteins, spines and symptoms at 24 h, rapid effects at
30 min; abolished ≤ 25% of the unperturbed effect, blunted ≤ 60%.
"""
from __future__ import annotations

import functools

import numpy as np

from .. import metrics as mx
from ..regimen import Regimen
from .core import model

COMPOSED = "ketamine_synaptogenesis"
RISE, FALL, RISE_STRUCTURAL = 1.10, 0.90, 1.05
IMPROVED = -10.0
ABOLISHED, BLUNTED, INACTIVE, ACTIVE = 0.25, 0.60, 0.25, 0.50
SIGNALLING = ("glutamate_rel", "peEF2_rel", "BDNF_rel", "TrkB_active_rel", "pAkt_rel",
              "pERK_rel", "mTORC1_active_rel", "p4EBP_rel", "pS6K_rel")


def default_dose(species: str, dose: float = 10.0) -> Regimen:
    """Return the default rodent regimen: `dose` mg/kg i.p. (LITERATURE.md: 10 mg/kg)."""
    return Regimen.bolus(dose, "ip")


def grid(end_h: float, start: float = 0.0) -> np.ndarray:
    """Return output times (h): every minute for 6 h, then every 30 min to end_h."""
    early = np.arange(start, min(end_h, 6.0) + 1e-9, 1 / 60)
    late = np.arange(6.5, end_h + 1e-9, 0.5) if end_h > 6 else np.array([])
    return np.unique(np.concatenate([early, late, [end_h]]))


def run(species: str, regimen: Regimen, end_h: float, perturbations=(), name=COMPOSED,
        parameters=None):
    """Simulate the composed model; return the result DataFrame (shared between checks
    that ask for the same run: do not modify it)."""
    if parameters is None:
        return _run(species, regimen, float(end_h), tuple(perturbations), name)
    return _simulate(species, regimen, end_h, tuple(perturbations), name, parameters)


@functools.lru_cache(maxsize=256)
def _run(species, regimen, end_h, perturbations, name):
    return _simulate(species, regimen, end_h, perturbations, name, None)


def _simulate(species, regimen, end_h, perturbations, name, parameters):
    starts = [0.0] + [getattr(p, "at_h", None) or 0.0 for p in perturbations
                      if not isinstance(p, str)]
    return model(name, species).simulate(regimen, end_h, perturbations=perturbations,
                                         parameters=parameters, points=grid(end_h, min(starts)))


def effect(species: str, regimen: Regimen, readout: str, end_h: float, perturbations=()):
    """Return the drug effect on `readout` over time: (pert + drug) − (pert + vehicle)."""
    drug = run(species, regimen, end_h, perturbations)[readout]
    vehicle = run(species, Regimen.none(), end_h, perturbations)[readout]
    return drug - vehicle


def read(series, readout: str, at_h: float | None = None) -> float:
    """Return the signed change read as LITERATURE.md says: at `at_h` if given, else the
    largest change within 0-4 h for signalling readouts, or the value at 24 h."""
    if at_h is not None:
        return mx.value_at(series, at_h)
    if readout in SIGNALLING:
        window = series[(series.index >= 0) & (series.index <= 4)]
        return float(window.iloc[int(np.argmax(np.abs(window.values)))])
    return mx.value_at(series, 24.0)
