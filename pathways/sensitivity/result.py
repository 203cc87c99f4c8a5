"""`SensitivityResult`: indices as a DataFrame, the raw samples, failures, CSV and figure."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..outputs import output_folder, write_atomically


@dataclass
class SensitivityResult:
    """The outcome of `sobol`, `morris` or `local` on a Study.

    indices: one row per (output, parameter); columns depend on the method
    (sobol: S1, S1_conf, ST, ST_conf; morris: mu, mu_star, mu_star_conf, sigma;
    local: sensitivity = d ln(output)/d ln(p), plus the one-at-a-time outputs at the range
    ends). `second_order` (sobol with S2) has output, parameter_1, parameter_2, S2, S2_conf.
    samples: the design (parameter values) with outputs and error messages, when kept.
    workers: the processes that simulated, each with how often it built the model (1).
    """

    method: str
    study: object
    indices: pd.DataFrame
    n_samples: int
    n_failed: int
    failures: dict[int, str] = field(default_factory=dict)
    samples: pd.DataFrame | None = None
    second_order: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    resumed: int = 0                    # samples read back from disk, not simulated again
    workers: dict[int, int] = field(default_factory=dict)   # worker pid -> model builds
    conf_level: float | None = None     # of the *_conf columns (sobol, morris)

    def summary(self) -> str:
        """A few lines: method, sizes, failures (with the first message) and notes."""
        s = self.study
        lines = [f"{self.method}: {s.metric_label} of {s.model.name} ({s.model.species}), "
                 f"{len(s.names)} parameters, {self.n_samples} simulations, "
                 f"{self.n_failed} failed"
                 + (f", confidence intervals at {self.conf_level:.0%}" if self.conf_level
                    else "")
                 + (f" ({self.resumed} read back from an earlier run)" if self.resumed
                    else "")]
        if self.failures:
            first = min(self.failures)
            lines.append(f"  first failure (sample {first}): {self.failures[first]}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def write(self, out_dir, samples: bool = False, figure: bool = True) -> list[Path]:
        """Write <method>_indices.csv (with each output's unit in `output_unit`; S2 and
        samples on request) and the figure; return the paths."""
        out = output_folder(out_dir, "out_dir")
        units = dict(zip(self.study.outputs, self.study.output_units))
        indices = self.indices.copy()
        indices.insert(1, "output_unit", indices.output.map(units))
        paths = [_csv(indices, out / f"{self.method}_indices.csv", index=False)]
        if self.second_order is not None:
            paths.append(_csv(self.second_order, out / f"{self.method}_S2.csv", index=False))
        if samples and self.samples is not None:
            paths.append(_csv(self.samples, out / f"{self.method}_samples.csv", index=True))
        if figure:
            paths += self.figure(out / f"{self.method}")
        return paths

    def figure(self, path) -> list[Path]:
        """Draw the method's figure (S1/ST bars, Morris plane or tornado); PNG + SVG."""
        from . import plots
        draw = {"sobol": plots.sobol_figure, "morris": plots.morris_figure,
                "local": plots.tornado_figure}[self.method]
        return draw(self, Path(path))


def _csv(df: pd.DataFrame, path: Path, index: bool) -> Path:
    return write_atomically(path, lambda tmp: df.to_csv(tmp, index=index, float_format="%.6g"),
                            "CSV file")


def samples_frame(study, evaluation) -> pd.DataFrame:
    """The design and outputs of an Evaluation as a DataFrame indexed by sample."""
    df = pd.DataFrame(evaluation.values, columns=study.names)
    for j, name in enumerate(study.outputs):
        df[name] = evaluation.outputs[:, j]
    df["error"] = [evaluation.errors.get(i, "") for i in range(len(df))]
    df.index.name = "sample"
    return df
