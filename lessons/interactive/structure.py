"""Blocks that arrange content: accordion, tabs, dialog cards and process steps.

Each splits its content at `##` (or `###`) headings into parts.
"""

import xml.etree.ElementTree as etree

from django.utils.translation import gettext as _

from lessons.interactive.base import InteractiveBlock, split_by_headings


def _empty(block):
    for child in list(block):
        block.remove(child)


def _heading_parts(block, fail):
    parts = split_by_headings(block)
    if not parts:
        fail(
            block,
            _("Write at least one part, each starting with a heading (## Title)."),
        )
        return None
    if parts[0][0] is None:
        fail(
            block, _("Start the block with a heading (## Title): text came before it.")
        )
        return None
    return parts


def _copy_heading_text(heading, target):
    target.text = heading.text
    for child in list(heading):
        target.append(child)


class Accordion(InteractiveBlock):
    """Collapsible sections; native <details>, so no script is needed."""

    NAME = "accordion"
    CSS_CLASS = "accordion"

    def on_end(self, block):
        parts = _heading_parts(block, self.fail)
        if parts is None:
            return
        _empty(block)
        for heading, content in parts:
            item = etree.SubElement(block, "details", {"class": "accordion__item"})
            summary = etree.SubElement(item, "summary", {"class": "accordion__title"})
            _copy_heading_text(heading, summary)
            body = etree.SubElement(item, "div", {"class": "accordion__body"})
            body.extend(content)


class Tabs(InteractiveBlock):
    """Titled panels: read in turn without a script, shown as tabs with one."""

    NAME = "tabs"
    CSS_CLASS = "tabs"

    def on_end(self, block):
        parts = _heading_parts(block, self.fail)
        if parts is None:
            return
        if len(parts) < 2:
            self.fail(block, _("Tabs need at least two parts (## Title)."))
            return
        _empty(block)
        for number, (heading, content) in enumerate(parts, start=1):
            panel = etree.SubElement(
                block,
                "section",
                {"class": "tabs__panel", "id": self.element_id(f"tab-{number}")},
            )
            title = etree.SubElement(
                panel,
                "h3",
                {"class": "tabs__title", "id": self.element_id(f"tab-{number}-title")},
            )
            _copy_heading_text(heading, title)
            panel.extend(content)


class DialogCards(InteractiveBlock):
    """Cards with a front (the heading) and a back (the text under it)."""

    NAME = "cards"
    CSS_CLASS = "cards"

    def on_end(self, block):
        parts = _heading_parts(block, self.fail)
        if parts is None:
            return
        for number, (heading, content) in enumerate(parts, start=1):
            if not content:
                self.fail(
                    block,
                    _('Card %(number)s ("%(front)s") has no back: write text under it.')
                    % {"number": number, "front": heading.text or ""},
                )
                return
        _empty(block)
        cards = etree.SubElement(block, "ol", {"class": "cards__list"})
        for number, (heading, content) in enumerate(parts, start=1):
            card = etree.SubElement(cards, "li", {"class": "card"})
            counter = etree.SubElement(card, "p", {"class": "card__count"})
            counter.text = _("Card %(number)s of %(total)s") % {
                "number": number,
                "total": len(parts),
            }
            front = etree.SubElement(card, "p", {"class": "card__front"})
            _copy_heading_text(heading, front)
            back = etree.SubElement(card, "details", {"class": "card__back"})
            summary = etree.SubElement(back, "summary")
            summary.text = _("Turn the card")
            body = etree.SubElement(back, "div", {"class": "card__back-text"})
            body.extend(content)


class ProcessSteps(InteractiveBlock):
    """An ordered process or timeline: each step a title and its text."""

    NAME = "steps"
    CSS_CLASS = "process"

    def on_end(self, block):
        parts = _heading_parts(block, self.fail)
        if parts is None:
            return
        _empty(block)
        steps = etree.SubElement(block, "ol", {"class": "process__steps"})
        for heading, content in parts:
            step = etree.SubElement(steps, "li", {"class": "process__step"})
            title = etree.SubElement(step, "h3", {"class": "process__title"})
            _copy_heading_text(heading, title)
            step.extend(content)


class Timeline(ProcessSteps):
    NAME = "timeline"
    CSS_CLASS = "process process--timeline"
