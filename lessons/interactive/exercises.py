"""Self-check exercises: fill in the blanks and knowledge checks (never graded)."""

import hashlib
import re
import xml.etree.ElementTree as etree

from django.utils.translation import gettext as _

from lessons.interactive.base import CHECKING_LABELS, InteractiveBlock

ANSWER_SEPARATOR = "/"
# Markdown's placeholder for raw HTML inside the text; never part of an answer.
STASHED_HTML = re.compile("\x02wzxhzdk:\\d+\x03")
CHOICE = re.compile(r"^(?P<mark>\([ xX]\)|\[[ xX]\])\s+(?P<text>.+)$")
FEEDBACK = re.compile(r"^>\s?(?P<text>.*)$")


def _solution(block, label):
    details = etree.SubElement(block, "details", {"class": "solution"})
    summary = etree.SubElement(details, "summary")
    summary.text = label
    return details


class FillInTheBlanks(InteractiveBlock):
    """`*answer*` or `*answer/other answer*` in the text becomes a blank to fill."""

    NAME = "blanks"
    CSS_CLASS = "blanks"
    LABELS = (*CHECKING_LABELS, "solutionShown")

    def complete(self, block):
        answers = []
        for parent in list(block.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "em":
                    continue
                written = STASHED_HTML.sub("", "".join(child.itertext()))
                accepted = [
                    answer.strip()
                    for answer in written.split(ANSWER_SEPARATOR)
                    if answer.strip()
                ]
                if not accepted:
                    self.fail(block, _("A blank (*…*) has no answer in it."))
                    return
                answers.append(accepted)
                parent.remove(child)
                parent.insert(index, self._blank(len(answers), accepted, child.tail))
        if not answers:
            self.fail(block, _("Mark at least one blank with *answer*."))
            return
        solution = _solution(block, _("Show the answers"))
        listing = etree.SubElement(solution, "ol", {"class": "solution__answers"})
        for accepted in answers:
            etree.SubElement(listing, "li").text = " / ".join(accepted)

    def _blank(self, number, accepted, tail):
        wrapper = etree.Element("span", {"class": "blank"})
        field_id = self.element_id(f"blank-{number}")
        label = etree.SubElement(
            wrapper, "label", {"class": "visually-hidden", "for": field_id}
        )
        label.text = _("Blank %(number)s") % {"number": number}
        etree.SubElement(
            wrapper,
            "input",
            {
                "type": "text",
                "id": field_id,
                "class": "blank__input",
                "autocomplete": "off",
                "spellcheck": "false",
                "data-answers": "\n".join(accepted),
            },
        )
        wrapper.tail = tail
        return wrapper


class KnowledgeCheck(InteractiveBlock):
    """A question with `( )`/`(x)` (one right) or `[ ]`/`[x]` (several) choices.

    A line starting with `>` under a choice is that choice's feedback.
    """

    NAME = "check"
    CSS_CLASS = "check"
    LABELS = (*CHECKING_LABELS, "right", "wrong", "solutionMarked", "missed")

    def on_markdown(self):
        return "raw"

    def on_end(self, block):
        question, choices, problem = self._parse(block.text or "")
        block.text = None
        if problem:
            self.fail(block, problem)
            return
        multiple = choices[0]["mark"].startswith("[")
        block.set("data-kind", "multiple" if multiple else "single")
        fieldset = etree.SubElement(block, "fieldset", {"class": "check__question"})
        legend = etree.SubElement(fieldset, "legend")
        legend.text = question
        for number, choice in enumerate(choices, start=1):
            self._choice(fieldset, number, choice, multiple)
        solution = _solution(block, _("Show the answer"))
        listing = etree.SubElement(solution, "ul", {"class": "solution__answers"})
        for choice in choices:
            if choice["correct"]:
                item = etree.SubElement(listing, "li")
                item.text = choice["text"]
                if choice["feedback"]:
                    item.text += " – " + choice["feedback"]

    def _choice(self, fieldset, number, choice, multiple):
        row = etree.SubElement(fieldset, "div", {"class": "check__choice"})
        choice_id = self.element_id(f"choice-{number}")
        etree.SubElement(
            row,
            "input",
            {
                "type": "checkbox" if multiple else "radio",
                "name": self.element_id("choices"),
                "id": choice_id,
                "value": str(number),
                "data-correct": "true" if choice["correct"] else "false",
            },
        )
        label = etree.SubElement(row, "label", {"for": choice_id})
        label.text = choice["text"]
        if choice["feedback"]:
            feedback = etree.SubElement(
                row, "p", {"class": "check__feedback", "hidden": "hidden"}
            )
            feedback.text = choice["feedback"]

    def _parse(self, text):
        question_lines, choices = [], []
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if match := CHOICE.match(line):
                choices.append(
                    {
                        "mark": match["mark"],
                        "correct": "x" in match["mark"].lower(),
                        "text": match["text"].strip(),
                        "feedback": "",
                    }
                )
            elif (match := FEEDBACK.match(line)) and choices:
                choices[-1]["feedback"] = (
                    choices[-1]["feedback"] + " " + match["text"]
                ).strip()
            elif choices:
                return "", [], _("Text after the choices: start feedback lines with >.")
            else:
                question_lines.append(line)
        return (
            " ".join(question_lines),
            choices,
            self._problem(question_lines, choices),
        )

    def _problem(self, question_lines, choices):
        if not question_lines:
            return _("Write the question before the choices.")
        if len(choices) < 2:
            return _("Give at least two choices, e.g. ( ) and (x).")
        kinds = {choice["mark"][0] for choice in choices}
        if len(kinds) > 1:
            return _("Use ( ) for one right answer or [ ] for several, not both.")
        right = sum(choice["correct"] for choice in choices)
        if right == 0:
            return _("Mark the right answer with (x) or [x].")
        if "(" in kinds and right > 1:
            return _(
                "A ( ) question has exactly one right answer: use [ ] for several."
            )
        return ""


class MarkTheWords(InteractiveBlock):
    """The first paragraph asks; in the text after it, `*word*` marks a right word."""

    NAME = "mark"
    CSS_CLASS = "mark"
    LABELS = (*CHECKING_LABELS, "markResult", "solutionMarked", "missed")

    def complete(self, block):
        paragraphs = [child for child in block if child.tag == "p"]
        if len(paragraphs) < 2:
            self.fail(
                block,
                _("Write the instruction first, then the text with *right words*."),
            )
            return
        instruction, texts = paragraphs[0], paragraphs[1:]
        instruction.set("class", "mark__instruction")
        right = []
        for paragraph in texts:
            paragraph.set("class", "mark__text")
            for index, child in enumerate(list(paragraph)):
                if child.tag != "em":
                    continue
                word = STASHED_HTML.sub("", "".join(child.itertext())).strip()
                if not word:
                    self.fail(block, _("A marked word (*…*) is empty."))
                    return
                right.append(word)
                span = etree.Element("span", {"data-correct": "true"})
                span.text, span.tail = word, child.tail
                paragraph.remove(child)
                paragraph.insert(index, span)
        if not right:
            self.fail(block, _("Mark the right words in the text with *word*."))
            return
        solution = _solution(block, _("Show the answer"))
        listing = etree.SubElement(solution, "ul", {"class": "solution__answers"})
        for word in right:
            etree.SubElement(listing, "li").text = word


class DragTheWords(FillInTheBlanks):
    """Like fill in the blanks, with the missing words offered in a word bank."""

    NAME = "drag"
    CSS_CLASS = "drag"
    LABELS = (
        *FillInTheBlanks.LABELS,
        "wordChosen",
        "wordPlaced",
        "wordReturned",
        "empty",
    )

    def complete(self, block):
        super().complete(block)
        if block.get("class") == "block-error":
            return
        answers = [field.get("data-answers") for field in block.iter("input")]
        words = [accepted.split("\n")[0] for accepted in answers]
        bank = etree.Element("div", {"class": "drag__bank"})
        title = etree.SubElement(bank, "p", {"class": "drag__bank-title"})
        title.text = _("Words to place:")
        listing = etree.SubElement(bank, "ul", {"class": "drag__words"})
        for word in shuffled_words(words, seed="\n\n".join(answers)):
            etree.SubElement(listing, "li", {"class": "drag__word"}).text = word
        block.insert(0, bank)


def shuffled_words(words: list[str], *, seed: str) -> list[str]:
    """Return `words` in an order fixed by `seed`, never the order they came in.

    The word bank must not list the words in the order of the gaps, yet stay the
    same on every render of the same block (so saved answers keep their places).
    """
    order = sorted(
        range(len(words)),
        key=lambda position: hashlib.sha256(f"{seed}\0{position}".encode()).digest(),
    )
    shuffled = [words[position] for position in order]
    if shuffled == words:
        # Rotating a list changes it unless all its words are the same.
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled
