"""How the page benchmark prints its figures: beside the reference page's and the goals, the
second export's over the first's, or this page beside the page before a change."""

from __future__ import annotations

from pathlib import Path

# (reference figure, goal, unit, lower is better) — the reference page measured on this machine, same setting.
REFERENCE = {
    "first WebGL draw": (1850.0, None, "ms", True),
    "bytes before first prediction": (8.9e6, 1.5e6, "B", True),
    "tap to probabilities": (1190.0, 100.0, "ms", True),
    "frames/s while drawing, all connections": (0.85, None, "fps", False),
    "drawing update (forward + maps + recolour)": (None, 1.0, "ms", True),
    "… with the default top-k and threshold": (None, 1.0, "ms", True),
    "timeline step, uncached": (1000.0, 150.0, "ms", True),
    "timeline step, cached (the page's work)": (None, 10.0, "ms", True),
    "… input → shown, with the wait for the frame": (1000.0, None, "ms", True),
    "… cached, steps back to back (a drag)": (None, None, "ms", True),
    "bytes per uncached timeline step": (292e3, None, "B", True),
}

# The CNN's own goals where they differ from the MLP's.
CNN_GOALS = {"drawing update (forward + maps + recolour)": 8.0, "… with the default top-k and threshold": 8.0}


def formatter(name: str, unit: str):
    """How a figure's values print: bytes as kB/MB, times in ms (named so, or taken from the name), counts plain."""
    unit = unit or ("ms" if "time" in name or "preprocessing" in name or "forward" in name else "")
    if unit == "B":
        return lambda v: f"{v / 1e6:.2f} MB" if v >= 1e6 else f"{v / 1e3:.0f} kB"
    if unit:
        return lambda v: f"{v:.1f} {unit}"
    return lambda v: f"{v:,.0f}"


def show(all_figures: dict[str, dict[str, float]]) -> None:
    exports = list(all_figures)
    names = [Path(export).stem.removesuffix("_weights").upper() for export in exports]
    compare = len(exports) == 2
    header = f"{'figure':44}" + "".join(f"{name:>12}" for name in names)
    header += f"{f'{names[1]}/{names[0]}':>10}" if compare else ""
    print(header + f"{'reference':>12}{'goal':>18}{'vs reference':>14}")
    for name in all_figures[exports[0]]:
        values = [figures.get(name) for figures in all_figures.values()]
        reference, goal, unit, lower_better = REFERENCE.get(name, (None, None, "", True))
        fmt = formatter(name, unit)
        row = f"{name:44}" + "".join(f"{fmt(v) if v is not None else '–':>12}" for v in values)
        if compare:
            row += f"{f'{values[1] / values[0]:.2f}×' if values[0] and values[1] is not None else '–':>10}"
        goals = [goal if "cnn" not in export else CNN_GOALS.get(name, goal) for export in exports]
        goal_text = (
            " / ".join(fmt(g) for g in goals) if any(goals) and len(set(goals)) > 1 else (fmt(goal) if goal else "–")
        )
        versus = ""
        if reference and values[0]:
            versus = " / ".join(f"{(reference / v if lower_better else v / reference):.1f}×" for v in values if v)
        print(row + f"{fmt(reference) if reference else '–':>12}{goal_text:>18}{versus:>14}")
    if compare:
        print(f"{names[1]}/{names[0]}: the second export's figure over the first's (same run, same browser)")
    print("vs reference = how many times better than the reference page (an MLP; same machine and SwiftShader)")


def show_before_after(figures: dict[str, tuple[float, float | None]], cnn: bool = False) -> None:
    print(f"{'figure':42} {'this page':>12} {'before':>12} {'ratio':>8} {'goal':>10} {'reference':>12}")
    for name, (value, old) in figures.items():
        reference, goal, unit, lower_better = REFERENCE.get(name, (None, None, "", True))
        goal = CNN_GOALS.get(name, goal) if cnn else goal
        fmt = formatter(name, unit)
        ratio = ""
        if old and value:
            ratio = f"{(old / value if lower_better else value / old):.2f}×"
        print(
            f"{name:42} {fmt(value):>12} {fmt(old) if old is not None else '–':>12} {ratio:>8} "
            f"{fmt(goal) if goal else '–':>10} {fmt(reference) if reference else '–':>12}"
        )
    print("ratio = how many times better than before (same run, same profile); reference: unthrottled, see REFERENCE")
