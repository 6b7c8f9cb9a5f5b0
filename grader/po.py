"""The message catalogs: read `.po` files, compile them to `.mo`, and find the messages of the code.

    python -m grader.po            compile every grader/locale/*/LC_MESSAGES/convgrade.po to its .mo
    python -m grader.po --check    write nothing; exit 1 when a .mo is stale or a message is untranslated
    python -m grader.po --missing  print, as .po entries, the messages a catalog lacks (for translators)

The messages are the string literals passed to `_()`, `N_()`, `later()` and `ngettext()` in the grader's code,
found with `ast` (what `xgettext` does). The compiler writes what GNU `msgfmt --no-hash` writes: the
header, then every translated entry that is not marked fuzzy, sorted, without a hash table.
"""

from __future__ import annotations

import argparse
import ast
import re
import string
import struct
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE

PACKAGE = Path(__file__).resolve().parent
MESSAGE_CALLS = {"_": 1, "N_": 1, "later": 1, "ngettext": 2}  # function -> number of leading message arguments


class CatalogError(Exception):
    """A .po file cannot be read (the message names the file and line)."""


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one string, or one per plural form
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags

    def key(self) -> tuple[str, str | None]:
        return self.msgid, self.msgid_plural


# ---------------------------------------------------------------------------------------- reading
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str, where: str) -> str:
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise CatalogError(f"{where}: expected a quoted string, got {text}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """The entries of a .po file, the header (msgid "") among them; comments and obsolete `#~` skipped."""
    entries: list[Entry] = []
    fields: dict = {}  # "msgctxt", "msgid", "msgid_plural", "msgstr" or a plural index -> text
    flags: set[str] = set()
    last = None

    def finish(where):
        nonlocal fields, flags, last
        if fields and "msgid" not in fields:
            raise CatalogError(f"{where}: an entry without msgid")
        if fields:
            forms = sorted(k for k in fields if isinstance(k, int))
            msgstr = [fields[k] for k in forms] if forms else [fields.get("msgstr", "")]
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural"), msgstr, fields.get("msgctxt"),
                                 flags))
        fields, flags, last = {}, set(), None

    def in_msgstr() -> bool:
        return any(k == "msgstr" or isinstance(k, int) for k in fields)

    for n, line in enumerate(text.splitlines(), start=1):
        line, where = line.strip(), f"{name}:{n}"
        if line.startswith("#"):
            if in_msgstr():
                finish(where)
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith('"'):
            if last is None:
                raise CatalogError(f"{where}: a string that continues nothing")
            fields[last] += _unquote(line, where)
        elif match := _KEYWORD.match(line):
            keyword, index, value = match.groups()
            if keyword in ("msgctxt", "msgid") and in_msgstr():
                finish(where)
            last = int(index) if index is not None else keyword
            if last in fields:
                raise CatalogError(f"{where}: {keyword} twice in one entry")
            fields[last] = _unquote(value, where)
        elif line:
            raise CatalogError(f"{where}: cannot read {line[:40]!r}")
    finish(f"{name}:end")
    return entries


def read_catalog(path: Path) -> list[Entry]:
    return parse_po(Path(path).read_text(encoding="utf-8"), str(path))


# -------------------------------------------------------------------------------------- compiling
def compile_mo(entries: list[Entry]) -> bytes:
    """The GNU .mo file of the translated entries (little-endian, revision 0, no hash table)."""
    pairs = {}
    for e in entries:
        if not (e.translated or e.msgid == ""):
            continue
        key = e.msgid if e.msgid_plural is None else f"{e.msgid}\0{e.msgid_plural}"
        if e.msgctxt is not None:
            key = f"{e.msgctxt}\x04{key}"
        pairs[key.encode()] = "\0".join(e.msgstr).encode()
    keys = sorted(pairs)
    header_size, count = 28, len(keys)
    originals, translations, data = [], [], b""
    start = header_size + 16 * count
    for table, texts in ((originals, keys), (translations, [pairs[k] for k in keys])):
        for text in texts:
            table.append((len(text), start + len(data)))
            data += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, header_size, header_size + 8 * count, 0, start)
    tables = b"".join(struct.pack("<2I", *pair) for pair in originals + translations)
    return head + tables + data


def catalogs(locale_dir: Path = LOCALE_DIR) -> dict[str, Path]:
    """Language -> its .po file."""
    return {p.parent.parent.name: p for p in sorted(Path(locale_dir).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}


def stale_mo_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The .mo files that are missing or differ from what their .po compiles to."""
    return [po.with_suffix(".mo") for po in catalogs(locale_dir).values()
            if not po.with_suffix(".mo").is_file()
            or po.with_suffix(".mo").read_bytes() != compile_mo(read_catalog(po))]


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write every stale .mo; return the paths written."""
    written = stale_mo_files(locale_dir)
    for mo in written:
        mo.write_bytes(compile_mo(read_catalog(mo.with_suffix(".po"))))
    return written


# ------------------------------------------------------------------------------------- extracting
@dataclass(frozen=True)
class Message:
    msgid: str
    msgid_plural: str | None
    where: str  # "grader/report_text.py:42"


def extract(package: Path = PACKAGE) -> list[Message]:
    """Every message of the code: the literal arguments of `_()`, `N_()`, `later()` and `ngettext()`.

    A call with another argument (`_(STATUS_WORDS[status])`) translates a message marked with `N_()`
    where it is defined, and is found there."""
    found = []
    for path in sorted(Path(package).rglob("*.py")):
        rel = path.relative_to(Path(package).parent)
        calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
                 if isinstance(node, ast.Call)]
        for node in sorted(calls, key=lambda node: (node.lineno, node.col_offset)):
            if not (isinstance(node.func, ast.Name) and node.func.id in MESSAGE_CALLS):
                continue
            texts = node.args[:MESSAGE_CALLS[node.func.id]]
            if not all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                continue  # _(STATUS_WORDS[s]): translates a message marked with N_() where it is defined
            values = [t.value for t in texts]
            found.append(Message(values[0], values[1] if len(values) > 1 else None, f"{rel}:{node.lineno}"))
    return found


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """The named fields of `text` ({name}, %(name)s), as a set, and its positional %-conversions, in order.

    A translation may reorder or repeat named fields, never change them; positional ones keep their order.
    """
    try:
        fields = {"{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
                  for _, name, spec, conv in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        fields = {f"<unbalanced braces: {exc}>"}
    percent = re.findall(r"%(\([^)]*\))?((?! [A-Za-z]{2})[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa])",
                         text)  # "90% of" is prose: a space flag before a word is not a conversion
    fields |= {f"%{name}{spec}" for name, spec in percent if name}
    return sorted(fields), [f"%{spec}" for name, spec in percent if not name]


def problems(lang: str, path: Path | None = None, package: Path = PACKAGE) -> list[str]:
    """What is wrong with the catalog of `lang`: untranslated, unused or mistranslated messages."""
    path = path or catalogs()[lang]
    entries = {e.key(): e for e in read_catalog(path) if e.msgid}
    messages = {(m.msgid, m.msgid_plural): m for m in extract(package)}
    found = []
    for key, message in messages.items():
        entry = entries.get(key)
        if entry is None or not entry.translated:
            found.append(f"{message.where}: no {lang} translation of {message.msgid!r}")
            continue
        originals = [message.msgid] + ([message.msgid_plural] if message.msgid_plural else [])
        for text in entry.msgstr:
            if placeholders(text) not in [placeholders(o) for o in originals]:
                found.append(f"{path.name}: the {lang} translation of {message.msgid!r} has placeholders "
                             f"{placeholders(text)}, the message {placeholders(originals[0])}")
    found += [f"{path.name}: {key[0]!r} is translated but no longer in the code" for key in entries
              if key not in messages]
    return found


def missing_entries(lang: str) -> str:
    """The messages the catalog of `lang` lacks, as .po entries to fill in."""
    entries = {e.key(): e for e in read_catalog(catalogs()[lang]) if e.msgid}
    blocks = []
    for m in {(m.msgid, m.msgid_plural): m for m in extract()}.values():
        if (m.msgid, m.msgid_plural) in entries and entries[(m.msgid, m.msgid_plural)].translated:
            continue
        lines = [f"#: {m.where}", f"msgid {quote(m.msgid)}"]
        lines += ([f"msgid_plural {quote(m.msgid_plural)}", 'msgstr[0] ""'] if m.msgid_plural else ['msgstr ""'])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.po", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on any problem")
    parser.add_argument("--missing", action="store_true", help="print the entries each catalog lacks")
    args = parser.parse_args(argv)
    languages = [lang for lang in catalogs() if lang != SOURCE_LANGUAGE]
    if args.missing:
        for lang in languages:
            print(f"# {lang}\n{missing_entries(lang)}\n")
        return 0
    found = [line for lang in languages for line in problems(lang)]
    for line in found:
        print(line)
    if args.check:
        stale = stale_mo_files()
        for path in stale:
            print(f"stale: {path} (run python -m grader.po)")
        return 1 if found or stale else 0
    for path in compile_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
