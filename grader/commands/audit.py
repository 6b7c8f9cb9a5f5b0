"""`grade audit`: which check catches which mutant (instructors and developers)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..audit import audit_table, load_check_modules, run_audit
from ..defaults import AUDIT_EXAMPLES, AUDIT_SEEDS, AUDIT_TIMEOUT
from ..fileio import write_atomically
from ..mutants import MutantError, default_mutants_dir, load_mutants
from ..runner import select_functions


@click.command("audit")
@click.option("--mutants", "mutant_dirs", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
              help="A folder of extra mutants (repeatable); tests/mutants/ of the repository is always run.")
@click.option("--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
              help="A folder of extra check modules to load first (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True, help="The first seed of the generated cases.")
@click.option("--seeds", "seed_count", type=click.IntRange(1, 100), default=AUDIT_SEEDS, show_default=True,
              help="How many seeds to audit at: --seed, --seed + 1, ...; every mutant must be caught at each.")
@click.option("--examples", type=click.IntRange(1, 10_000), default=AUDIT_EXAMPLES, show_default=True,
              help="Generated examples per property.")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Mutants graded at the same time (each in its own worker process).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=AUDIT_TIMEOUT, show_default=True,
              help="Seconds one call of a mutant may take.")
@click.option("--only", multiple=True, metavar="NAME", help="Audit only this function or module (repeatable).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the matrix and the summary as JSON to this file.")
def audit_command(mutant_dirs, check_dirs, seed, seed_count, examples, jobs, timeout, only, json_path):
    """Run the mutant corpus against the checks at several seeds: which check catches which bug.

    Exits 1 when a mutant is not caught at some seed by a check of the behaviour it breaks (a wrong value
    caught only by an argument check does not count), a check catches no mutant, or a mutant cannot be
    graded.
    """
    try:
        selected = select_functions(only)
        extra_checks = [c for d in check_dirs for c in load_check_modules(d)]
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    folders = list(mutant_dirs)
    try:
        folders.insert(0, default_mutants_dir())
    except MutantError as exc:
        if not folders:
            raise click.UsageError(str(exc)) from None
        click.echo(f"note: {exc}", err=True)
    try:
        mutants = [m for m in load_mutants(*folders) if m.function in selected]
    except MutantError as exc:
        raise click.UsageError(str(exc)) from None
    audit = run_audit(mutants, seeds=list(range(seed, seed + seed_count)), examples=examples, jobs=jobs,
                      timeout=timeout, extra_checks=extra_checks, functions=selected)
    click.echo(audit_table(audit), nl=False)
    if json_path is not None:
        write_atomically(json_path, json.dumps(audit.to_dict(), indent=2) + "\n")
    if not audit.ok:
        raise click.exceptions.Exit(1)
