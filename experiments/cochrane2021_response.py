"""Cochrane 2021 (CD011612): response rates at 24 h, ketamine vs midazolam, pooled over four
RCTs (296 patients): 46.5% vs 25.9% (LIT-C3), reproduced on a virtual population.

Each virtual subject (`pathways.population.HUMAN`) has a CYP2B6 genotype (Li 2015's clearance
ratios, *6 allele at 0.256) and the rest of the clearance spread (Fanta 2015), and a placebo
response drawn from Murrough 2013's midazolam arm (mean −27.5%, SD 29.7% of the baseline MADRS),
the same in both arms. The subject's change at 24 h is the model's drug effect plus that draw;
a response is a fall of at least 50%. Nothing is fitted to the response rates.

Each subject also has a BDNF Val66Met genotype (Met allele 0.20), which sets its own baseline
through the model's genotype presets (LIT-C8). Each subject's peak dissociation and blood
pressure rise are recorded too.

Beyond LIT-C3 (predictions, not tested against data): response by genotype. The model's relief
grows with exposure, so poor metabolisers (CYP2B6 *6/*6) respond more often, and falls with
less releasable BDNF, so Met carriers respond less. Meshkat 2022 (J Psychiatr Res 145:27, a
systematic review of small, mixed studies) found the Met allele associated with a smaller
antidepressant response and CYP2B6*6 with more dissociation, not with the response; the
model's slower metabolisers dissociate more too.
"""
from pathlib import Path

import numpy as np

import pathways
from pathways import Regimen
from pathways import experiment_plots as ep
from pathways import population
from pathways.experiments import cli_main

NAME = "cochrane2021_response"
KET, MDZ = "ketamine 0.5 mg/kg/40 min", "midazolam 0.045 mg/kg/40 min"
ARMS = {KET: Regimen.infusion(0.5, minutes=40),
        MDZ: Regimen.infusion(0.045, minutes=40, drug="midazolam")}
PUBLISHED = {KET: 46.5, MDZ: 25.9}      # % responders at 24 h (Cochrane 2021, 4 RCTs)
# responders / patients at 24 h in Murrough 2013 (Am J Psychiatry 170:1134, abstract: 64% and
# 28%; 47 and 25 patients, from its t(46) and t(24)): the trial the placebo term comes from
MURROUGH = {KET: (30, 47), MDZ: (7, 25)}
SUBJECTS = {True: 200, False: 2000}     # quick, full
PEAKS = ("dissociation_score", "sbp_change_mmHg")   # side effects: each subject's peak
SOURCE = ("Cochrane 2021 CD011612 (LIT-C3): response at 24 h 46.5% (ketamine) vs 25.9% "
          "(midazolam), 4 RCTs, 296 patients; accepted ±30% (shaded).\nPlacebo response: "
          "Murrough 2013's midazolam arm (−8.8 ± 9.5 of 32 MADRS points), the same in both "
          "arms; its own response rates (64% / 28%) are the squares. CYP2B6: Li 2015 "
          "(clearance 68/41/22 L/h), *6 allele 0.256; BDNF Met allele 0.20.")


def simulate(quick: bool):
    """The typical subject's time course in each arm (the population runs are `trial`'s)."""
    human = pathways.load("ketamine_synaptogenesis", species="human")
    return {arm: human.simulate(reg, 24.0 * 7, points=ep.grid(24.0 * 7))
            for arm, reg in ARMS.items()}


def run_trial(quick: bool):
    """The virtual trial: a `pathways.population.TrialResult`."""
    subjects = population.sample(SUBJECTS[quick], seed=0)
    return population.trial(ARMS, subjects, model=pathways.load("ketamine_synaptogenesis"),
                            peaks=PEAKS)


def figure(typical, result, out: Path) -> list[Path]:
    plt, fig, axes = ep.figure(2, 3, width=10.0, row_height=3.0)
    a = axes.flat
    table = result.table
    bins = np.linspace(-100, 60, 33)
    for i, (arm, g) in enumerate(table.groupby("arm", sort=False)):
        a[0].hist(g["change_pct"], bins=bins, histtype="step", color=f"C{i}", lw=1.2,
                  density=True, label=arm)
    ep.vline(a[0], -50.0, "response: -50%")
    a[0].set_xlabel("change of the rating at 24 h (% of baseline)")
    a[0].set_ylabel("share of subjects per %")
    ep.set_title(a[0], f"virtual subjects ({table['subject'].nunique()}, each in both arms)")
    ep.add_legend(a[0])

    rates = result.response_rates()
    ep.bars(a[1], dict(rates["expected_rate_pct"]),
            {k: (0.7 * v, 1.3 * v) for k, v in PUBLISHED.items()},
            "Cochrane 2021 ±30% (accepted range)", ylabel="responders at 24 h (%)",
            title="response rate: model (bars: expected; whiskers: counted, 95% interval), "
                  "Cochrane 2021 and Murrough 2013",
            wrap=14)
    a[1].errorbar(np.arange(len(rates)) - 0.15, rates["rate_pct"], marker="_", ms=6,
                  yerr=[rates["rate_pct"] - rates["lo_pct"], rates["hi_pct"] - rates["rate_pct"]],
                  ls="none", color="k", capsize=3, lw=0.8, zorder=4,
                  label="counted responders, Wilson 95%")
    a[1].plot(np.arange(len(rates)) + 0.15, [PUBLISHED[k] for k in rates.index], "D", color="C3",
              ms=4, zorder=5, label="Cochrane 2021")
    from scipy.stats import binomtest
    trial = [(100 * k / n, binomtest(k, n).proportion_ci(0.95, method="wilson"))
             for k, n in (MURROUGH[arm] for arm in rates.index)]
    a[1].errorbar(np.arange(len(rates)) + 0.42, [r for r, _ in trial],
                  yerr=[[r - 100 * ci.low for r, ci in trial],
                        [100 * ci.high - r for r, ci in trial]],
                  fmt="s", color="C4", ms=3.5, capsize=2, lw=0.8, zorder=5,
                  label="Murrough 2013 (47 / 25 patients), Wilson 95%")
    a[1].set_ylim(0, max(a[1].get_ylim()[1], 100 * max(ci.high for _, ci in trial) + 5))
    ep.add_legend(a[1])

    ket = table[table["arm"] == KET]
    by_genotype, colors = {}, []
    for gene, color in ((population.CYP2B6, "C0"), (population.BDNF_VAL66MET, "C2")):
        for g in gene.genotypes:
            grp = ket[ket[gene.gene] == g]
            if len(grp):
                by_genotype[f"{gene.gene}\n{g}\n(n = {len(grp)})"] = (
                    100 * grp["response_probability"].mean())
                colors.append(color)
    ep.bars(a[2], by_genotype, ylabel="responders at 24 h (%)", colors=colors, wrap=12,
            title="ketamine arm by genotype (predictions; expected rates)")
    a[2].tick_params(axis="x", labelsize=5)

    for i, (arm, df) in enumerate(typical.items()):
        a[3].plot(df.index / 24, df["symptom_change_pct"], color=f"C{i}", label=arm)
    a[3].axhline(0, color="0.3", lw=0.6)
    for ax, readout, label in ((a[4], "dissociation_score", "dissociation peak (points)"),
                               (a[5], "sbp_change_mmHg", "systolic BP rise, peak (mmHg)")):
        by = {f"{g}\n(n = {(ket['CYP2B6'] == g).sum()})":
              ket.loc[ket["CYP2B6"] == g, f"{readout}_peak"].mean()
              for g in population.CYP2B6.genotypes if (ket["CYP2B6"] == g).any()}
        ep.bars(ax, by, ylabel=label, colors=["C0"] * len(by), fmt="{:.2f}",
                title=f"ketamine arm by CYP2B6 genotype: {label.split(' (')[0]} (a prediction)")
    a[3].set_xlabel("time (days)")
    a[3].set_ylabel("drug effect (% of baseline score)")
    ep.set_title(a[3], "the typical subject (no placebo term): drug effect")
    ep.add_legend(a[3])
    return ep.finish(plt, fig, out / NAME, "Response rates at 24 h on a virtual population: "
                     "ketamine vs midazolam (Cochrane 2021)", SOURCE)


def run(out_dir: Path, quick: bool = False) -> list[Path]:
    typical = simulate(quick)
    result = run_trial(quick)
    per_subject = {arm: g.drop(columns="arm").set_index("subject")
                   for arm, g in result.table.groupby("arm", sort=False)}
    return [*ep.write_table(per_subject, out_dir / NAME, units=population.column_units(result)),
            *ep.write_table(typical, out_dir / f"{NAME}_typical",
                            ("ketamine_plasma", "nmda_block_interneuron", "symptom_change_pct")),
            *figure(typical, result, out_dir)]


if __name__ == "__main__":
    cli_main(run)
