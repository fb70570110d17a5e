"""Shared machinery of the interactive blocks: ids, errors and heading-split parts."""

import json
import re
import xml.etree.ElementTree as etree

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pymdownx.blocks.block import Block

OPENING = re.compile(r"^(?P<slashes>/{3,})[ \t]*(?P<name>[\w-]+)")
CLOSING = re.compile(r"^(?P<slashes>/{3,})[ \t]*$")


def scan_block_lines(text: str, names) -> tuple[list[int], list[str]]:
    """Return the line of each interactive block opening, and unclosed-block errors."""
    lines, stack, errors = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if opening := OPENING.match(line):
            stack.append((opening["slashes"], opening["name"], number))
            if opening["name"] in names:
                lines.append(number)
        elif (closing := CLOSING.match(line)) and stack and stack[-1][0] == closing[1]:
            stack.pop()
    for _slashes, name, number in stack:
        errors.append(
            _('Line %(line)s: the "%(name)s" block has no end marker (///).')
            % {"line": number, "name": name}
        )
    return lines, errors


# What site/static/js/interactive.js writes into a block, by the name it asks for.
# Rendered into each block (data-labels) in the content's language, so a block never
# mixes the interface language with the course language.
SCRIPT_LABELS = {
    "check": gettext_noop("Check"),
    "retry": gettext_noop("Try again"),
    "cleared": gettext_noop("Answers cleared. Try again."),
    "showSolution": gettext_noop("Show the solution"),
    "solutionShown": gettext_noop("The right answers are now filled in."),
    "solutionMarked": gettext_noop("The right answers are now marked."),
    "missed": gettext_noop("right answer, not chosen"),
    "result": gettext_noop("%(right)s / %(total)s right"),
    "right": gettext_noop("Right!"),
    "wrong": gettext_noop("Not quite. Read the feedback and try again."),
    "markResult": gettext_noop("%(right)s right, %(missed)s missed, %(wrong)s wrong."),
    "wordChosen": gettext_noop("Chosen: %(word)s. Now choose a gap."),
    "wordPlaced": gettext_noop("%(word)s placed in %(gap)s."),
    "wordReturned": gettext_noop("The word is back among the words to place."),
    "empty": gettext_noop("empty"),
    "point": gettext_noop("Point %(number)s"),
    "hotspotsHelp": gettext_noop(
        "Choose a numbered point on the image to read about it. Escape closes it."
    ),
}
# What every block with Check, Show the solution and Try again buttons uses.
CHECKING_LABELS = ("check", "retry", "cleared", "showSolution", "result")


class InteractiveBlock(Block):
    """A block that reports its mistakes instead of disappearing.

    `/// kind | Title` gives the block a heading. Subclasses build their markup in
    `on_end` (before inline Markdown) or `complete` (after it).
    """

    ARGUMENT = None
    CSS_CLASS = ""
    LABELS: tuple[str, ...] = ()

    def on_create(self, parent):
        state = self.md.interactive_state
        state.count += 1
        self.number = state.count
        self.line = (
            state.lines[self.number - 1] if self.number <= len(state.lines) else 0
        )
        element = etree.SubElement(parent, "div")
        element.set("class", f"interactive {self.CSS_CLASS}")
        element.set("data-block", self.NAME)
        return element

    def on_inline_end(self, block):
        self.complete(block)
        if block.get("class") == "block-error":
            return
        self._add_title(block)
        if self.LABELS:
            block.set("data-labels", _script_labels(self.LABELS))

    def complete(self, block):
        """Build the block's markup once its inline Markdown has been parsed."""

    def _add_title(self, block):
        title = (self.argument or "").strip()
        if title:
            heading = etree.Element("h3", {"class": "interactive__title"})
            heading.text = title
            block.insert(0, heading)

    def element_id(self, suffix) -> str:
        return f"ib-{self.number}-{suffix}"

    def fail(self, block, message):
        """Replace the block's content with a visible, explained error."""
        full = _("Line %(line)s, %(name)s block: %(message)s") % {
            "line": self.line,
            "name": self.NAME,
            "message": message,
        }
        self.md.interactive_state.errors.append(full)
        block.clear()
        block.set("class", "block-error")
        block.set("role", "note")
        title = etree.SubElement(block, "p")
        strong = etree.SubElement(title, "strong")
        strong.text = _("This interactive block has an error.")
        detail = etree.SubElement(block, "p")
        detail.text = full


def _script_labels(names) -> str:
    return json.dumps(
        {name: _(SCRIPT_LABELS[name]) for name in names}, ensure_ascii=False
    )


class InteractiveState:
    """What one Markdown conversion learns about its interactive blocks."""

    def __init__(self, lines):
        self.lines = lines
        self.count = 0
        self.errors = []


def split_by_headings(block):
    """Return [(heading element, [content elements])] for each h2/h3 in the block."""
    parts = []
    for child in list(block):
        if child.tag in ("h2", "h3"):
            parts.append((child, []))
        elif parts:
            parts[-1][1].append(child)
        elif child.tag != "p" or (child.text or "").strip() or len(child):
            parts.append((None, [child]))
    return parts
