#!/usr/bin/env python3
"""The independent side of Agora's civic budget oracle test (server/tests/oracle/main.rs).

Usage: outcomes.py DIR. DIR holds, for each generated instance STEM, the two files Agora
exported for it: STEM-greedy.pb (rule greedy) and STEM-mes.pb (rule equalshares/add1). For each
instance this prints, as one JSON object on stdout, what PyPI's reference tools say:

- pabutools (reading the file with its own parser):
  - greedy_utilitarian_welfare(sat_class=Cost_Sat), resolute with Agora's documented tie-break
    (votes, then cheaper, then id) and irresolute (every tied outcome);
  - method_of_equal_shares(sat_class=Cost_Sat, voter_budget_increment=1), resolute with Agora's
    tie-break (rate, then cheaper, then more votes, then id);
  - method_of_equal_shares(sat_class=Cost_Sat) without completion, irresolute;
- pabulib-checker on both files: the error types it reports, and for the MES file the winners of
  its own Equal Shares re-count (its completion differs from pabutools', see docs/architecture.md).
"""

import contextlib
import io
import json
import os
import re
import sys
from multiprocessing import Pool

from pabulib.checker import Checker
from pabulib_helpers import parse_pb_lines
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule


def natural(project_id):
    """Agora's natural id order: digit-only ids by value, before other ids as text."""
    if re.fullmatch(r"[0-9]+", project_id):
        digits = project_id.lstrip("0")
        return (0, len(digits), digits, project_id)
    return (1, 0, "", project_id)


GREEDY_TIES = TieBreakingRule(lambda inst, prof, p: (p.cost, natural(p.name)))
MES_TIES = TieBreakingRule(
    lambda inst, prof, p: (p.cost, -prof.approval_score(p), natural(p.name))
)


def ids(allocation):
    return sorted((p.name for p in allocation), key=natural)


def every(allocations):
    return sorted({tuple(ids(a)) for a in allocations})


def checker_errors(path):
    with contextlib.redirect_stdout(io.StringIO()):
        result = Checker().process_files([path])
    report = next(v for k, v in result.items() if k not in ("metadata", "summary"))
    errors = report.get("results", {}).get("errors", {})
    return {kind: list(details.values()) for kind, details in errors.items()}, result["metadata"]


def checker_equal_shares(path):
    """The checker's own Equal Shares winners for the file, or why it could not count them."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    checker = Checker()
    checker.meta, checker.projects, checker.votes, _, _ = parse_pb_lines(lines)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return sorted(checker._compute_equalshares_winners(add1=True), key=natural)
    except ValueError as e:
        return "tie-failure: " + str(e)


def same_count(a, b):
    (ia, pa), (ib, pb) = a, b
    projects = lambda i: sorted((p.name, p.cost) for p in i)
    ballots = lambda prof: sorted(sorted(p.name for p in ballot) for ballot in prof)
    return (
        ia.budget_limit == ib.budget_limit
        and projects(ia) == projects(ib)
        and ballots(pa) == ballots(pb)
    )


def oracle(job):
    directory, stem = job
    greedy_file = os.path.join(directory, stem + "-greedy.pb")
    mes_file = os.path.join(directory, stem + "-mes.pb")
    instance, profile = parse_pabulib(greedy_file)
    greedy = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=GREEDY_TIES
    )
    greedy_all = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, resoluteness=False
    )
    mes = method_of_equal_shares(
        instance, profile, sat_class=Cost_Sat, voter_budget_increment=1, tie_breaking=MES_TIES
    )
    mes_plain_all = method_of_equal_shares(
        instance, profile, sat_class=Cost_Sat, resoluteness=False
    )
    greedy_errors, greedy_meta = checker_errors(greedy_file)
    with open(mes_file, encoding="utf-8") as f:
        fully_funded = "\nfully_funded;1\n" in f.read()
    if fully_funded:
        # pabulib-checker's add-one completion never ends when the amount covers every project
        # (each raise still fits); every rule funds everything then, so the file is checked
        # as the greedy one it equals.
        mes_errors, mes_meta = greedy_errors, greedy_meta
        recount = ids(greedy)
    else:
        mes_errors, mes_meta = checker_errors(mes_file)
        recount = checker_equal_shares(mes_file)
    return stem, {
        "greedy": ids(greedy),
        "greedy_all": every(greedy_all),
        "mes": ids(mes),
        "mes_plain_all": every(mes_plain_all),
        "same_count_in_both_files": same_count(
            (instance, profile), parse_pabulib(mes_file)
        ),
        "checker_greedy": {"errors": greedy_errors, "invalid": greedy_meta["invalid"]},
        "checker_mes": {"errors": mes_errors, "invalid": mes_meta["invalid"]},
        "checker_mes_recount": recount,
        "fully_funded": fully_funded,
    }


def main():
    directory = sys.argv[1]
    stems = sorted({name.rsplit("-", 1)[0] for name in os.listdir(directory) if name.endswith(".pb")})
    with Pool(min(2, os.cpu_count() or 1)) as pool:
        results = dict(pool.map(oracle, [(directory, s) for s in stems], chunksize=4))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
