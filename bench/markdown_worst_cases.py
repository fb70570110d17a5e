"""Benchmark: CPU time of rendering pathological Markdown as long as the limits allow.

Builds each input to exactly MARKDOWN_MAX_CHARACTERS (a page field, and the live
preview) and to MARKDOWN_QUIZ_MAX_CHARACTERS (one quiz text), renders it with
lessons.rendering.render_markdown and prints the CPU seconds of each render, with
an ordinary lesson text of the same length as the yardstick. A render that takes
longer than --give-up CPU seconds is stopped and reported as such.

    .venv/bin/python bench/markdown_worst_cases.py [--give-up 60] [--only NAME ...]
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def _repeat(unit):
    return lambda length: (unit * (length // len(unit) + 1))[:length]


def _lines(make_line):
    """Lines from make_line(1), make_line(2), ... until the text is long enough."""

    def build(length):
        lines, size, depth = [], 0, 0
        while size < length:
            depth += 1
            lines.append(make_line(depth))
            size += len(lines[-1])
        return "".join(lines)[:length]

    return build


CASES = {
    "ordinary lesson text": _repeat(
        "## Otsikko\n\nTavallinen kappale, jossa on **lihavointi**, *kursiivi*, "
        "`koodi` ja [linkki](https://example.org/).\n\n- kohta\n- toinen\n\n"
    ),
    "[ (unclosed link text)": _repeat("["),
    "![ (unclosed image text)": _repeat("!["),
    "[]( (unclosed link target)": _repeat("[]("),
    "[a](b (unclosed target)": _repeat("[a](b"),
    "[][ (reference)": _repeat("[]["),
    "[^ (footnote)": _repeat("[^"),
    "[^ lines": _repeat("[^\n"),
    "\\[ (escaped brackets)": _repeat("\\[["),
    "[a](b) links": _repeat("[a](b) "),
    '[](" (title quotes)': _repeat('[]("'),
    "[^1] one note, many references": lambda length: (
        _repeat("[^1] ")(length - 9) + "\n\n[^1]: a"
    ),
    "[^1]: many notes": _repeat("[^1]\n\n[^1]: a\n\n"),
    "*": _repeat("*"),
    "_": _repeat("_"),
    "*a* emphasis": _repeat("*a* "),
    "**_": _repeat("**_"),
    "~~": _repeat("~~"),
    "`": _repeat("`"),
    "`a` code": _repeat("`a` "),
    "<": _repeat("<"),
    "<a (unclosed tags)": _repeat("<a "),
    "a<b (comparisons)": _repeat("a<b "),
    '<a x=">" (quoted >)': _repeat('<a x=">" '),
    "<https:// (autolinks)": _repeat("<https://a"),
    "<!-- (comments)": _repeat("<!--"),
    "</ (end tags)": _repeat("</a"),
    "&# (entities)": _repeat("&#"),
    "> (nested quotes)": _repeat(">"),
    "> lines, ever deeper": _lines(lambda depth: "> " * depth + "x\n"),
    "- (list markers)": _repeat("- "),
    "- lines, ever deeper": _lines(lambda depth: "    " * (depth - 1) + "- x\n"),
    "|": _repeat("|"),
    "| table rows": _repeat("| a | b |\n|---|---|\n"),
    "| one table, many rows": lambda length: (
        "|a|\n|-|\n" + _repeat("|a|\n")(length - 8)
    ),
    "/// unclosed accordions": _repeat("/// accordion\n## a\n"),
    "/// ever deeper": _lines(lambda depth: "/" * (depth + 2) + " note\n"),
    "/// check choices": _repeat("/// check\n( ) a\n"),
}


class _GaveUp(Exception):
    pass


def _stop(signum, frame):
    raise _GaveUp


def _cpu_seconds(render, text, give_up):
    """Return the CPU seconds render(text) takes, or None past give_up seconds."""
    signal.setitimer(signal.ITIMER_PROF, give_up)
    started = time.process_time()
    try:
        render(text)
    except _GaveUp:
        return None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return time.process_time() - started


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--give-up", type=float, default=60)
    parser.add_argument("--only", nargs="*", help="names of cases (a prefix will do)")
    return parser.parse_args()


def _chosen(only):
    if not only:
        return CASES
    return {
        name: build
        for name, build in CASES.items()
        if any(name.startswith(prefix) for prefix in only)
    }


def _print_row(name, cells):
    shown = ["gave up" if seconds is None else f"{seconds:.3f}" for seconds in cells]
    print(f"{name:<30} {shown[0]:>10} {shown[1]:>10}", flush=True)


def main():
    arguments = _arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    from lessons.rendering import render_markdown

    signal.signal(signal.SIGPROF, _stop)
    limits = (settings.MARKDOWN_MAX_CHARACTERS, settings.MARKDOWN_QUIZ_MAX_CHARACTERS)
    print(f"{'CPU seconds at':<30} {limits[0]:>10,} {limits[1]:>10,} characters")
    for name, build in _chosen(arguments.only).items():
        cells = [
            _cpu_seconds(render_markdown, build(length), arguments.give_up)
            for length in limits
        ]
        _print_row(name, cells)


if __name__ == "__main__":
    main()
