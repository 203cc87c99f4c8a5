"""The two exception types every public function raises for expected failures."""


class PathwaysInputError(ValueError):
    """A bad input from the user: an unknown name, a number out of range, a malformed file.

    The message is one line that says what was wrong and, for names, lists the valid choices.
    """


class SimulationError(RuntimeError):
    """The ODE solver failed. The message names the model, species, regimen, perturbations,
    the time of failure and the integrator settings that were used."""


def choices_message(kind: str, given: object, valid) -> str:
    """Return a one-line message for an unknown `kind` value, listing the valid ones."""
    valid = sorted(valid)
    return f"unknown {kind} {given!r}; valid: {', '.join(map(str, valid))}"
