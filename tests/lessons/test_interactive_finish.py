"""Interactive blocks for learners: titles, one language per block, the word bank."""

import html as html_module
import json
import random
import re
from pathlib import Path

import pytest

from lessons.interactive import BLOCK_NAMES, block_examples
from lessons.interactive.base import SCRIPT_LABELS
from lessons.interactive.exercises import shuffled_words
from lessons.rendering import render_markdown, render_markdown_checked
from tests.helpers import translated

SCRIPT = Path(__file__).resolve().parents[2] / "site/static/js/interactive.js"
WORDS = [
    "kissa", "koira", "hevonen", "lehmä", "lammas", "vuohi", "kana", "ankka",
    "hanhi", "sika", "kani", "hiiri", "rotta", "orava", "siili", "kettu",
]  # fmt: skip


def _example(kind):
    """Return the editor help's example of `kind` (timeline: the steps example)."""
    examples = {example.split()[1]: example for _t, _p, example in block_examples()}
    return examples.get(kind) or examples["steps"].replace("/// steps", "/// timeline")


def _titled(kind, title):
    return _example(kind).replace(f"/// {kind}", f"/// {kind} | {title}", 1)


def _bank(html):
    return re.findall(r'<li class="drag__word">([^<]+)</li>', html)


def _drag_block(words):
    gaps = " ja ".join(f"*{word}*" for word in words)
    return f"/// drag\nSanat: {gaps}.\n///"


def _labels(html):
    found = re.search(r'data-labels="([^"]*)"', html)
    return json.loads(html_module.unescape(found[1])) if found else None


@pytest.mark.parametrize("kind", sorted(BLOCK_NAMES))
def test_a_block_title_becomes_the_blocks_heading(kind):
    rendered = render_markdown_checked(_titled(kind, "Harjoitus & kertaus"))
    assert rendered.errors == []
    opening = re.search(
        r'<div class="interactive[^"]*"[^>]*>\s*<h3[^>]*>', rendered.html
    )
    assert opening, rendered.html
    assert opening[0].endswith('<h3 class="interactive__title">')
    assert '<h3 class="interactive__title">Harjoitus &amp; kertaus</h3>' in (
        rendered.html
    )


def test_a_block_title_is_text_not_markup_or_blanks():
    html = render_markdown("/// blanks | <b>Täydennä</b> *tämä*\nA *b* c.\n///")
    assert "<b>" not in html
    assert html.count('class="blank__input"') == 1
    assert "Täydennä" in html


def test_a_block_without_a_title_has_no_empty_heading():
    assert "interactive__title" not in render_markdown(_example("blanks"))


@pytest.mark.parametrize("kind", ["blanks", "check", "mark", "drag", "hotspots"])
@pytest.mark.parametrize("language", ["sv", "en", "fi"])
def test_a_block_carries_the_scripts_labels_in_the_content_language(kind, language):
    labels = _labels(render_markdown(_example(kind), language=language))
    assert labels, "the block has no labels for the script"
    assert {"check", "retry"} <= set(labels) or kind == "hotspots"
    for name, text in labels.items():
        assert text == translated(SCRIPT_LABELS[name], language)


def test_a_swedish_blocks_labels_differ_from_the_finnish_ones():
    swedish = _labels(render_markdown(_example("blanks"), language="sv"))
    finnish = _labels(render_markdown(_example("blanks"), language="fi"))
    assert swedish["check"] == translated("Check", "sv") != finnish["check"]


def test_labels_survive_the_sanitiser_but_a_broken_block_has_none():
    assert _labels(render_markdown(_example("blanks")))
    assert _labels(render_markdown("/// blanks\nEi aukkoja.\n///")) is None


def test_every_label_the_script_asks_for_is_known():
    script = SCRIPT.read_text(encoding="utf-8")
    asked = set(re.findall(r"labels\.(\w+)", script))
    assert asked <= set(SCRIPT_LABELS), asked - set(SCRIPT_LABELS)


def test_the_word_bank_is_never_in_gap_order_and_the_same_on_every_render():
    chooser = random.Random(20261201)
    orders = set()
    for _ in range(300):
        words = chooser.sample(WORDS, chooser.randint(2, 6))
        html = render_markdown(_drag_block(words))
        bank = _bank(html)
        assert sorted(bank) == sorted(words)
        assert bank != words, words
        assert _bank(render_markdown(_drag_block(words))) == bank
        if len(words) == 4:
            orders.add(tuple(words.index(word) for word in bank))
    # Not one fixed rearrangement (such as reversing) that a learner could learn.
    assert len(orders) > 5


def test_the_word_bank_also_moves_repeated_words():
    chooser = random.Random(7)
    for _ in range(200):
        words = [chooser.choice(WORDS[:2]) for _ in range(chooser.randint(2, 5))]
        if len(set(words)) < 2:
            continue
        assert _bank(render_markdown(_drag_block(words))) != words


def test_shuffled_words_depend_on_the_seed_and_keep_every_word():
    words = WORDS[:8]
    orders = {tuple(shuffled_words(words, seed=str(seed))) for seed in range(50)}
    assert len(orders) > 40
    assert all(sorted(order) == sorted(words) for order in orders)
    assert shuffled_words(["sama", "sama"], seed="x") == ["sama", "sama"]


def test_mark_the_words_keeps_punctuation_next_to_the_marked_word():
    html = render_markdown("/// mark\nOhje.\n\nSana *sana*, toinen *kolmas*.\n///")
    assert '<span data-correct="true">sana</span>, toinen' in html
    assert '<span data-correct="true">kolmas</span>.' in html
