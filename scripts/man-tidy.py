#!/usr/bin/env python3
"""Tidies the generated man page so that `mandoc -T lint` is clean: one sentence per line, text
lines of at most 80 bytes (wrapped at spaces, never inside a word or a path), no blank lines in
fill mode (a paragraph break is .Pp) and no .Pp right before .It. Run by scripts/man."""
import re
import sys

path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
out = []


def emit_text(text):
    # One sentence per line: break after ". " (or "? ", "! ") followed by a capital or a digit.
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Z0-9(\"'])", text)
    for part in parts:
        words = part.split(" ")
        line = ""
        for w in words:
            candidate = w if not line else line + " " + w
            if len(candidate.encode("utf-8")) > 80 and line:
                out.append(guard(line))
                line = w
            else:
                line = candidate
        if line:
            out.append(guard(line))


def guard(line):
    # A text line must not start with a control character.
    return "\\&" + line if line.startswith((".", "'")) else line


for i, line in enumerate(lines):
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if line == ".Pp" and nxt.startswith(".It"):
        continue
    if line == "":
        if i + 1 < len(lines):
            # A blank line in fill mode is a paragraph break, written as a macro.
            if out and out[-1] not in (".Pp",):
                out.append(".Pp")
        else:
            out.append(line)
        continue
    if line.startswith((".", "'")) or len(line.encode("utf-8")) <= 80 and not re.search(r"[.?!]\s+[A-Z0-9]", line):
        out.append(line)
        continue
    emit_text(line)

# The one-line description (.Nd) takes no closing full stop.
out = [re.sub(r'^(\.Nd "?.*?)\.("?)$', r"\1\2", l) for l in out]

# No .Pp right before a list item, at the end of a section or the file.
tidy = []
for i, line in enumerate(out):
    nxt = out[i + 1] if i + 1 < len(out) else ""
    if line == ".Pp" and (nxt.startswith((".It", ".Sh", ".Ss", ".El", ".Bl")) or nxt == ""):
        continue
    tidy.append(line)
open(path, "w", encoding="utf-8").write("\n".join(tidy))
