"""Section A of LITERATURE.md: pharmacokinetics (`ketamine_pk`)."""
from __future__ import annotations

import numpy as np

from .. import metrics as mx
from ..drugs import get_drug
from ..regimen import Regimen
from .core import Outcome, at_least, at_most, between, model, reported, row, within

MIN = 1 / 60  # h
# a fine grid early (absorption, infusion end) and a long tail for AUC to infinity
FINE = np.unique(np.concatenate([np.arange(0, 2, 1 / 120), np.arange(2, 96.01, 0.25)]))


def _pk(species="human"):
    return model("ketamine_pk", species)


def _auc_inf(series) -> float:
    """AUC from 0 to infinity (ng·h/mL): trapezoid to the last point + C_last / λz."""
    t = series.index.values
    tail = series[t >= t[-1] - 24]
    lam = np.log(2) / mx.half_life(tail, tail.index[0], tail.index[-1])
    return mx.auc(series) + float(series.iloc[-1]) / lam


def _clearance_and_vss(series, dose_mg: float, infusion_h: float = 0.0):
    """Return (CL in L/h, Vss in L) from a plasma curve (ng/mL) by non-compartmental analysis."""
    t, c = series.index.values, series.values
    auc = _auc_inf(series)                       # ng·h/mL = µg·h/L
    tail = series[t >= t[-1] - 24]
    lam = np.log(2) / mx.half_life(tail, tail.index[0], tail.index[-1])
    aumc = np.trapezoid(c * t, t) + c[-1] * t[-1] / lam + c[-1] / lam ** 2
    cl = dose_mg * 1000.0 / auc
    mrt = aumc / auc - infusion_h / 2
    return cl, cl * mrt


@row("LIT-PK1", setup="human, 0.5 mg/kg IV over 40 min",
     expected="ketamine_plasma peak ≈185 ng/mL (100-250) at the end of the infusion "
              "(40 ± 10 min)", source="Zanos 2018 Pharmacol Rev 70:621, Table 1")
def pk1():
    df = _pk().simulate(Regimen.infusion(0.5, minutes=40), end_h=6, points=FINE[FINE <= 6])
    c = df["ketamine_plasma"]
    return Outcome([between("peak", mx.peak(c), 100, 250, "ng/mL"),
                    between("time of peak", mx.time_of_peak(c) * 60, 30, 50, "min")],
                   {"ketamine_plasma": c}, "ng/mL", [(40 * MIN, 100, 250, "published")])


@row("LIT-PK2", setup="human, 2 mg/kg IV bolus",
     expected="ketamine_plasma 1200-2400 ng/mL at 2-5 min; half-life over 0.25-2 h "
              "79 min ± 30%", source="Zanos 2018 Table 1; Br J Anaesth 1979;51:1167")
def pk2():
    df = _pk().simulate(Regimen.bolus(2.0, "iv"), end_h=4, points=FINE[FINE <= 4])
    c = df["ketamine_plasma"]
    return Outcome([between("at 2 min", mx.value_at(c, 2 * MIN), 1200, 2400, "ng/mL"),
                    between("at 5 min", mx.value_at(c, 5 * MIN), 1200, 2400, "ng/mL"),
                    within("t1/2 0.25-2 h", mx.half_life(c, 0.25, 2) * 60, 79, unit="min")],
                   {"ketamine_plasma": c}, "ng/mL", [(3.5 * MIN, 1200, 2400, "published")])


@row("LIT-PK3", setup="human, 0.5 mg/kg IV over 40 min",
     expected="CL ≈79 L/h, Vss ≈252 L per 70 kg (±30%); t1/2 over 2-8 h 2.3 ± 0.5 h (±30%)",
     source="Kamp 2020 Anesthesiology 133:1192 (meta-analysis of 18 studies)")
def pk3():
    df = _pk().simulate(Regimen.infusion(0.5, minutes=40), end_h=96, points=FINE)
    c = df["ketamine_plasma"]
    cl, vss = _clearance_and_vss(c, 0.5 * 70, 40 * MIN)
    return Outcome([within("CL", cl, 79, unit="L/h"), within("Vss", vss, 252, unit="L"),
                    within("t1/2 2-8 h", mx.half_life(c, 2, 8), 2.3, unit="h")],
                   {"ketamine_plasma": c[c.index <= 24]}, "ng/mL")


@row("LIT-PK4", setup="human, racemic ketamine 5 mg IV bolus, sampling to 24 h",
     expected="terminal half-life over 8-24 h 5-6 h (±30% of 5.5 h: 3.85-7.15 h)",
     source="Hasan 2021 Anesthesiology 135:326",
     tolerance_note="'5-6 h' is two single values (S 5.2, R 6.1 h), so LITERATURE.md's ±30% "
                    "for a single number is applied to their mean, 5.5 h; the fitted value, "
                    "4.87 h, lies below the 5-6 h span itself")
def pk4():
    df = _pk().simulate(Regimen.bolus(5, "iv", unit="mg"), end_h=24, points=FINE[FINE <= 24])
    c = df["ketamine_plasma"]
    return Outcome([within("t1/2 8-24 h", mx.half_life(c, 8, 24), 5.5, unit="h")],
                   {"ketamine_plasma": c}, "ng/mL")


def _bioavailability(drug: str, route: str, dose=0.5, unit="mg/kg", species="human"):
    m = _pk(species)
    iv = m.simulate(Regimen.bolus(dose, "iv", drug=drug, unit=unit), 96, points=FINE)
    ev = m.simulate(Regimen.bolus(dose, route, drug=drug, unit=unit), 96, points=FINE)
    return (_auc_inf(ev["ketamine_plasma"]) / _auc_inf(iv["ketamine_plasma"]),
            iv["ketamine_plasma"], ev["ketamine_plasma"])


@row("LIT-PK5", setup="human, 0.5 mg/kg by each route vs IV bolus",
     expected="AUC ratio vs IV: oral 15-20%, IM ≈93% (±30%, at most 100%), intranasal "
              "25-50%; esketamine oral 8-19%; SC assumed IM-like (reported, not checked)",
     source="Rolan 2014 BJCP (PMC4093926); Fanta 2015 EJCP 71:441; Perez-Ruixo 2021",
     kind="check (each bioavailability is a model input, F_<route>_ket / F_oral_esk, taken "
          "from these sources: the row checks that the AUC ratio recovers it)")
def pk5():
    f_oral, iv, oral = _bioavailability("ketamine", "oral")
    f_im, _, im = _bioavailability("ketamine", "im")
    f_in, _, nasal = _bioavailability("ketamine", "intranasal")
    f_esk, _, _ = _bioavailability("esketamine", "oral")
    f_sc, _, _ = _bioavailability("ketamine", "sc")
    curves = {"iv": iv[iv.index <= 8], "oral": oral[oral.index <= 8],
              "im": im[im.index <= 8], "intranasal": nasal[nasal.index <= 8]}
    return Outcome([between("F oral", f_oral, 0.15, 0.20),
                    between("F im", f_im, 0.93 * 0.7, 1.0),
                    between("F intranasal", f_in, 0.25, 0.50),
                    between("F esketamine oral", f_esk, 0.08, 0.19),
                    reported("F sc (taken IM-like)", f_sc)],
                   curves, "ketamine_plasma (ng/mL)")


@row("LIT-PK6", setup="esketamine intranasal 56 mg (and 28/84 mg; twice weekly)",
     expected="F ≈48% ±30%; Tmax 20-40 min; terminal t1/2 over 8-24 h 7-12 h; AUC "
              "dose-proportional 28-84 mg within 20%; trough before the next twice-weekly dose "
              "≤ 5% of the first peak", source="Spravato label / manufacturer's PK summary",
     kind="prediction of Tmax, t1/2, dose proportionality and trough (F is an input, F_in_esk, "
          "from the same label)")
def pk6():
    m = _pk()
    f, _, nasal = _bioavailability("esketamine", "intranasal", 56, "mg")
    auc = {d: _auc_inf(m.simulate(Regimen.bolus(d, "intranasal", "esketamine", unit="mg"),
                                  96, points=FINE)["ketamine_plasma"]) for d in (28, 84)}
    twice = m.simulate(Regimen.repeat(Regimen.bolus(56, "intranasal", "esketamine", unit="mg"),
                                      84, 2), 90, points=FINE[FINE <= 90])
    c = twice["ketamine_plasma"]
    return Outcome([within("F", f, 0.48),
                    between("Tmax", mx.time_of_peak(nasal, 0, 4) * 60, 20, 40, "min"),
                    between("t1/2 8-24 h", mx.half_life(nasal, 8, 24), 7, 12, "h"),
                    between("AUC84/AUC28/3", auc[84] / auc[28] / 3, 0.8, 1.2),
                    at_most("trough/peak", mx.value_at(c, 84 - 1e-6) / mx.peak(c, 0, 84), 0.05)],
                   {"esketamine 56 mg IN": nasal[nasal.index <= 24]}, "ng/mL",
                   [(None, 0, 0, "")][:0])


@row("LIT-PK7", setup="esketamine 0.5 mg/kg IV over 40 min; oral vs IV",
     expected="CL ≈114 L/h, Vss ≈752 L (±30%); oral F ≈19% ±30%",
     source="Perez-Ruixo 2021 Clin Pharmacokinet 60:501",
     kind="check (the esketamine clearance, volumes and oral F are this source's values: the "
          "row checks that the model recovers them by non-compartmental analysis)")
def pk7():
    df = _pk().simulate(Regimen.infusion(0.5, 40, drug="esketamine"), 96, points=FINE)
    cl, vss = _clearance_and_vss(df["ketamine_plasma"], 35.0, 40 * MIN)
    f_oral, _, _ = _bioavailability("esketamine", "oral")
    return Outcome([within("CL", cl, 114, unit="L/h"), within("Vss", vss, 752, unit="L"),
                    within("F oral", f_oral, 0.19)],
                   {"esketamine plasma": df["ketamine_plasma"][df.index <= 24]}, "ng/mL")


@row("LIT-PK8", setup="human, 0.5 mg/kg IV over 40 min, 1-4 h",
     expected="unbound brain / unbound plasma ketamine ≈0.6 (±30%)",
     source="Moaddel 2023 iScience (PMID 38162029)",
     kind="check (the ratio is the model input Kpuu_ket from this source)")
def pk8():
    m = _pk()
    df = m.simulate(Regimen.infusion(0.5, minutes=40), end_h=4, points=FINE[FINE <= 4])
    fu = m.parameters["fu_ket"]
    unbound_plasma_uM = df["ketamine_plasma"] * fu / get_drug("ketamine").molar_mass_g_per_mol
    ratio = df["ketamine_brain"] / unbound_plasma_uM
    r = ratio[ratio.index >= 1]
    return Outcome([within("min ratio 1-4 h", float(r.min()), 0.6),
                    within("max ratio 1-4 h", float(r.max()), 0.6)],
                   {"unbound brain/plasma": ratio[ratio.index > 0.05]}, "ratio",
                   [(None, 0.42, 0.78, "0.6 ± 30%")])


@row("LIT-PK9", setup="rat, 5 mg/kg IV bolus",
     expected="ketamine_brain_tissue (ng/g) : ketamine_plasma (ng/mL) ≈6.5 ±30% over "
              "10-60 min; brain peak within 5 min", source="Cohen et al. 1973 Anesthesiology",
     kind="check (Kp_ket and k_brain are derived from this study)")
def pk9():
    df = _pk("rat").simulate(Regimen.bolus(5, "iv"), end_h=2, points=np.arange(0, 2.0001, MIN))
    ratio = df["ketamine_brain_tissue"] / df["ketamine_plasma"]
    return Outcome([within(f"ratio at {m} min", mx.value_at(ratio, m * MIN), 6.5)
                    for m in (10, 30, 60)]
                   + [at_most("brain peak time", mx.time_of_peak(df["ketamine_brain_tissue"])
                              * 60, 5, "min")],
                   {"brain tissue : plasma": ratio[ratio.index > 0.01]}, "ratio",
                   [(None, 4.55, 8.45, "6.5 ± 30%")])


@row("LIT-PK10", fails=('interneuron block peak time', 'interneuron block at 1 h / peak', 'pyramidal block peak time', 'pyramidal block at 1 h / peak'),
     xfail=("the plasma part passes, the occupancy part does not: the block of both "
                       "populations peaks 7 min after the dose (brain ketamine equilibrates "
                       "within minutes of the i.p. peak) and is still ~78% of its peak at 1 h. "
                       "The nmda_block readouts combine the pore block with the high-affinity "
                       "allosteric inhibition (EC50 0.1 uM, maximum 0.83; what makes human "
                       "0.5 mg/kg act), which is 0.80 at the peak and still 0.64 at 1 h, when "
                       "unbound brain ketamine (0.26 uM) has fallen to 10% of its peak. The pore "
                       "(MK-801-site) occupancy alone, the closer match to [3H]MK-801 binding, "
                       "also peaks at 7 min and keeps 20% (interneurons) and 16% (pyramidal "
                       "cells) of its peak at 1 h, 5% and 4% at 2 h: closer to 'gone by 1 h', "
                       "not there"),
     setup="mouse, ketamine 10 mg/kg i.p. (plasma: ketamine_pk; occupancy: the composed model's "
     "nmda_block_interneuron and nmda_block_pyramidal); memantine i.p. at LITERATURE.md's "
     "default dose (peak unbound brain level at its Mg-free IC50, as in LIT-N4)",
     expected="plasma t1/2 ≈23 min (±30%, fitted 0.5-2 h); nothing left at 24 h "
              "(< 0.1% of the peak); block peaks ≈15 min (±30%) and is gone by 1 h (≤ 10% of "
              "its peak); memantine still blocks at 6 h (≥ 10% of its peak)",
     source="Wu 2019 Neurobiol Learn Mem; Lord 2013 Eur J Pharmacol 715:21",
     tolerance_note="'gone' read as ≤ 10% of the peak, 'still occupies' as ≥ 10% of the peak")
def pk10():
    df = _pk("mouse").simulate(Regimen.bolus(10, "ip"), end_h=24, points=FINE[FINE <= 24])
    c = df["ketamine_plasma"]
    out = [within("t1/2", mx.half_life(c, 0.5, 2) * 60, 23, unit="min"),
           at_most("C(24 h)/peak", mx.value_at(c, 24) / mx.peak(c), 1e-3)]
    composed = model("ketamine_synaptogenesis", "mouse")
    grid = np.arange(0, 6.0001, MIN)
    ket = composed.simulate(Regimen.bolus(10, "ip"), end_h=6, points=grid)
    from .rows_nmda import _memantine_dose_from_pk
    mem = composed.simulate(Regimen.bolus(_memantine_dose_from_pk(), "ip", drug="memantine"),
                            end_h=6, points=grid)
    curves = {"ketamine_plasma / its peak": c[c.index <= 4] / mx.peak(c)}
    for cell in ("interneuron", "pyramidal"):
        block = ket[f"nmda_block_{cell}"]
        out += [within(f"{cell} block peak time", mx.time_of_peak(block) * 60, 15, unit="min"),
                at_most(f"{cell} block at 1 h / peak", mx.value_at(block, 1) / mx.peak(block),
                        0.10)]
        mblock = mem[f"nmda_block_{cell}"]
        out.append(at_least(f"memantine {cell} block at 6 h / peak",
                            mx.value_at(mblock, 6) / mx.peak(mblock), 0.10))
        curves[f"ketamine {cell} block"] = block[block.index <= 4]
        curves[f"memantine {cell} block"] = mblock[mblock.index <= 4]
    return Outcome(out, curves, "fraction (block) or fraction of peak (plasma)")


@row("LIT-PK11", fails=("IV bolus / SC ketamine peak", "SC / IV bolus norketamine AUC"),
     xfail=("the model's ketamine metabolism is linear and the same for every route, so the "
            "norketamine AUC follows the dose that reaches plasma (SC/IV 0.93, F_sc) and cannot "
            "be 4x lower after an IV bolus (a saturable or route-dependent metabolism would be "
            "needed, with no sourced rat constants); the IV bolus peak is ~5x the SC peak at t = 0 (2.7x at 2 min, a "
            "first sampling time), not 15x, with SC absorbed at the human IM rate (ka 6/h; no rat SC/IM absorption "
            "constant found, which a slower rat SC uptake would change). SC ≈ IM holds by "
            "construction (SC is taken IM-like, citing this study)"),
     setup="rat, ketamine 10 mg/kg (LITERATURE.md's default rat dose) SC, IM and IV bolus; "
           "the IV infusion is not set up (its duration is not given)",
     expected="SC ≈ IM peak (±30%); IV bolus peak ≈15× the SC peak and norketamine AUC ≈4× "
              "lower (±30%)",
     source="Le Nedelec 2018 J Psychopharmacol (PMID 29895202)",
     kind="prediction (SC ≈ IM is an input: F_sc and ka_sc are taken IM-like from this study)")
def pk11():
    m = _pk("rat")
    runs = {route: m.simulate(Regimen.bolus(10, route), end_h=96, points=FINE)
            for route in ("sc", "im", "iv")}
    peak = {r: mx.peak(df["ketamine_plasma"]) for r, df in runs.items()}
    nket = {r: mx.auc(df["norketamine_plasma"]) for r, df in runs.items()}   # gone by 24 h
    out = [within("IM / SC ketamine peak", peak["im"] / peak["sc"], 1.0),
           within("IV bolus / SC ketamine peak", peak["iv"] / peak["sc"], 15.0),
           within("SC / IV bolus norketamine AUC", nket["sc"] / nket["iv"], 4.0)]
    curves = {f"{r} ketamine": df["ketamine_plasma"][df.index <= 4] for r, df in runs.items()}
    return Outcome(out, curves, "plasma ketamine (ng/mL)")


@row("LIT-PK12", setup="human 0.5 mg/kg IV over 40 min with the clearance parameter set to "
     "each CYP2B6 genotype's value", expected="clearance *1/*1 68, *1/*6 41, *6/*6 22 L/h",
     source="Li 2015 BJCP (PMID 25702819)", tolerance_note="this row checks only that a "
     "clearance override is honoured end to end (dose/AUC recovers the value set), so it "
     "allows 1% (numerical AUC), not LITERATURE's ±30%: a quarter-wrong override would pass that",
     kind="check (the genotype clearances are inputs: neither fitted nor predicted)")
def pk12():
    m = _pk()
    out, curves = [], {}
    for genotype, cl_target in (("*1/*1", 68.0), ("*1/*6", 41.0), ("*6/*6", 22.0)):
        df = m.simulate(Regimen.infusion(0.5, 40), 96, points=FINE,
                        parameters={"CL_ket": cl_target})
        cl, _ = _clearance_and_vss(df["ketamine_plasma"], 35.0, 40 * MIN)
        out.append(within(f"CL {genotype}", cl, cl_target, rel=0.01, unit="L/h"))
        curves[genotype] = df["ketamine_plasma"][df.index <= 12]
    return Outcome(out, curves, "ketamine_plasma (ng/mL)")
