"""The fitted values written in the model sources are what their committed fit scripts find
on the current model (a change upstream of a fit without a refit fails here)."""
import pytest

import pathways
from pathways.fitting import fit_hnk, fit_symptom

FOUR_DIGITS = 6e-4      # the scripts write 4 significant digits


def test_hnk_distribution_is_the_fit_to_moaddel_2015():
    """fit_hnk.py: rat brain HNK ~30 µg/g at 10 min and 6 at 60 min after 20 mg/kg IV, and an
    8-h half-life (Moaddel 2015)."""
    model = pathways.load("ketamine_pk", "rat")
    found = fit_hnk.fit(model)
    assert found, "fit_hnk.fit found no parameters"
    for pid, value in found.items():
        assert model.parameters[pid] == pytest.approx(value, rel=FOUR_DIGITS), pid
    brain, half_life, v_terminal = fit_hnk.observed(model, {})
    assert brain == pytest.approx([30_000, 6_000], rel=1e-3)
    assert half_life == pytest.approx(8.0, rel=1e-3)
    assert 7.35 - 2 * 0.74 <= v_terminal <= 7.35 + 2 * 0.74   # the study's own Vd: the check


def test_symptom_gain_is_the_fit_to_lit_c2():
    """fit_symptom.py: ketamine − midazolam at 24 h = −24% in humans (LIT-C2)."""
    model = pathways.load("ketamine_synaptogenesis", "human")
    gamma = model.parameters["syn_gamma"]
    assert gamma == pytest.approx(fit_symptom.fit(model), rel=FOUR_DIGITS)
    # the fit reached its target (a search stuck at a bound would also reproduce itself)
    assert fit_symptom.difference_at_24h(model, gamma) == pytest.approx(-24.0, abs=0.05)
