"""Line-based text merge: diff3 hunks, conflict markers, `.rej` files, unified diffs.

The line alignment (diff3 "sync regions") comes from the ``merge3`` package (Breezy's merge
algorithm); this module only classifies the gaps between sync regions and renders them.
Lines keep their own endings (LF, CRLF, CR) and a missing final newline is preserved, so a
clean merge never rewrites lines nobody changed.

Conflict markers (``conflict_style="inline"``) are git's diff3 style, with the labels
``yours`` (on disk) and ``mlsd`` (the new render)::

    <<<<<<< yours
    the user's lines
    ||||||| base
    the lines as mlsd rendered them last time
    =======
    the lines mlsd renders now
    >>>>>>> mlsd

Lines that both sides agree on at the start or end of a conflicting region are moved out of
the block (like git's ``zdiff3``), so the block shows only what really differs. When there
is no base (the user created a file at a path mlsd now renders) the ``||||||| base`` section
is omitted. Markers use the file's own line ending.

With ``conflict_style="rej"`` the file gets every change that merges cleanly and keeps the
user's lines where the two sides clash; `render_rej` gives only those clashing changes, as
unified-diff hunks against the base flagged ``@@ ... @@ conflicts with your edit``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from merge3 import Merge3

START_MARKER = b"<<<<<<< yours"
BASE_MARKER = b"||||||| base"
MID_MARKER = b"======="
END_MARKER = b">>>>>>> mlsd"

REJ_SUFFIX = ".rej"
NEW_SUFFIX = ".mlsd-new"

HunkKind = Literal["unchanged", "same", "ours", "theirs", "conflict", "settled"]


@dataclass(frozen=True)
class Hunk:
    """A stretch of the merge with half-open line ranges in all three versions.

    ``unchanged``: all three agree. ``same``: both sides made the same change. ``ours`` /
    ``theirs``: only that side changed it. ``conflict``: both changed it differently.
    ``settled``: a conflict that a structured merge resolved into ``lines``.
    """

    kind: HunkKind
    base: tuple[int, int]
    ours: tuple[int, int]
    theirs: tuple[int, int]
    lines: tuple[bytes, ...] = ()


def diff3(base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]) -> list[Hunk]:
    """Split the merge into hunks, using merge3's sync regions for the alignment.

    This is what ``Merge3.merge_regions`` does, except that every hunk carries its range in
    all three versions (merge_regions gives only one side's range for one-sided changes),
    which the ``.rej`` output needs for its line numbers.
    """
    hunks: list[Hunk] = []
    iz = io = it = 0
    for zmatch, zend, omatch, oend, tmatch, tend in Merge3(base, ours, theirs).find_sync_regions():
        if omatch > io or tmatch > it:
            kind = _classify(base[iz:zmatch], ours[io:omatch], theirs[it:tmatch])
            hunks.append(Hunk(kind, (iz, zmatch), (io, omatch), (it, tmatch)))
        if zend > zmatch:
            hunks.append(Hunk("unchanged", (zmatch, zend), (omatch, oend), (tmatch, tend)))
        iz, io, it = zend, oend, tend
    return hunks


def _classify(base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]) -> HunkKind:
    if ours == theirs:
        return "same"
    if ours == base:
        return "theirs"
    if theirs == base:
        return "ours"
    return "conflict"


def render_merge(
    hunks: Sequence[Hunk],
    base: Sequence[bytes],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    *,
    eol: bytes = b"\n",
    show_base: bool = True,
    markers: bool = True,
) -> Iterator[bytes]:
    """Yield the merged lines, with conflict blocks for ``conflict`` hunks (or, without
    ``markers``, the user's lines there: the .rej file then holds mlsd's side)."""
    for hunk in hunks:
        if hunk.kind == "conflict" and markers:
            yield from _conflict_block(
                _slice(base, hunk.base),
                _slice(ours, hunk.ours),
                _slice(theirs, hunk.theirs),
                eol=eol,
                show_base=show_base,
            )
        elif hunk.kind == "theirs":
            yield from _slice(theirs, hunk.theirs)
        elif hunk.kind == "settled":
            yield from hunk.lines
        else:  # unchanged, same, ours: the user's lines are the merged lines
            yield from _slice(ours, hunk.ours)


def _conflict_block(
    base: Sequence[bytes],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    *,
    eol: bytes,
    show_base: bool,
) -> list[bytes]:
    """Render one conflict, zdiff3 style: lines both sides share at its ends stay outside.

    Every section is terminated with a line ending so that a missing final newline on one
    side cannot glue a marker onto the user's last line. (Lines before the block always end
    in a newline: merge3 separates hunks by lines all three versions share, and only a
    version's last line can lack one.)
    """
    head = _common_prefix(ours, theirs)
    tail = _common_prefix(ours[head:][::-1], theirs[head:][::-1])
    ours_mid = ours[head : len(ours) - tail]
    theirs_mid = theirs[head : len(theirs) - tail]
    block: list[bytes] = list(ours[:head])
    block.append(START_MARKER + eol)
    block.extend(_terminated(ours_mid, eol))
    if show_base:
        block.append(BASE_MARKER + eol)
        block.extend(_terminated(base, eol))
    block.append(MID_MARKER + eol)
    block.extend(_terminated(theirs_mid, eol))
    block.append(END_MARKER + eol)
    block.extend(ours[len(ours) - tail :] if tail else [])
    return block


def _common_prefix(a: Sequence[bytes], b: Sequence[bytes]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _terminated(lines: Sequence[bytes], eol: bytes) -> list[bytes]:
    out = list(lines)
    if out and not out[-1].endswith((b"\n", b"\r")):
        out[-1] += eol
    return out


def render_rej(
    path: str, hunks: Sequence[Hunk], base: Sequence[bytes], theirs: Sequence[bytes]
) -> bytes:
    """mlsd's side of every conflicting hunk, as unified-diff hunks against the base.

    Only the conflicts: mlsd's clean changes are already merged into the user's file.
    """
    out = [f"--- a/{path}\n".encode(), f"+++ b/{path}\n".encode()]
    for hunk in hunks:
        if hunk.kind != "conflict":
            continue
        header = f"@@ -{_hunk_range(hunk.base)} +{_hunk_range(hunk.theirs)} @@".encode()
        out.append(header + b" conflicts with your edit\n")
        out.extend(_diff_lines(b"-", _slice(base, hunk.base)))
        out.extend(_diff_lines(b"+", _slice(theirs, hunk.theirs)))
    return b"".join(out)


def _hunk_range(span: tuple[int, int]) -> str:
    """Unified-diff ``start,length`` (1-based; an empty range names the line before it)."""
    start, end = span
    length = end - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _diff_lines(prefix: bytes, lines: Sequence[bytes]) -> Iterator[bytes]:
    for line in lines:
        if line.endswith((b"\n", b"\r")):
            yield prefix + line
        else:
            yield prefix + line + b"\n\\ No newline at end of file\n"


def _slice(lines: Sequence[bytes], span: tuple[int, int]) -> Sequence[bytes]:
    return lines[span[0] : span[1]]


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings kept; bytes.splitlines knows only LF, CRLF and CR."""
    return data.splitlines(keepends=True)


def detect_eol(*texts: bytes) -> bytes:
    """The first line ending found, preferring the user's file: used for marker lines."""
    for text in texts:
        for line in split_lines(text):
            if line.endswith(b"\r\n"):
                return b"\r\n"
            if line.endswith(b"\n"):
                return b"\n"
            if line.endswith(b"\r"):
                return b"\r"
    return b"\n"


def uniform_eol(data: bytes) -> bytes | None:
    """The one line ending every line of ``data`` uses (a last line may have none), or None
    when it mixes them or has no line ending at all."""
    endings = {
        b"\r\n" if line.endswith(b"\r\n") else line[-1:]
        for line in split_lines(data)
        if line.endswith((b"\n", b"\r"))
    }
    return endings.pop() if len(endings) == 1 else None


def to_lf(data: bytes | None) -> bytes | None:
    """``data`` with CRLF and CR line endings made LF (None stays None)."""
    if data is None:
        return None
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def is_text(data: bytes) -> bool:
    """Text is NUL-free valid UTF-8; anything else is merged as an opaque blob."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def unified_diff(path: str, old: bytes | None, new: bytes | None, *, context: int = 3) -> str:
    """A git-style unified diff of one file (None = the file does not exist); "" if equal."""
    if old == new:
        return ""
    from_name = "/dev/null" if old is None else f"a/{path}"
    to_name = "/dev/null" if new is None else f"b/{path}"
    if not is_text(old or b"") or not is_text(new or b""):
        return f"Binary files {from_name} and {to_name} differ\n"
    # Split as bytes: str.splitlines would also break at form feeds, U+2028 and the like.
    old_lines = [line.decode("utf-8") for line in split_lines(old or b"")]
    new_lines = [line.decode("utf-8") for line in split_lines(new or b"")]
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, from_name, to_name, n=context):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
