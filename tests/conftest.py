"""Shared fixtures: tiny inline models built with the project's unit vocabulary."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

from pathways.sources import UNITS_FILE

# Property tests draw the same examples on every run by default, so that CI (which gates every
# submission) is reproducible; HYPOTHESIS_PROFILE=explore draws new ones (run it locally to
# hunt for bugs, then pin what it finds as a plain regression test, as in test_properties.py).
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ONE_COMPARTMENT = """
  compartment ket_V1 = 50 litre;           // one-compartment oracle
  compartment ket_depot = 1 litre;
  species ket_central in ket_V1 = 0 uM;
  species ket_depot_ip in ket_depot = 0 uM;
  species ket_eliminated in ket_depot = 0 uM;
  body_weight = 70 kg;
  ket_infusion_rate = 0 umol_per_h;
  CL = 25 L_per_h;
  ka = 2 per_h;
  F_ip = 0.6 dimensionless;
  ket_infusion: => ket_central; ket_infusion_rate;
  elim: ket_central => ket_eliminated; CL * ket_central;
  absorb: ket_depot_ip => ket_central; ket_depot * ka * F_ip * ket_depot_ip;
  loss: ket_depot_ip => ket_eliminated; ket_depot * ka * (1 dimensionless - F_ip) * ket_depot_ip;
  MW_ket = 237.7 g_per_mol;
  ketamine_plasma := ket_central * MW_ket; ketamine_plasma has ng_per_mL;
  NMDAR_scale = 1 dimensionless;
  nmda_block_interneuron := 1 dimensionless - NMDAR_scale; nmda_block_interneuron has dimensionless
"""


def antimony_to_sbml(body: str, name: str = "oracle") -> str:
    """Return SBML for an inline model body, with the shared units inserted."""
    import antimony

    antimony.clearPreviousLoads()
    text = f"model {name}()\n{UNITS_FILE.read_text()}\n{body}\nend\n"
    assert antimony.loadAntimonyString(text) >= 0, antimony.getLastError()
    return antimony.getSBMLString(name)


@pytest.fixture(scope="session")
def oracle_model():
    """A one-compartment ketamine model whose solutions are known in closed form."""
    from pathways.model import Model

    return Model("oracle", "human", sbml=antimony_to_sbml(ONE_COMPARTMENT))


SHARED = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared"


def pytest_terminal_summary(terminalreporter):
    """Say loudly when ../shared is not beside the repository: the SBML test suite, the
    BioModels and LITERATURE.md tests (about 4,400) are then skipped, and a green run
    checked much less than it seems."""
    if not SHARED.is_dir():
        terminalreporter.write_sep(
            "!", f"{SHARED} not found: the SBML test suite, BioModels and LITERATURE.md "
                 "tests were skipped (clone the repository beside shared/)", red=True)
