"""Section C of LITERATURE.md: rodent mechanism (composed model, rat and mouse parameter sets).

Thresholds are LITERATURE.md's defaults (see `effects`); each check states its readout time.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .. import metrics as mx
from ..perturbations import inhibit
from ..presets import preset
from ..regimen import Regimen
from .core import Outcome, at_least, at_most, between, fraction_at_most, reported, row
from .effects import (ABOLISHED, ACTIVE, BLUNTED, COMPOSED, FALL, IMPROVED, INACTIVE, RISE,
                      RISE_STRUCTURAL, effect, read, run)

SYMPTOM = "symptom_change_pct"


@row("LIT-R1", setup="rat, ketamine 10, 20, 30 mg/kg i.p.",
     expected="glutamate_rel peak ≥ 1.10 at each dose (peak and time reported)",
     source="Moghaddam 1997 J Neurosci 17:2921")
def r1():
    out, curves = [], {}
    for dose in (10, 20, 30):
        g = run("rat", Regimen.bolus(dose, "ip"), 6)["glutamate_rel"]
        out += [at_least(f"{dose} mg/kg peak", mx.peak(g), RISE, "fold"),
                reported(f"{dose} mg/kg time of peak", mx.time_of_peak(g) * 60, "min")]
        curves[f"{dose} mg/kg"] = g
    return Outcome(out, curves, "glutamate_rel (fold)")


LI2010_SIGNALS = ("mTORC1_active_rel", "p4EBP_rel", "pS6K_rel", "pERK_rel", "pAkt_rel")


@row("LIT-R2", setup="rat, ketamine 10 mg/kg i.p.",
     expected="p-mTOR, p-4E-BP1, p-S6K, p-ERK, p-Akt peak ≥ 1.10 within 60 min (±30%: "
              "≤ 78 min) and return towards baseline by about 2 h (change at 2.6 h ≤ 50% of "
              "the peak change)", source="Li 2010 Science 329:959, Fig. 1",
     tolerance_note="'towards baseline' read as ≤ 50% of the peak change at 2 h + 30% "
                    "(LITERATURE.md's ±30% on the single time): 'towards', not 'back to "
                    "baseline' (≤ 10%). At 2 h itself 54-60% of the peak change remains "
                    "(reported): a reading at 2 h or as 'back to baseline' would fail")
def r2():
    df = run("rat", Regimen.bolus(10, "ip"), 6)
    out, curves = [], {}
    for r in LI2010_SIGNALS:
        s = df[r]
        out.append(at_least(f"{r} peak", mx.peak(s, 0, 4), RISE))
        out.append(at_most(f"{r} peak time", mx.time_of_peak(s, 0, 4) * 60, 78, "min"))
        out.append(at_most(f"{r} change at 2.6 h / peak change",
                           (mx.value_at(s, 2.6) - 1) / (mx.peak(s, 0, 4) - 1), 0.5))
        out.append(reported(f"{r} change at 2 h / peak change",
                            (mx.value_at(s, 2.0) - 1) / (mx.peak(s, 0, 4) - 1)))
        curves[r] = s[s.index <= 4]
    return Outcome(out, curves, "fold of baseline")


@row("LIT-R3", fails=('1 mg/kg / 10 mg/kg', '80 mg/kg / 10 mg/kg'),
     xfail=('1 mg/kg gives 68% of the 10 mg/kg mTORC1 peak: the high-affinity allosteric site (EC50 0.1 µM) that lets human 0.5 mg/kg IV (≈0.3 µM unbound) act also acts at rat 1 mg/kg i.p. (similar exposure), and the cascade is near saturation already (the human row wins, LITERATURE rules). 80 mg/kg: the pyramidal pore block silences the burst only while brain ketamine is anaesthetic; as it falls through the subanaesthetic range (1.5-3 h) the burst returns and meets a BDNF pool raised by the resting arm, so the 0-6 h peak is as large as at 10 mg/kg. Tried and not adopted: a more depolarised potential for pyramidal openings (-50 mV) halves the 1-h response at 80 mg/kg but leaves the delayed peak (1.75-fold at 2.1 h). A ceiling needs a refractory mechanism after anaesthetic exposure that the model lacks'), setup="rat, ketamine 1, 5, 10, 80 mg/kg i.p.",
     expected="mTORC1_active_rel peak effect: 5 and 10 active (≥ 50% of the 10 mg/kg effect); "
              "1 and 80 (anaesthetic) inactive (≤ 25%)", source="Li 2010 Science 329:959")
def r3():
    peaks, curves = {}, {}
    for dose in (1, 5, 10, 80):
        s = run("rat", Regimen.bolus(dose, "ip"), 6)["mTORC1_active_rel"]
        peaks[dose] = mx.peak(s, 0, 4) - 1.0
        curves[f"{dose} mg/kg"] = s[s.index <= 4]
    ref = peaks[10]
    return Outcome([at_least("5 mg/kg / 10 mg/kg", peaks[5] / ref, ACTIVE),
                    fraction_at_most("1 mg/kg / 10 mg/kg", peaks[1], ref, INACTIVE),
                    fraction_at_most("80 mg/kg / 10 mg/kg", peaks[80], ref, INACTIVE)],
                   curves, "mTORC1_active_rel (fold)")


@row("LIT-R4", fails=('at 2.6 h', 'at 72 h'),
     xfail=('with the measured synaptic-protein turnover (0.7%/h in culture, Cohen 2013; in vivo PSD-95 lives longer still, mean lifetime 10-16 d, Mohar 2025 Nat Neurosci 28:1089) and a 1.5-2-fold translation rise lasting 3-4 h, new protein adds only ~1.4% (2.6 h) and ~0.9% (72 h). No turnover value passes both (a scan from 0.3x to 100x, tests/test_literature.py): the 72-h rise never exceeds +1.03%, and a turnover fast enough for +5% at 2.6 h (about 4x and above, t1/2 under a day) leaves less at 72 h (+0.6% at 5x, +0.1% at 10x). Synaptic content can change faster by redistribution - 36% of spine PSD-95 is mobile (FRAP, J Neurosci 2010, PMC2874826) with a retention time of ~100 min in adults (Gray 2006 PLoS Biol 4:e370) - and BDNF drives PSD-95 delivery to dendrites through TrkB-PI3K-Akt (Yoshii & Constantine-Paton 2007 Nat Neurosci 10:702) - but no size or rate of that delivery was found, so the model has no regulated capture step and fails this row rather than fit one'), setup="rat, ketamine 10 mg/kg i.p.",
     expected="synaptic_proteins_rel ≥ 1.05 from about 2 h (at 2.6 h, +30%) and at 72 h",
     source="Li 2010 Science 329:959, Fig. 2")
def r4():
    s = run("rat", Regimen.bolus(10, "ip"), 96)["synaptic_proteins_rel"]
    return Outcome([at_least("at 2.6 h", mx.value_at(s, 2.6), RISE_STRUCTURAL),
                    at_least("at 72 h", mx.value_at(s, 72), RISE_STRUCTURAL)],
                   {"synaptic_proteins_rel": s}, "fold of baseline")


@row("LIT-R5", fails=('at 24 h',),
     xfail=('spine formation is capacity-limited (dendritic capacity 1.6x resting; 85% of resting nucleation comes from new protein through a steep threshold, Hill n = 4 at 5x the resting level) and driven by the small new-protein rise (see LIT-R4): +1.3% at 24 h'), setup="rat, ketamine 10 mg/kg i.p.", expected="spine_density_rel ≥ 1.05 at 24 h",
     source="Li 2010 Science 329:959, Fig. 3")
def r5():
    s = run("rat", Regimen.bolus(10, "ip"), 48)["spine_density_rel"]
    return Outcome([at_least("at 24 h", mx.value_at(s, 24), RISE_STRUCTURAL)],
                   {"spine_density_rel": s}, "fold of baseline")


def _control_present(r, value, at_h):
    """Metric: the unperturbed effect on `r` is there at all (a rise ≥ the threshold of its
    kind, or an improvement ≤ -10%): "abolished" means nothing if there is nothing to abolish."""
    if r == SYMPTOM:
        return at_most(f"control: {r} effect at {at_h:g} h", value, IMPROVED, "%")
    threshold = RISE_STRUCTURAL if r in ("synaptic_proteins_rel", "spine_density_rel") else RISE
    return at_least(f"control: {r} effect at {at_h:g} h", value, threshold - 1.0)


def _abolished_at_24h(species, dose, presets, readouts, limit=ABOLISHED, at_h=24.0):
    out, curves = [], {}
    reg = Regimen.bolus(dose, "ip")
    for r in readouts:
        ctrl = effect(species, reg, r, max(at_h, 24) + 1)
        out.append(_control_present(r, read(ctrl, r, at_h), at_h))
        for p in presets:
            pert = effect(species, reg, r, max(at_h, 24) + 1, [preset(p)])
            out.append(fraction_at_most(f"{p}: {r} effect / control", read(pert, r, at_h),
                                        read(ctrl, r, at_h), limit))
            if r == SYMPTOM and preset(p).at_h is not None:    # an acute tool, given alone
                alone = run(species, Regimen.none(), max(at_h, 24) + 1, [preset(p)])[r]
                out.append(reported(f"{p} + vehicle: {r}",
                                    read(alone, r, at_h), "%"))
            curves[f"{p} {r}"] = pert
        curves[f"control {r}"] = ctrl
    return out, curves


@row("LIT-R6", fails=('control: synaptic_proteins_rel effect at 24 h', 'control: spine_density_rel effect at 24 h'),
     xfail=("rapamycin abolishes the symptom effect (4% of control), but the "
                     "control rises it should abolish are not there: ketamine alone raises "
                     "synaptic proteins by 1.2% and spines by 1.3% at 24 h in rat, below the "
                     "+5% a rise needs (the reason of LIT-R4 and LIT-R5), so 'abolished' cannot "
                     "be shown for them (their ratios, 9% and 1%, divide two small numbers)"),
     setup="rat, rapamycin i.c.v. 30 min before ketamine 10 mg/kg i.p.",
     expected="effects on synaptic_proteins_rel, spine_density_rel and symptom_change_pct at "
              "24 h ≤ 25% of control (abolished)", source="Li 2010 Science 329:959")
def r6():
    out, curves = _abolished_at_24h("rat", 10, ["rapamycin"], ["synaptic_proteins_rel",
                                                               "spine_density_rel", SYMPTOM])
    return Outcome(out, curves, "effect vs vehicle")


@row("LIT-R7", setup="mouse, ketamine 3 mg/kg i.p.",
     expected="p-eEF2 ≤ 0.90 and BDNF ≥ 1.10 at 30 min; both back within 10% of the peak "
              "change by 8 h and 24 h", source="Autry 2011 Nature 475:91; Gideons 2014")
def r7():
    df = run("mouse", Regimen.bolus(3, "ip"), 26)
    pe, bd = df["peEF2_rel"], df["BDNF_rel"]
    out = [at_most("p-eEF2 at 30 min", mx.value_at(pe, 0.5), FALL),
           at_least("BDNF at 30 min", mx.value_at(bd, 0.5), RISE)]
    for name, s, peak_change in (("p-eEF2", pe, 1 - mx.trough(pe, 0, 4)),
                                 ("BDNF", bd, mx.peak(bd, 0, 4) - 1)):
        for t in (8, 24):
            out.append(at_most(f"{name} |change| at {t} h / peak change",
                               abs(mx.value_at(s, t) - 1) / peak_change, 0.10))
    return Outcome(out, {"peEF2_rel": pe, "BDNF_rel": bd}, "fold of baseline")


@row("LIT-R8", setup="mouse, anisomycin pretreatment or bdnf_ko, then ketamine 10 mg/kg i.p.",
     expected="symptom effect at 30 min and 24 h ≤ 25% of control (abolished)",
     source="Autry 2011 Nature 475:91")
def r8():
    out, curves = [], {}
    for at in (0.5, 24.0):
        o, c = _abolished_at_24h("mouse", 10, ["anisomycin", "bdnf_ko"], [SYMPTOM], at_h=at)
        out += [m if m.name.startswith("control:") else
                dataclasses.replace(m, name=f"{m.name} at {at:g} h") for m in o]
        curves.update(c)
    return Outcome(out, curves, "symptom effect (%)")


@row("LIT-R9", fails=('lvdcc_blocker: symptom_change_pct effect / control',
                     'lvdcc_blocker: peak BDNF release while it acts / control'),
     xfail=('evoked BDNF release (extracellular BDNF) while each blocker acts - the in-vitro design, blocker present throughout - falls to 14% of control with NBQX but only to 26% with the L-VDCC blocker (the resting arm raises the BDNF store, and constitutive release leaks it out); once NBQX\'s assumed 2-h action ends, the burst and the raised store give a rebound (peak over 0-4 h 171% of control), an in-vivo prediction Lepack 2015 did not test. Anti-BDNF abolishes the effect (9%), but the L-VDCC blocker leaves 33%: the resting eEF2 arm (BDNF translation, needed for LIT-N4/R7) carries a third of the BDNF response in the model, whereas Lepack 2015 finds L-VDCC block sufficient to abolish it. In the model, BDNF translated during the block accumulates (BDNF_rel +0.39 at 2 h vs +0.02 without blocker), leaks out by constitutive release (p-TrkB +0.33 vs +0.70 at 2 h) and is released in a rebound when the assumed 6-h action of the blocker (given 30 min before ketamine) ends (p-TrkB +0.53 vs +0.18 at 5.6 h). Tried and not adopted: a constitutive share of 10% instead of the assumed 30% leaves about a third (a larger rebound replaces the leak) and breaks LIT-R7 and R19 (BDNF +9% and +6%)'), setup="rat, anti-BDNF antibody in mPFC or L-VDCC blocker, then ketamine 10 mg/kg",
     expected="symptom effect at 24 h ≤ 25% of control (abolished); peak evoked BDNF release "
              "while NBQX or the L-VDCC blocker acts ≤ 25% of control (needs AMPAR and L-VDCC)",
     source="Lepack 2015 Int J Neuropsychopharmacol 18:pyu033")
def r9():
    out, curves = _abolished_at_24h("rat", 10, ["anti_bdnf", "lvdcc_blocker"], [SYMPTOM])
    for p in ("nbqx", "lvdcc_blocker"):
        blocker = preset(p)
        blocked = _release_rise("rat", 10, blocker.until_h, [blocker])
        control = _release_rise("rat", 10, blocker.until_h)
        out.append(fraction_at_most(f"{p}: peak BDNF release while it acts / control",
                                    blocked, control, ABOLISHED))
    return Outcome(out, curves, "symptom effect (%)")


def _release_rise(species, dose, until_h, perturbations=()) -> float:
    """Return the largest rise of extracellular BDNF (`BDNF_ext`, as a fraction of its
    drug-free level) that ketamine `dose` mg/kg i.p. evokes from 0 to `until_h` h."""
    from .core import model
    m = model(COMPOSED, species)
    grid = np.linspace(0.0, until_h, 201)

    def ext(regimen, perts):
        return m.simulate(regimen, until_h, perturbations=perts, variables=["BDNF_ext"],
                          points=grid)["BDNF_ext"]
    base = float(ext(Regimen.none(), [])[0.0])
    return float(((ext(Regimen.bolus(dose, "ip"), perturbations)
                   - ext(Regimen.none(), perturbations)) / base).max())


@row("LIT-R10", setup="mouse, NBQX 10 min before ketamine 10 mg/kg i.p.",
     tolerance_note=("the pass rests on NBQX's assumed 2 h of 90% AMPAR block (preset "
                     "nbqx): with 1.5 h the effect is 71.5% of control (FAIL), with 1 h 89%"),
     expected="symptom effect at 24 h ≤ 60% of control (blunted)",
     source="Maeng 2008 Biol Psychiatry 63:349")
def r10():
    out, curves = _abolished_at_24h("mouse", 10, ["nbqx"], [SYMPTOM], limit=BLUNTED)
    return Outcome(out, curves, "symptom effect (%)")


@row("LIT-R11", fails=('ana12: symptom_change_pct effect / control',),
     xfail=('ANA-12 (80% less BDNF-TrkB binding from 30 min to 6 h after its injection) leaves 70% of the 24-h effect. Released BDNF meets TrkB much faster than it is cleared (binding 3600/µM/h x 0.25 µM TrkB, Jain & Bhalla 2009, vs astrocytic uptake 12/h, assumed): 95% of the BDNF released after 10 mg/kg ends in p-TrkB (extra autophosphorylation over extra uptake, 0-24 h), and with binding cut by 80% still 80%, so a competitive antagonist lowers TrkB activation by only ~15% unless its occupancy is near-complete; the steep symptom mapping (gain fitted to LIT-C2) compresses effect ratios further. The simplified preset is not what fails: ANA-12 as Cazorla 2011 measured it (non-competitive, so acting on TrkB activation; brain levels 400 -> 10 nM over 0.5-6 h against a 10-nM site, occupancy 97% -> 50%) still leaves 44%: ketamine + ANA-12 is then only -2.0% from the pre-dose score, but ANA-12 alone (less tonic TrkB signalling) worsens it by 6.6%, and the effect is read against ANA-12 alone (tests/test_literature.py)'), setup="mouse, ANA-12 before ketamine 10 mg/kg i.p.",
     expected="symptom effect at 24 h ≤ 25% of control (blocked)", source="Wu 2019; Lin 2021")
def r11():
    out, curves = _abolished_at_24h("mouse", 10, ["ana12"], [SYMPTOM])
    return Outcome(out, curves, "symptom effect (%)")


@row("LIT-R12", fails=('5 mg/kg',),
     setup="rat, ketamine 5, 10, 15 mg/kg i.p. (hippocampus; PFC readout as proxy)",
     expected="BDNF_rel peak ≥ 1.10 at 10 and 15; < 1.10 at 5 mg/kg", source="Garcia 2008 "
     "Prog Neuropsychopharmacol Biol Psychiatry 32:140",
     xfail="conflicts with LIT-R3 (5 mg/kg active for mTORC1 in PFC) with shared pathway "
           "parameters: a BDNF rise that drives mTORC1 at 5 mg/kg is itself a rise")
def r12():
    peaks, curves = {}, {}
    for dose in (5, 10, 15):
        s = run("rat", Regimen.bolus(dose, "ip"), 6)["BDNF_rel"]
        peaks[dose] = mx.peak(s, 0, 4)
        curves[f"{dose} mg/kg"] = s
    return Outcome([at_least("10 mg/kg", peaks[10], RISE), at_least("15 mg/kg", peaks[15], RISE),
                    at_most("5 mg/kg", peaks[5], RISE)], curves, "BDNF_rel (fold)")


@row("LIT-R13", fails=('bdnf_val66met baseline spines', 'control: spine_density_rel effect at 24 h', 'bdnf_met66met: spine_density_rel effect / control', 'bdnf_met66met: symptom_change_pct effect / control'),
     xfail=('Val66Met is modelled as 15%/30% less BDNF sorted into the releasable (regulated) pool, so activity-dependent secretion falls by 15%/30% as Egan 2003 and Chen 2004 measured: baseline spines fall to 0.90 (Val/Met, on the edge of the 10% threshold) and 0.80 (Met/Met, passes), but Met/Met keeps 48% of the spine response and 62% of the behavioural one, not the loss Liu 2012 saw: a 30% smaller releasable pool lowers the burst release by 30%, not to nothing, and the control spine rise itself is below +5% (see LIT-R5)'), setup="mouse, BDNF Val66Met knock-in (Val/Met and Met/Met), ketamine 10 mg/kg",
     expected="Met carriers: baseline spine_density_rel ≤ 0.90; Met/Met: spine and symptom "
              "effects at 24 h ≤ 25% of wild type (blocked)", source="Liu 2012 Biol "
     "Psychiatry 71:996")
def r13():
    out = []
    for p in ("bdnf_val66met", "bdnf_met66met"):
        base = run("mouse", Regimen.none(), 1, [preset(p)])["spine_density_rel"]
        out.append(at_most(f"{p} baseline spines", float(base.iloc[0]), FALL))
    o, c = _abolished_at_24h("mouse", 10, ["bdnf_met66met"], ["spine_density_rel", SYMPTOM])
    return Outcome(out + o, c, "effect vs vehicle")


@row("LIT-R14", setup="mouse, 4E-BP1/2 knockout, ketamine 10 mg/kg i.p.",
     tolerance_note=("passes by occlusion and saturation, weak evidence: the knockout frees "
                     "eIF4E already at rest, so baseline synaptic proteins are 8.6x and spines "
                     "1.62x (at the dendritic capacity); ketamine then adds at most 0.14% "
                     "protein over the knockout's own level (1.0% in wild type; 0.09% and "
                     "0.66% at 24 h) and no spines, so the 24-h effect goes, while the 2-h "
                     "effect stays (-19% vs -29%). Aguilar-Valles "
                     "2021 place the requirement in 4E-BP2 of inhibitory interneurons, a "
                     "cell-type mechanism the model does not have"),
     expected="symptom effect at 24 h ≤ 25% of wild type (abolished)",
     source="Aguilar-Valles 2021 Nature 590:315")
def r14():
    out, curves = _abolished_at_24h("mouse", 10, ["eif4ebp_ko"], [SYMPTOM])
    return Outcome(out, curves, "symptom effect (%)")


def lowest_active_dose(species="mouse", doses=(0.5, 1, 2, 3, 5, 7.5, 10)) -> float:
    """Return the lowest i.p. dose (mg/kg) whose 24-h symptom effect is ≥ 50% of 10 mg/kg's."""
    ref = read(effect(species, Regimen.bolus(10, "ip"), SYMPTOM, 25), SYMPTOM)
    for d in doses:
        if read(effect(species, Regimen.bolus(d, "ip"), SYMPTOM, 25), SYMPTOM) / ref >= ACTIVE:
            return d
    return 10.0


@row("LIT-R15", fails=('0.75 mg/kg + lithium / 10 mg/kg',),
     xfail=('~50% GSK-3 inhibition by lithium (brain Li+ assumed 0.5-1 mM vs Ki 1-2 mM) potentiates a sub-threshold dose only to 25% of the 10 mg/kg effect (row needs 50%). It is not the size of the lithium effect: inhibit("GSK3B", f) gives 27% at f = 0.7, 23% at 0.9 and 16% at 0.99 (near-complete inhibition also raises the synaptic drive of the vehicle twin, which the effect is read against), so GSK-3 is too weak a brake on the synaptic protein and spines of the model (themselves too small a rise, see LIT-R4) for this row. The indirect action of lithium (more Akt-dependent Ser9 phosphorylation via beta-arrestin 2; Freland & Beaulieu 2012 Front Mol Neurosci 5:14) has no measured size and is not modelled'), setup="mouse, chronic lithium + ketamine at a quarter of the model's lowest "
     "active i.p. dose", expected="that dose is inactive alone (≤ 25% of the 10 mg/kg effect "
     "at 24 h) and active with lithium (≥ 50%)", source="Chiu 2015 Int J "
     "Neuropsychopharmacol; Liu 2013 Neuropsychopharmacology 38:2268")
def r15():
    sub = lowest_active_dose() / 4
    ref = read(effect("mouse", Regimen.bolus(10, "ip"), SYMPTOM, 25), SYMPTOM)
    alone = effect("mouse", Regimen.bolus(sub, "ip"), SYMPTOM, 25)
    with_li = effect("mouse", Regimen.bolus(sub, "ip"), SYMPTOM, 25, [preset("lithium")])
    return Outcome([fraction_at_most(f"{sub:g} mg/kg alone / 10 mg/kg", read(alone, SYMPTOM),
                                     ref, INACTIVE),
                    at_least(f"{sub:g} mg/kg + lithium / 10 mg/kg", read(with_li, SYMPTOM) / ref,
                             ACTIVE)],
                   {f"{sub:g} mg/kg": alone, f"{sub:g} mg/kg + lithium": with_li},
                   "symptom effect (%)")


@row("LIT-R16", fails=('best dose', '100 mg/kg / best'),
     xfail=('no inverted U: at 30-100 mg/kg the burst is suppressed only while brain ketamine is anaesthetic and returns as it falls (see LIT-R3), so high doses act at least as much as 10 mg/kg. Also not reproduced (published, not in LITERATURE.md): 20 and 50 mg/kg i.p. inactive in mice with BDNF raised only at 5 mg/kg (PMC7136035, 2020, hippocampal BDNF; model: BDNF peak 1.12, 1.17, 1.24-fold at 5, 20, 50), and PFC glutamate unchanged at 50 and lowered at 200 mg/kg in rats (Moghaddam 1997; model: +95% and +94% peaks, delayed)'), setup="mouse, ketamine 1, 3, 10, 30, 100 mg/kg i.p.; NMDAR antagonist "
     "pretreatment inhibit('NMDAR', 0.9, at_h=-0.5) before 10 mg/kg",
     expected="symptom effect at 24 h: largest at an intermediate dose, 100 mg/kg < 50% of it; "
              "the antagonist abolishes the 10 mg/kg effect (≤ 25%)", source="PMC9908316 (2023)")
def r16():
    eff = {d: read(effect("mouse", Regimen.bolus(d, "ip"), SYMPTOM, 25), SYMPTOM)
           for d in (1, 3, 10, 30, 100)}
    best = min(eff, key=eff.get)
    pre = effect("mouse", Regimen.bolus(10, "ip"), SYMPTOM, 25,
                 [inhibit("NMDAR", 0.9, at_h=-0.5)])
    import pandas as pd
    curve = pd.Series([eff[d] for d in sorted(eff)], index=pd.Index(
        np.log10(sorted(eff)), name="log10 dose (mg/kg)"))
    return Outcome([between("best dose (largest 24-h effect)", best, 3, 30, "mg/kg"),
                    fraction_at_most("100 mg/kg / best", eff[100], eff[best], 0.5),
                    fraction_at_most("antagonist-pretreated / control", read(pre, SYMPTOM),
                                     eff[10], ABOLISHED)],
                   {"24-h effect vs log10 dose": curve}, "symptom effect at 24 h (%)")


@row("LIT-R17", fails=('symptom_change_pct at 30 min: KO / WT',),
     xfail=('eEF2K knockout removes the p-eEF2 drop but raises the resting BDNF store 2-fold, so the burst releases more BDNF and the 30-min response is larger, not absent. Adaikkan et al. (Rosenblum lab, Biol Psychiatry, online 2017, doi 10.1016/j.biopsych.2017.11.028) report that eEF2K knockout raises protein synthesis yet makes mice resistant to ketamine biochemically and behaviourally, and Heise 2017 (Cereb Cortex 27:2226) that it strengthens GABAergic transmission: a knockout-specific adaptation (e.g. more inhibition blunting the burst) that the model lacks and that has no measured size to add'), setup="mouse, eef2k_ko, ketamine 10 mg/kg i.p.",
     expected="p-eEF2 drop and 30-min symptom effect ≤ 25% of wild type",
     source="Nosyreva 2013 J Neurosci 33:6990; Autry 2011")
def r17():
    reg = Regimen.bolus(10, "ip")
    out, curves = [], {}
    for r, at in (("peEF2_rel", 0.5), (SYMPTOM, 0.5)):
        wt = effect("mouse", reg, r, 2)
        ko = effect("mouse", reg, r, 2, [preset("eef2k_ko")])
        out.append(fraction_at_most(f"{r} at 30 min: KO / WT", read(ko, r, at),
                                    read(wt, r, at), ABOLISHED))
        curves[f"WT {r}"], curves[f"KO {r}"] = wt, ko
    return Outcome(out, curves, "effect vs vehicle")


@row("LIT-R18", fails=('at 24 h', 'at 7 d', 'at 14 d', 'formation 3-6 h'),
     xfail=('spines +0.7% at 24 h, +0.2% at 7 d and less at 14 d in mice (see LIT-R5: '
            'capacity-limited formation, small new-protein rise). Formation also starts too '
            'early: it follows new synaptic protein within hours (nascent protrusions mature '
            'over ~8 h), so it is up 41% over 3-6 h, when imaging saw no change, and peaks at '
            '4.3 h; over 12-24 h it is up 10%, as published. Size of the effect in '
            'Phoumthipphavong 2016\'s raw data (Kwan-Lab/phoumthipphavong2016, '
            'spine_summary.m, the script\'s exclusions; this project\'s re-analysis: each '
            'dendrite over its days -3/-1 mean, averaged per mouse): ketamine/saline 1.09 at '
            'day 1 (8 and 8 mice), 1.20 at day 3 (3 and 2), 1.32 at day 5, 1.38 at day 10 and '
            '1.12 at day 15 (3 and 1), partly because saline density fell 11% by day 1 while '
            'ketamine held at 0.97; new spines over days -1 to 1 23% of all against saline '
            '14% (18% without the one mouse at 60%), where the model, counted the same way '
            '(survivors at the second session), gives 7.3% against 6.6%'),
     setup="mouse, ketamine 10 mg/kg i.p.",
     expected="spine_density_rel < 1.05 at 3 and 6 h; ≥ 1.05 at 24 h; still ≥ 1.05 at 7 and "
              "14 days (raised up to about 2 weeks); spine_formation_rel (mean over the "
              "window) < 1.10 over 3-6 h and ≥ 1.10 over 12-24 h; spine loss per spine "
              "reported (not lowered by construction: no drug acts on spine loss)",
     source="Phoumthipphavong 2016; Moda-Sava 2019 Science 364:eaat8078",
     tolerance_note="formation 'unchanged' read as below LITERATURE.md's rise (1.10) and "
                    "'raised' as at or above it; imaging counts spines formed between two "
                    "sessions, the model's instantaneous rate is averaged over the same window")
def r18():
    df = run("mouse", Regimen.bolus(10, "ip"), 24 * 14)
    s, form = df["spine_density_rel"], df["spine_formation_rel"]
    loss = df["spine_elimination_rel"]
    return Outcome([at_most("at 3 h", mx.value_at(s, 3), RISE_STRUCTURAL),
                    at_most("at 6 h", mx.value_at(s, 6), RISE_STRUCTURAL),
                    at_least("at 24 h", mx.value_at(s, 24), RISE_STRUCTURAL),
                    at_least("at 7 d", mx.value_at(s, 168), RISE_STRUCTURAL),
                    at_least("at 14 d", mx.value_at(s, 336), RISE_STRUCTURAL),
                    at_most("formation 3-6 h", mx.auc(form, 3, 6) / 3, RISE),
                    at_least("formation 12-24 h", mx.auc(form, 12, 24) / 12, RISE),
                    reported("loss per spine, largest change over 14 d",
                             mx.peak(loss) - 1.0)],
                   {"spine_density_rel": s, "spine_formation_rel": form,
                    "spine_elimination_rel": loss}, "fold of baseline")


@row("LIT-R19", setup="rat, ketamine 10 mg/kg i.p. (hippocampus; PFC readout as proxy)",
     expected="BDNF_rel ≥ 1.10 at 1 h", source="see LIT-R7's research note")
def r19():
    s = run("rat", Regimen.bolus(10, "ip"), 4)["BDNF_rel"]
    return Outcome([at_least("at 1 h", mx.value_at(s, 1.0), RISE)], {"BDNF_rel": s},
                   "fold of baseline")


@row("LIT-R20", setup="mouse, ketamine 5 mg/kg i.p.",
     expected="symptom_change_pct ≤ -10 at 30 min while spine_density_rel < 1.05 (not spines)",
     source="Nosyreva 2013 J Neurosci 33:6990")
def r20():
    df = run("mouse", Regimen.bolus(5, "ip"), 4)
    return Outcome([at_most("symptom at 30 min", mx.value_at(df[SYMPTOM], 0.5), IMPROVED, "%"),
                    at_most("spines at 30 min", mx.value_at(df["spine_density_rel"], 0.5),
                            RISE_STRUCTURAL)],
                   {SYMPTOM: df[SYMPTOM]}, "%")
