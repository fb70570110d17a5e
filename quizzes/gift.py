"""Read and write GIFT, Moodle's text format for quiz questions.

`parse_gift(text)` returns a `GiftResult`: the questions as raw StreamField block
data (`{"type": kind, "value": {...}}`, see quizzes/blocks.py), and the errors and
notes found, each as (line number, message). `export_gift(questions)` writes them
back as GIFT; `export_gift_counted(questions)` also says how many were skipped.

Choices made where GIFT or Moodle leave room:

- Text without a format prefix is Moodle's default "moodle" format, read like
  `[plain]`: Markdown's special characters are escaped so the text shows literally.
  Answers and feedback take the question text's format unless they have their own
  prefix. Short-answer texts and matching items are plain strings, never formatted.
- `\\\\` is a backslash and `\\%` a percent sign (so an answer may start with "%";
  Moodle lacks this escape). Other backslashes are kept, so Markdown escapes work.
- The blank of a missing-word question is `\\_` five times, or `&#95;` five
  times in `[html]` text (an HTML block shows Markdown escapes literally).
- A numeric tolerance of 0 is read as an exact answer; exact answers are written
  without a tolerance.
- A numeric question's feedback for other answers (`~#...`) is dropped with a note.
- Points, the "all or nothing" scoring of multiple choice and case-sensitive short
  answers cannot be written in GIFT: they read back as 1, "partial" and False.
- Ordering questions, short answers and matching items containing "->" cannot be
  written: the exporter writes a `// ... cannot be written in GIFT` comment instead.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lessons.rendering import sanitise_html
from quizzes.blocks import QuestionStreamBlock

POINTS = 1
BLANK = r"\_\_\_\_\_"
"""The missing word of a "missing word" question: five underscores in Markdown."""
HTML_BLANK = "&#95;" * 5
"""The same in [html] text, where Markdown leaves backslashes alone."""

# While a question is split, each escaped character is held as a private-use
# character, so only the unescaped ones act as GIFT syntax.
_ESCAPED = {char: char for char in "\\~=#{}:%"} | {"n": "\n"}
_HELD = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPED)}
_RELEASE = str.maketrans({held: _ESCAPED[char] for char, held in _HELD.items()})
_ESCAPE = re.compile(r"\\(.)")
_MARK = "\ue0ff"

_FORMAT = re.compile(r"\[(html|markdown|moodle|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%([^%\s]*)%")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}
_MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]~|]")
_MARKDOWN_LINE_START = re.compile(r"^([#>+\-/])")
_MARKDOWN_NUMBERED = re.compile(r"^(\d+)\.")


@dataclass
class GiftResult:
    """The questions read from GIFT text, and (line, message) errors and notes."""

    questions: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


class _Malformed(Exception):
    """A question that cannot be read: reported as an error."""


class _NotImported(Exception):
    """A valid GIFT question of a kind the app does not grade: reported as a note."""


class _Unwritable(Exception):
    """A question GIFT cannot express: written as a comment line."""


def kind_label(kind: str) -> str:
    """Return the translated name of a kind of question (its block's label)."""
    block = QuestionStreamBlock.base_blocks.get(kind)
    return str(block.label) if block else kind


# Reading


def parse_gift(text: str) -> GiftResult:
    """Read GIFT text; report what cannot be imported with its line number."""
    result = GiftResult()
    for lines in _blocks(text):
        lines = _skip_category(lines, result.notes)
        if not lines:
            continue
        start, notes = lines[0][0], []
        try:
            result.questions.append(_question("\n".join(t for _n, t in lines), notes))
        except _Malformed as error:
            result.errors.append((start, str(error)))
        except _NotImported as note:
            notes.append(str(note))
        result.notes.extend((start, note) for note in notes)
    return result


def _blocks(text: str):
    """Yield each blank-line-separated block as [(line number, stripped line)]."""
    block = []
    lines = re.split(r"\r\n|\r|\n", text.lstrip("\ufeff"))
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if line.startswith("//"):
            continue
        if line:
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _skip_category(lines: list, notes: list) -> list:
    """Note a leading $CATEGORY line and return the lines after it."""
    number, line = lines[0]
    if not line.startswith("$CATEGORY:"):
        return lines
    path = line.removeprefix("$CATEGORY:").strip()
    message = _('category "%(path)s" kept as a note, not imported') % {"path": path}
    notes.append((number, message))
    return lines[1:]


def _question(source: str, notes: list) -> dict:
    """Read one question; raise _Malformed or _NotImported."""
    name, rest = _split_name(_hold(source))
    text_format, rest = _split_format(rest.lstrip(), "moodle")
    before, body, after = _split_block(rest)
    body, _sep, general = body.partition("####")
    kind, fields = _answers(body.strip(), text_format, notes)
    missing_word = _MARK + after if after.strip() else ""
    blank = HTML_BLANK if text_format == "html" else BLANK
    text = _convert(before + missing_word, text_format).replace(_MARK, blank)
    if not text:
        raise _Malformed(_("the question has no text"))
    value = {"name": name, "text": text, "points": POINTS}
    value["feedback"] = _formatted(general, text_format)
    return {"type": kind, "value": value | fields}


def _hold(text: str) -> str:
    """Replace GIFT escapes with private-use characters."""
    return _ESCAPE.sub(lambda match: _HELD.get(match[1], match[0]), text)


def _release(held: str) -> str:
    """Turn held escapes back into the characters they stand for."""
    return held.translate(_RELEASE)


def _split_name(held: str) -> tuple[str, str]:
    """Return the ::name:: (or "") and the rest of the question."""
    if not held.startswith("::"):
        return "", held
    name, found, rest = held[2:].partition("::")
    if not found:
        raise _Malformed(_("the question name has no closing ::"))
    return _release(name).strip(), rest


def _split_format(held: str, default: str) -> tuple[str, str]:
    """Return the [format] a text starts with (or the default) and the rest."""
    match = _FORMAT.match(held)
    if match:
        return match[1].lower(), held[match.end() :]
    return default, held


def _split_block(held: str) -> tuple[str, str, str]:
    """Return the text before the {answer block}, its inside and the text after."""
    opening, closing = held.find("{"), held.find("}")
    if opening < 0 and closing < 0:
        raise _NotImported(
            _(
                "description questions are not imported: "
                "answers are graded automatically"
            )
        )
    if 0 <= closing < opening or opening < 0:
        raise _Malformed(_("a closing brace } has no opening brace {"))
    if closing < 0 or "{" in held[opening + 1 : closing]:
        raise _Malformed(_("the answer block has no closing brace }"))
    after = held[closing + 1 :]
    if "{" in after or "}" in after:
        raise _Malformed(_("a question can have only one answer block {…}"))
    return held[:opening], held[opening + 1 : closing], after


def _answers(body: str, text_format: str, notes: list) -> tuple[str, dict]:
    """Tell the kind of question from its answer block; return it and its fields."""
    if not body:
        raise _NotImported(
            _("essay questions are not imported: answers are graded automatically")
        )
    if body.startswith("#"):
        return "numeric", _numeric(body[1:], text_format, notes)
    if "~" in body:
        return _choices(_pieces(body), text_format)
    if body.partition("#")[0].strip().upper() in _TRUE | _FALSE:
        return "true_false", _true_false(body, text_format)
    pieces = _pieces(body)
    if any("->" in piece.partition("#")[0] for _marker, piece in pieces):
        return "matching", _matching(pieces)
    return "short_text", _short_text(pieces, text_format)


def _pieces(body: str) -> list[tuple[str, str]]:
    """Split answers into (marker, rest) pairs, the marker being = or ~."""
    first, *answers = re.split(r"(?=[=~])", body)
    if first.strip():
        raise _Malformed(
            _('cannot read the answers "%(answers)s": start each with = or ~')
            % {"answers": _release(body)}
        )
    return [(answer[0], answer[1:]) for answer in answers]


def _weight(piece: str) -> tuple[int | None, str]:
    """Return the %weight% an answer starts with (or None) and the rest."""
    match = _WEIGHT.match(piece)
    if not match:
        return None, piece
    if not _NUMBER.fullmatch(match[1]):
        raise _Malformed(
            _('unknown weight syntax "%(weight)s": write it like %%50%% or %%-50%%')
            % {"weight": _release(match[0].strip())}
        )
    weight = round(float(match[1]))
    if not -100 <= weight <= 100:
        raise _Malformed(
            _("the weight %(weight)s%% is not between -100 and 100")
            % {"weight": match[1]}
        )
    return weight, piece[match.end() :]


def _formatted(held: str, default: str) -> str:
    """Return a text (with an optional [format] prefix) as Markdown."""
    text_format, rest = _split_format(held.strip(), default)
    return _convert(rest, text_format)


def _convert(held: str, text_format: str) -> str:
    """Return a text written in the given format as Markdown."""
    text = _release(held).strip()
    if text_format == "markdown":
        return text
    if text_format == "html":
        return str(sanitise_html(text)).strip()
    return _plain_to_markdown(text)


def _plain_to_markdown(text: str) -> str:
    """Escape plain text so Markdown shows it literally, line breaks included."""
    lines = [_plain_line(line.strip()) for line in text.split("\n")]
    following = [*lines[1:], ""]
    pairs = zip(lines, following, strict=True)
    return "\n".join(f"{line}  " if line and after else line for line, after in pairs)


def _plain_line(line: str) -> str:
    """Escape one line of plain text for Markdown."""
    line = line.replace("&", "&amp;").replace("<", "&lt;")
    line = _MARKDOWN_INLINE.sub(r"\\\g<0>", line)
    line = _MARKDOWN_LINE_START.sub(r"\\\1", line)
    line = _MARKDOWN_NUMBERED.sub(r"\1\\.", line)
    return "&#61;" + line[1:] if line.startswith("=") else line


def _text_and_feedback(piece: str, text_format: str) -> tuple[str, str]:
    """Split an answer at its first # into its held text and Markdown feedback."""
    text, _sep, feedback = piece.partition("#")
    return text, _formatted(feedback, text_format)


def _choices(pieces: list, text_format: str) -> tuple[str, dict]:
    """Read single choice (one =) or multiple choice (weighted ~) answers."""
    choices = [_choice(marker, piece, text_format) for marker, piece in pieces]
    if len(choices) < 2:
        raise _Malformed(_("a choice question needs at least two choices"))
    right = sum(1 for choice in choices if choice["correct"])
    if right > 1:
        raise _Malformed(
            _("a single-choice question can have only one right answer (=)")
        )
    if right == 1:
        return "single_choice", {"choices": choices}
    for choice in choices:
        choice["correct"] = (choice["weight"] or 0) > 0
    if not any(choice["correct"] for choice in choices):
        raise _Malformed(
            _("the question has no right answer: mark one with = or a positive weight")
        )
    return "multiple_choice", {"choices": choices, "scoring": "partial"}


def _choice(marker: str, piece: str, text_format: str) -> dict:
    """Read one choice: its weight, text and feedback."""
    weight, rest = _weight(piece)
    if marker == "=":
        if weight not in (None, 100):
            raise _Malformed(_("a right answer (=) cannot have a weight below 100%"))
        weight = None
    held_text, feedback = _text_and_feedback(rest, text_format)
    text = _formatted(held_text, text_format)
    if not text:
        raise _Malformed(_("an answer has no text"))
    return {
        "text": text,
        "correct": marker == "=",
        "weight": weight,
        "feedback": feedback,
    }


def _true_false(body: str, text_format: str) -> dict:
    """Read {T#wrong answer feedback#right answer feedback} (Moodle's order)."""
    answer, *feedbacks = body.split("#")
    if len(feedbacks) > 2:
        raise _Malformed(_("a true/false question has at most two feedbacks"))
    wrong, right = (_formatted(held, text_format) for held in [*feedbacks, "", ""][:2])
    if answer.strip().upper() in _TRUE:
        return {"correct": True, "feedback_true": right, "feedback_false": wrong}
    return {"correct": False, "feedback_true": wrong, "feedback_false": right}


def _short_text(pieces: list, text_format: str) -> dict:
    """Read the accepted answers of a short answer question."""
    answers = []
    for _marker, piece in pieces:
        weight, rest = _weight(piece)
        held_text, feedback = _text_and_feedback(rest, text_format)
        text = _release(held_text).strip()
        if not text:
            raise _Malformed(_("an answer has no text"))
        answers.append({"text": text, "weight": _score(weight), "feedback": feedback})
    _require_full_points(answers)
    return {"answers": answers, "case_sensitive": False}


def _score(weight: int | None) -> int:
    """Return the weight of an accepted answer: 100 unless given, never negative."""
    if weight is None:
        return 100
    if weight < 0:
        raise _Malformed(_("an accepted answer cannot have a negative weight"))
    return weight


def _require_full_points(answers: list) -> None:
    """Refuse accepted answers of which none gives full points."""
    if not any(answer["weight"] == 100 for answer in answers):
        raise _Malformed(_("no answer gives full points (100%)"))


def _numeric(body: str, text_format: str, notes: list) -> dict:
    """Read the answers of {#...}: exact values, tolerances and ranges."""
    body, tilde, _other = body.partition("~")
    if tilde:
        notes.append(
            _("the feedback for other answers (~) of a numeric question is dropped")
        )
    first, *pieces = body.split("=")
    pieces = [first, *pieces] if first.strip() else pieces
    if not pieces:
        raise _Malformed(_("the numeric question has no answer"))
    answers = [_numeric_answer(piece, text_format) for piece in pieces]
    _require_full_points(answers)
    return {"answers": answers}


def _numeric_answer(piece: str, text_format: str) -> dict:
    """Read one numeric answer: weight, value and feedback."""
    weight, rest = _weight(piece)
    held_value, feedback = _text_and_feedback(rest, text_format)
    accepted = _numeric_value(_release(held_value).strip())
    return accepted | {"weight": _score(weight), "feedback": feedback}


def _numeric_value(text: str) -> dict:
    """Read low..high, value:tolerance or value."""
    answer = {"mode": "exact", "value": None, "tolerance": None}
    answer |= {"low": None, "high": None}
    if ".." in text:
        low, high = (_number(part) for part in text.split("..", 1))
        if low > high:
            raise _Malformed(_("the lowest value of a range is above the highest"))
        return answer | {"mode": "range", "low": low, "high": high}
    value, _sep, tolerance = text.partition(":")
    answer["value"] = _number(value)
    if tolerance and _number(tolerance) < 0:
        raise _Malformed(_("a tolerance cannot be negative"))
    if tolerance and _number(tolerance) > 0:
        answer |= {"mode": "tolerance", "tolerance": _number(tolerance)}
    return answer


def _number(text: str) -> float:
    """Return a number written with a decimal point."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise _Malformed(_('"%(text)s" is not a number') % {"text": text})
    return float(text)


def _matching(pieces: list) -> dict:
    """Read =item -> match pairs; "= -> match" is an extra match."""
    pairs, distractors = [], []
    for _marker, piece in pieces:
        left, arrow, right = piece.partition("->")
        if not arrow:
            raise _Malformed(_("every matching answer needs an arrow: =item -> match"))
        if "#" in piece:
            raise _Malformed(_("matching answers cannot have feedback (#)"))
        left, right = _release(left).strip(), _release(right).strip()
        if not right:
            raise _Malformed(_("a matching answer has nothing after its arrow"))
        if left:
            pairs.append({"left": left, "right": right})
        else:
            distractors.append(right)
    if len(pairs) < 2:
        raise _Malformed(_("a matching question needs at least two pairs"))
    matches = [pair["right"] for pair in pairs] + distractors
    if len(set(matches)) != len(matches):
        raise _Malformed(_("every match must be different"))
    return {"pairs": pairs, "distractors": distractors}


# Writing


def export_gift(questions) -> str:
    """Return the questions as GIFT; the ones GIFT cannot hold become comments."""
    return export_gift_counted(questions)[0]


def export_gift_counted(questions) -> tuple[str, int]:
    """Return the questions as GIFT and how many were skipped as comment lines."""
    chunks, skipped = [], 0
    for question in questions:
        try:
            chunks.append(_write_question(question))
        except _Unwritable as reason:
            chunks.append(f"// {reason}")
            skipped += 1
    return ("\n\n".join(chunks) + "\n" if chunks else ""), skipped


def _write_question(question: dict) -> str:
    """Return one question as GIFT, or raise _Unwritable."""
    kind, value = question["type"], question["value"]
    writer = _WRITERS.get(kind)
    if writer is None:
        raise _unwritable(kind, value)
    block = _block(writer(value), value.get("feedback", ""))
    name = value.get("name", "")
    head = f"::{_escape(name)}::" if name else ""
    before, after = _split_blank(value["text"])
    return f"{head}[markdown]{_escape(before)}{block}{_escape(after)}"


def _unwritable(kind: str, value: dict) -> _Unwritable:
    """Return the comment for a question GIFT cannot hold."""
    words = value.get("text", "").split()
    title = " ".join(value.get("name", "").split())
    title = title or " ".join(words[:6]) + (" …" if words[6:] else "")
    return _Unwritable(
        _('Question "%(title)s" (%(kind)s) cannot be written in GIFT')
        % {"kind": kind_label(kind), "title": title}
    )


def _split_blank(text: str) -> tuple[str, str]:
    """Split a missing-word text at its blank, if text follows the blank."""
    before, found, after = text.partition(BLANK)
    if found and after.strip():
        return before, after
    return text, ""


def _block(lines: list[str], general_feedback: str) -> str:
    """Return the {answer block}: one line, or one answer per line."""
    if general_feedback:
        lines = [*lines, "####" + _escape_text(general_feedback)]
    if len(lines) == 1:
        return "{" + lines[0] + "}"
    return "{\n" + "".join(f"\t{line}\n" for line in lines) + "}"


def _escape(text: str) -> str:
    """Escape GIFT's special characters; a leading % too."""
    escaped = text.translate(_GIFT_SPECIAL)
    return "\\" + escaped if escaped.startswith("%") else escaped


_GIFT_SPECIAL = str.maketrans(
    {char: "\\" + char for char in "\\~=#{}:"} | {"\n": "\\n", "\r": ""}
)


def _escape_text(markdown: str) -> str:
    """Escape a Markdown answer or feedback, marking it if it looks like a prefix."""
    return ("[markdown]" if _FORMAT.match(markdown) else "") + _escape(markdown)


def _weight_text(weight) -> str:
    """Return %weight% or nothing."""
    return "" if weight is None else f"%{_number_text(weight)}%"


def _feedback_text(feedback: str | None) -> str:
    """Return #feedback or nothing."""
    return f"#{_escape_text(feedback)}" if feedback else ""


def _number_text(number) -> str:
    """Return a number as GIFT writes it: 3 rather than 3.0."""
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _choice_line(marker: str, weight, choice: dict) -> str:
    """Return one choice: marker, weight, text and feedback."""
    text = _escape_text(choice["text"])
    return marker + _weight_text(weight) + text + _feedback_text(choice.get("feedback"))


def _single_choice_lines(value: dict) -> list[str]:
    """Return =right and ~wrong (possibly weighted) choices."""
    return [
        _choice_line("=", None, choice)
        if choice["correct"]
        else _choice_line("~", choice.get("weight"), choice)
        for choice in value["choices"]
    ]


def _multiple_choice_lines(value: dict) -> list[str]:
    """Return ~%weight% choices; right ones without a weight share 100%."""
    choices = value["choices"]
    share = round(100 / max(1, sum(1 for choice in choices if choice["correct"])), 5)
    return [
        _choice_line("~", _multiple_weight(choice, share), choice) for choice in choices
    ]


def _multiple_weight(choice: dict, share: float):
    """Return the weight to write: positive for right choices, else 0 or less."""
    weight = choice.get("weight")
    if choice["correct"]:
        return weight if weight is not None and weight > 0 else share
    return weight if weight is not None and weight <= 0 else None


def _true_false_lines(value: dict) -> list[str]:
    """Return TRUE or FALSE with Moodle's #wrong answer#right answer feedback."""
    correct = value["correct"]
    right = value.get("feedback_true" if correct else "feedback_false") or ""
    wrong = value.get("feedback_false" if correct else "feedback_true") or ""
    feedbacks = [wrong, right] if right else [wrong] if wrong else []
    answer = "TRUE" if correct else "FALSE"
    return [answer + "".join(f"#{_escape_text(text)}" for text in feedbacks)]


def _short_text_lines(value: dict) -> list[str]:
    """Return =%weight%answer#feedback lines."""
    lines = []
    for answer in value["answers"]:
        if "->" in answer["text"]:
            raise _unwritable("short_text", value)
        weight = answer.get("weight")
        weight = None if weight in (None, 100) else weight
        text = _escape(answer["text"])
        lines.append(
            "=" + _weight_text(weight) + text + _feedback_text(answer.get("feedback"))
        )
    return lines


def _numeric_lines(value: dict) -> list[str]:
    """Return #answer for one full-points answer, else # and =%weight%answer lines."""
    answers = value["answers"]
    if len(answers) == 1 and answers[0].get("weight") in (None, 100):
        return ["#" + _numeric_answer_text(answers[0])]
    lines = ["#"]
    for answer in answers:
        weight = answer.get("weight")
        weight = None if weight in (None, 100) else weight
        lines.append("=" + _weight_text(weight) + _numeric_answer_text(answer))
    return lines


def _numeric_answer_text(answer: dict) -> str:
    """Return low..high, value:tolerance or value, with its #feedback."""
    if answer.get("mode") == "range":
        core = f"{_number_text(answer['low'])}..{_number_text(answer['high'])}"
    elif answer.get("mode") == "tolerance" and answer.get("tolerance"):
        core = f"{_number_text(answer['value'])}:{_number_text(answer['tolerance'])}"
    else:
        core = _number_text(answer["value"])
    return core + _feedback_text(answer.get("feedback"))


def _matching_lines(value: dict) -> list[str]:
    """Return =item -> match lines, and = -> match for the extra matches."""
    lines = []
    for pair in value["pairs"]:
        if "->" in pair["left"]:
            raise _unwritable("matching", value)
        lines.append(f"={_escape(pair['left'])} -> {_escape(pair['right'])}")
    lines += [f"= -> {_escape(extra)}" for extra in value.get("distractors", [])]
    return lines


_WRITERS = {
    "single_choice": _single_choice_lines,
    "multiple_choice": _multiple_choice_lines,
    "true_false": _true_false_lines,
    "short_text": _short_text_lines,
    "numeric": _numeric_lines,
    "matching": _matching_lines,
}
