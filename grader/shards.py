"""Whether the output folders given to `grade merge` are one complete set of shards.

Each batch records its shard in its manifest ("i/n", or none for a whole class, which counts as 1/1) and
its settings. A complete set has one n, every i of 1..n exactly once, and one set of settings: anything
else would leave submissions out of the gradebook, or count a shard twice, without anyone noticing.
"""

from __future__ import annotations

from pathlib import Path

from .batch_job import parse_shard
from .gradebook import MergeError, settings_mismatch


def _shard(manifest: dict) -> tuple[int, int]:
    return parse_shard(manifest["shard"]) if manifest.get("shard") else (1, 1)


def _label(i: int, n: int) -> str:
    return f"shard {i}/{n}" if n > 1 else "a whole class (graded without --shard)"


def check_shard_set(manifests: list[tuple[Path, dict]], allow_partial: bool = False) -> list[str]:
    """The warnings of merging these (output folder, manifest) pairs; raises MergeError when they are not one
    set of shards graded alike, or (without `allow_partial`) when a shard is missing or repeated."""
    parts = [(out, *_shard(manifest)) for out, manifest in manifests]
    sizes = sorted({n for _, _, n in parts})
    if len(sizes) > 1:
        listing = ", ".join(f"{str(out)!r} is {i}/{n}" for out, i, n in parts)
        raise MergeError(f"the folders are shards of different splits ({listing}): merge the shards of one "
                         f"`--shard i/n` split, every one with the same n")
    _check_settings(manifests)
    n = sizes[0]
    problems = []
    for i in range(1, n + 1):
        holders = [out for out, j, _ in parts if j == i]
        if len(holders) > 1:
            problems.append(f"{_label(i, n)} is given {len(holders)} times "
                            f"({', '.join(repr(str(o)) for o in holders)})")
    missing = [i for i in range(1, n + 1) if all(j != i for _, j, _ in parts)]
    if missing:
        problems.append(f"{'shards' if len(missing) > 1 else 'shard'} {', '.join(f'{i}/{n}' for i in missing)} "
                        f"{'are' if len(missing) > 1 else 'is'} missing, so their submissions would not be in "
                        f"the gradebook")
    if problems and not allow_partial:
        raise MergeError("not one complete set of shards: " + "; ".join(problems)
                         + ". Pass every shard's output once, or --allow-partial to merge these anyway")
    return [f"warning: {p}" for p in problems]


def _check_settings(manifests: list[tuple[Path, dict]]) -> None:
    recorded = [(out, m["settings"]) for out, m in manifests if m.get("settings") is not None]
    for other in recorded[1:]:
        if other[1] != recorded[0][1]:
            raise settings_mismatch(recorded[0], other)
