"""Validate imported fact files against Thompson, Sakuwa and Suhas's strategic rivalries (a measurement).

    python bench/validate_rivalries.py --data DIR --out DIR  # DIR holds peacesciencer/ and atop/
    DIAGNOSE_DATA=DIR python bench/validate_rivalries.py     # the same, from the environment

Imports every COW region for 1816-2015 in decades with the default scheme, diagnoses each file, and
compares the dyads whose balance of power is active (inward) with the TSS rivalries
(`tss_rivalries.csv`, never an input of the import), per dyad and decade: precision and recall by region
and century, the worst misses with the diagnosis's own explanation, and the community status of
well-known cases. Prints Markdown to stdout; docs/validation.md reads it. Nothing here is a target.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from diagnose import diagnose, load_facts
from diagnose.importer import REGIONS, import_facts, periods_every
from diagnose.importer.selection import read_system

ROOT = Path(__file__).resolve().parent.parent
CENTURIES = (("19th", 1816, 1899), ("20th", 1900, 1999), ("21st", 2000, 2015))
CASES = {  # name, region, states (COW abbreviations), from year: well-known communities in the literature
    "Nordic states": ("Europe", ["DEN", "NOR", "SWD", "FIN", "ICE"], 1950),
    "European Community six": ("Europe", ["BEL", "FRN", "GFR", "ITA", "LUX", "NTH"], 1958),
    "US-Canada": ("Americas", ["USA", "CAN"], 1900),
    "Argentina-Brazil": ("Americas", ["ARG", "BRA"], 1990),
    "ASEAN (1967 founders)": ("Asia", ["INS", "MAL", "PHI", "SIN", "THI"], 1990),
}


def rivalries(path: Path) -> dict[tuple[int, int], list[tuple[int, int, str]]]:
    found = defaultdict(list)
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = sorted((int(row["ccode1"]), int(row["ccode2"])))
            found[(a, b)].append((int(row["start"]), int(row["end"]), row["rivalry"]))
    return found


def with_groups(text: str, groups: dict[str, list[str]]) -> str:
    """The imported file with the validation's cases added as groups (their states must be in it)."""
    document = yaml.safe_load(text)
    document.setdefault("groups", {}).update(groups)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("DIAGNOSE_DATA", ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default="/tmp/diagnose-validation", help="where the imported files go")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    periods = periods_every("1816-2015", 10)
    rivals = rivalries(data / "peacesciencer" / "tss_rivalries.csv")
    tally = Counter()  # (region, century, tp|fp|fn)
    misses, statuses, in_scope = [], {}, set()
    for region in REGIONS:
        started = time.perf_counter()
        result = import_facts([str(data / "peacesciencer"), str(data / "atop")], region=region, periods=periods)
        document = yaml.safe_load(result.text)
        codes = {code: None for code in document["states"]}
        groups = {name: [s for s in states if s in codes] for name, (where, states, _) in CASES.items()
                  if where == region and len(states) > 2}
        path = out / f"{region.lower().replace(' ', '_')}.yaml"
        path.write_text(with_groups(result.text, groups), encoding="utf-8")
        imported = time.perf_counter() - started
        facts = load_facts(path)
        started = time.perf_counter()
        rows = diagnose(facts, jobs=args.jobs).mechanisms
        print(f"{region}: {result.states} states, {result.entries} entries, import {imported:.1f} s, diagnosis "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        system = {s.code: s for s in read_system(data / "peacesciencer" / "cw_system.csv").values()
                  if s.code in codes}
        ccode = {code: state.ccode for code, state in system.items()}
        bop = {(r.unit, r.period): r for r in rows if r.mechanism == "balance_of_power" and not r.sector
               and not r.agency and not r.issue}
        for r in rows:
            if r.mechanism == "security_community" and not (r.sector or r.agency or r.issue):
                statuses[(region, r.unit, r.period)] = r.status
        active = {(tuple(sorted(ccode[c] for c in unit.removeprefix("dyad:").split("-"))), period)
                  for (unit, period), r in bop.items() if unit.startswith("dyad:") and r.status == "active"}
        existing = {p.id: {s.ccode for s in system.values() if s.exists(p.start, p.end)} for p in facts.periods}
        for period in facts.periods:
            century = next(name for name, a, b in CENTURIES if a <= period.start <= b)
            here = existing[period.id]
            truth = {pair for pair, spells in rivals.items() if pair[0] in here and pair[1] in here
                     and any(s <= period.end and e >= period.start for s, e, _ in spells)}
            in_scope |= {(pair, period.id) for pair in truth}
            found = {pair for pair, p in active if p == period.id}
            tally[(region, century, "tp")] += len(found & truth)
            tally[(region, century, "fp")] += len(found - truth)
            tally[(region, century, "fn")] += len(truth - found)
            for pair in truth - found:
                unit = "dyad:" + "-".join(sorted(_code(ccode, c) for c in pair))
                row = bop.get((unit, period.id))
                misses.append((region, pair, period.id, rivals[pair][0][2],
                               row.explanation if row else "no entry names the pair in this period"))
    report(tally, misses, statuses, rivals, in_scope)


def _code(ccode: dict[str, int], number: int) -> str:
    return next(c for c, n in ccode.items() if n == number)


def report(tally, misses, statuses, rivals, in_scope) -> None:
    print("| region | century | rival decades | found | precision | recall |")
    print("|---|---|---:|---:|---:|---:|")
    for region in REGIONS:
        for century, *_ in CENTURIES:
            tp, fp, fn = (tally[(region, century, k)] for k in ("tp", "fp", "fn"))
            if tp + fp + fn == 0:
                continue
            precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
            recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
            print(f"| {region} | {century} | {tp + fn} | {tp + fp} | {precision} | {recall} |")
    tp, fp, fn = (sum(v for (_, _, k), v in tally.items() if k == kind) for kind in ("tp", "fp", "fn"))
    print(f"| all | all | {tp + fn} | {tp + fp} | {tp / (tp + fp):.2f} | {tp / (tp + fn):.2f} |")
    total = sum(1 for spells in rivals.values() for _ in spells)
    print(f"\nTSS rivalries: {total}; rival dyad-decades inside one region's file: {len(in_scope)}.\n")
    by_rivalry = Counter((m[0], m[1], m[3]) for m in misses)
    print("Worst misses (rival decades without an active balance of power):\n")
    for (region, pair, name), count in by_rivalry.most_common(10):
        example = next(m for m in misses if (m[0], m[1], m[3]) == (region, pair, name))
        print(f"- {name} ({region}, {pair[0]}-{pair[1]}): {count} decades; e.g. {example[2]}: {example[4][:240]}")
    print("\nCommunity status of well-known cases (security community, row of all practices):\n")
    for name, (region, states, since) in CASES.items():
        unit = f"group:{name}" if len(states) > 2 else "dyad:" + "-".join(sorted(states))
        line = [f"{p[1:5]}s {s}" for (r, u, p), s in sorted(statuses.items())
                if r == region and u == unit and int(p[1:5]) >= since - 9]
        print(f"- {name}: " + ("; ".join(line) if line else "no rows (no entry names the unit)"))


if __name__ == "__main__":
    main()
