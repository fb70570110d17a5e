"""Shared machinery of the interactive blocks: ids, errors and heading-split parts."""

import re
import xml.etree.ElementTree as etree

from django.utils.translation import gettext as _
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


class InteractiveBlock(Block):
    """A block that reports its mistakes instead of disappearing."""

    ARGUMENT = None
    CSS_CLASS = ""

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
