"""Question blocks of a quiz (a StreamField): one block type per kind of question.

Texts are Markdown of at most MARKDOWN_QUIZ_MAX_CHARACTERS characters, rendered
through lessons/rendering.py when the quiz page is saved; the HTML is stored with
each question (MarkdownStreamBlock) for the attempts' snapshots. Each block checks
itself in the admin (clean) so a quiz cannot be saved with a question that cannot
be graded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import BlockGroup, StructBlockValidationError

from lessons.markdown_fields import MarkdownBlock, MarkdownStreamBlock

MARKDOWN_HELP = _("Markdown")


def quiz_markdown_limit() -> int:
    """Return the most characters one Markdown text of a question may have."""
    return settings.MARKDOWN_QUIZ_MAX_CHARACTERS


def _at_least(child, *, label, min_num):
    """Return a ListBlock of at least min_num items; a new one starts with them."""
    empty = [child.get_prep_value(child.get_default()) for _ in range(min_num)]
    return blocks.ListBlock(child, label=label, min_num=min_num, default=empty)


def _markdown(label, required=True, rows=3):
    return MarkdownBlock(
        limit=quiz_markdown_limit,
        label=label,
        required=required,
        rows=rows,
        help_text=MARKDOWN_HELP,
    )


class QuestionBlock(blocks.StructBlock):
    """What every question has: its text, points and general feedback."""

    name = blocks.CharBlock(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Optional: a short name for the statistics."),
    )
    text = _markdown(_("Question"))
    points = blocks.DecimalBlock(
        label=_("Points"), default=1, min_value=0, max_digits=6, decimal_places=2
    )
    feedback = _markdown(
        _("General feedback"),
        required=False,
        rows=2,
    )

    kind = ""

    class Meta:
        # A collapsed question shows the start of its text, not its name.
        label_format = "{text}"

    def get_form_layout(self):
        """Put the question first, the general feedback last, the name aside.

        A new question's cursor lands in its first field; the optional name (for
        the statistics) waits behind the block's settings button.
        """
        names = [name for name in self.child_blocks if name not in ("name", "feedback")]
        return BlockGroup(children=[*names, "feedback"], settings=["name"])

    def clean(self, value):
        value = super().clean(value)
        errors = self.problems(value)
        if errors:
            raise StructBlockValidationError(
                block_errors={
                    name: ValidationError(message) for name, message in errors.items()
                }
            )
        return value

    def problems(self, value) -> dict:
        """Return {field name: message} for what makes the question ungradable."""
        return {}


class ChoiceBlock(blocks.StructBlock):
    text = _markdown(_("Choice"), rows=1)
    correct = blocks.BooleanBlock(label=_("Right answer"), required=False)
    weight = blocks.IntegerBlock(
        label=_("Weight (%)"),
        required=False,
        min_value=-100,
        max_value=100,
        help_text=_("Optional: the share of the points this choice gives or takes."),
    )
    feedback = _markdown(_("Feedback for this choice"), required=False, rows=1)


class SingleChoiceBlock(QuestionBlock):
    choices = _at_least(ChoiceBlock(), label=_("Choices"), min_num=2)

    kind = "single_choice"

    class Meta:
        label = _("Single choice")
        icon = "radio-full"

    def problems(self, value):
        right = sum(1 for choice in value["choices"] if choice["correct"])
        if right != 1:
            return {"choices": _("Mark exactly one choice as the right answer.")}
        return {}


class MultipleChoiceBlock(QuestionBlock):
    choices = _at_least(ChoiceBlock(), label=_("Choices"), min_num=2)
    scoring = blocks.ChoiceBlock(
        label=_("Scoring"),
        choices=[
            ("partial", _("Right picks minus wrong picks (not below zero)")),
            ("all_or_nothing", _("All or nothing")),
        ],
        default="partial",
    )

    kind = "multiple_choice"

    class Meta:
        label = _("Multiple choice")
        icon = "tick-inverse"

    def problems(self, value):
        if not any(choice["correct"] for choice in value["choices"]):
            return {"choices": _("Mark at least one choice as right.")}
        return {}


class TrueFalseBlock(QuestionBlock):
    correct = blocks.BooleanBlock(
        label=_("The statement is true"), required=False, default=True
    )
    feedback_true = _markdown(_("Feedback for “true”"), required=False, rows=1)
    feedback_false = _markdown(_("Feedback for “false”"), required=False, rows=1)

    kind = "true_false"

    class Meta:
        label = _("True or false")
        icon = "help"


class AcceptedAnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Accepted answer"), max_length=200)
    weight = blocks.IntegerBlock(
        label=_("Weight (%)"), default=100, min_value=0, max_value=100
    )
    feedback = _markdown(_("Feedback for this answer"), required=False, rows=1)


class ShortTextBlock(QuestionBlock):
    answers = blocks.ListBlock(
        AcceptedAnswerBlock(), label=_("Accepted answers"), min_num=1
    )
    case_sensitive = blocks.BooleanBlock(
        label=_("Letter case matters"), required=False, default=False
    )

    kind = "short_text"

    class Meta:
        label = _("Short text")
        icon = "edit"

    def problems(self, value):
        if not any(answer["weight"] == 100 for answer in value["answers"]):
            return {"answers": _("At least one answer must give full points (100 %).")}
        return {}


class NumericAnswerBlock(blocks.StructBlock):
    mode = blocks.ChoiceBlock(
        label=_("Accept"),
        choices=[
            ("exact", _("Exactly this value")),
            ("tolerance", _("This value, give or take the tolerance")),
            ("range", _("Anything from the lowest to the highest")),
        ],
        default="exact",
    )
    value = blocks.FloatBlock(label=_("Value"), required=False)
    tolerance = blocks.FloatBlock(label=_("Tolerance"), required=False, min_value=0)
    low = blocks.FloatBlock(label=_("Lowest"), required=False)
    high = blocks.FloatBlock(label=_("Highest"), required=False)
    weight = blocks.IntegerBlock(
        label=_("Weight (%)"), default=100, min_value=0, max_value=100
    )
    feedback = _markdown(_("Feedback for this answer"), required=False, rows=1)

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        mode = value["mode"]
        if mode in ("exact", "tolerance") and value["value"] is None:
            errors["value"] = ValidationError(_("Give the value."))
        if mode == "tolerance" and value["tolerance"] is None:
            errors["tolerance"] = ValidationError(_("Give the tolerance."))
        if mode == "range":
            if value["low"] is None or value["high"] is None:
                errors["high"] = ValidationError(_("Give the lowest and highest."))
            elif value["low"] > value["high"]:
                errors["high"] = ValidationError(
                    _("The highest must not be below the lowest.")
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class NumericBlock(QuestionBlock):
    answers = blocks.ListBlock(
        NumericAnswerBlock(), label=_("Accepted answers"), min_num=1
    )

    kind = "numeric"

    class Meta:
        label = _("Number")
        icon = "order"

    def problems(self, value):
        if not any(answer["weight"] == 100 for answer in value["answers"]):
            return {"answers": _("At least one answer must give full points (100 %).")}
        return {}


class PairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("Item"), max_length=300)
    right = blocks.CharBlock(label=_("Its match"), max_length=300)


class MatchingBlock(QuestionBlock):
    pairs = _at_least(PairBlock(), label=_("Pairs"), min_num=2)
    distractors = blocks.ListBlock(
        blocks.CharBlock(max_length=300),
        label=_("Extra matches that fit nothing"),
        default=[],
    )

    kind = "matching"

    class Meta:
        label = _("Matching")
        icon = "link"

    def problems(self, value):
        rights = [pair["right"].strip() for pair in value["pairs"]]
        rights += [text.strip() for text in value["distractors"]]
        if len(set(rights)) != len(rights):
            return {"pairs": _("Every match must be different.")}
        return {}


class OrderingBlock(QuestionBlock):
    items = _at_least(
        blocks.CharBlock(max_length=300),
        label=_("Items in the right order"),
        min_num=2,
    )

    kind = "ordering"

    class Meta:
        label = _("Ordering")
        icon = "list-ol"

    def problems(self, value):
        items = [item.strip() for item in value["items"]]
        if len(set(items)) != len(items):
            return {"items": _("Every item must be different.")}
        return {}


class QuestionStreamBlock(MarkdownStreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_text = ShortTextBlock()
    numeric = NumericBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()


QUESTION_KINDS = list(QuestionStreamBlock.base_blocks)
