"""GIFT import and export: every construct, errors by line, and round trips."""

import html
import random
import re
from pathlib import Path

import pytest
from django.utils import translation

from lessons.rendering import render_markdown
from quizzes.blocks import QuestionStreamBlock
from quizzes.gift import (
    BLANK,
    HTML_BLANK,
    export_gift,
    export_gift_counted,
    parse_gift,
)

SAMPLE = Path(__file__).parent / "data" / "every_construct.gift"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, whatever the catalogues translate."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def sample():
    with translation.override("en"):
        return parse_gift(SAMPLE.read_text())


def question(kind, text, *, name="", feedback="", **fields):
    return {
        "type": kind,
        "value": {"name": name, "text": text, "points": 1, "feedback": feedback}
        | fields,
    }


def choice(text, correct=False, weight=None, feedback=""):
    return {"text": text, "correct": correct, "weight": weight, "feedback": feedback}


def accepted(text, weight=100, feedback=""):
    return {"text": text, "weight": weight, "feedback": feedback}


def number(mode, value=None, tolerance=None, low=None, high=None, **rest):
    answer = {"mode": mode, "value": value, "tolerance": tolerance}
    answer |= {"low": low, "high": high, "weight": 100, "feedback": ""}
    return answer | rest


def true_false(text, correct, feedback_true="", feedback_false="", **rest):
    return question(
        "true_false",
        text,
        correct=correct,
        feedback_true=feedback_true,
        feedback_false=feedback_false,
        **rest,
    )


EXPECTED = [
    question(
        "single_choice",
        "Mitä teet, kun saat **epäilyttävän** sähköpostin?",
        name="Tietoturva 1",
        feedback="Katso [ohje](https://intra.example.org/tietoturva).",
        choices=[
            choice(
                "Ilmoitan siitä tietoturvatiimille", True, None, "Oikein, ilmoita aina."
            ),
            choice(
                "Poistan viestin", False, 50, "Melkein: poista, mutta *ilmoita* myös."
            ),
            choice("Avaan liitteen", False, -50, "Ei koskaan!"),
            choice("Vastaan lähettäjälle"),
        ],
    ),
    question(
        "multiple_choice",
        "Which of these are *personal data*?",
        name="Henkilötiedot",
        choices=[
            choice("Henkilötunnus", True, 50),
            choice("Kotiosoite", True, 50, "Kyllä."),
            choice("Kaupungintalon osoite", False, -100, "Julkinen tieto."),
        ],
        scoring="partial",
    ),
    question(
        "multiple_choice",
        "Mitkä on ilmoitettava esihenkilölle?",
        name="Ilmoitettavat",
        choices=[
            choice("Sairauspoissaolo", True, 33),
            choice("Työtapaturma", True, 33),
            choice("Läheltä piti -tilanne", True, 33),
            choice("Lounaspaikka", False, -100),
        ],
        scoring="partial",
    ),
    true_false("Etätyöpäivästä sovitaan esihenkilön kanssa.", True, name="Etätyö"),
    true_false(
        "Saat kertoa salasanasi IT-tuelle.",
        False,
        feedback_true="Väärin: IT-tuki ei kysy salasanaa.",
        feedback_false="Oikein!",
        name="Salasana",
        feedback="Salasana on *henkilökohtainen*.",
    ),
    true_false("Lounastauko on 30 minuuttia.", True),
    true_false(
        "Kulkukortin saa lainata kollegalle.",
        False,
        feedback_true="Ei saa.",
        name="Kulkukortti",
    ),
    question(
        "short_text",
        "Mikä on Suomen pääkaupunki?",
        name="Pääkaupunki",
        answers=[
            accepted("Helsinki"),
            accepted("Helsingfors", 100, "Ruotsiksi, sekin käy."),
            accepted("Hki", 50, "Lyhenne kelpaa puoliksi."),
        ],
        case_sensitive=False,
    ),
    question(
        "single_choice",
        rf"Kaupungin tietoturvaohje päivitetään {BLANK} ja se löytyy intrasta.",
        name="Tietoturvaohje",
        choices=[
            choice("kerran kuussa"),
            choice("kerran vuodessa", True),
            choice("ei koskaan"),
        ],
    ),
    question(
        "short_text",
        rf"Kaupungin viralliset kielet ovat suomi ja {BLANK}.",
        answers=[accepted("ruotsi"), accepted("svenska")],
        case_sensitive=False,
    ),
    question(
        "matching",
        "Yhdistä asia ja yhteystaho.",
        name="Yhteystiedot",
        feedback="Yhteystiedot löytyvät intrasta.",
        pairs=[
            {"left": "Kadonnut kulkukortti", "right": "Turvallisuuspalvelut"},
            {"left": "Palkkakysymys", "right": "Palkkahallinto"},
            {"left": "Salasanan vaihto", "right": "IT-tuki"},
        ],
        distractors=["Kaupunginjohtaja"],
    ),
    question(
        "numeric",
        "Montako lomapäivää kertyy täydeltä lomavuodelta?",
        name="Vuosiloma",
        answers=[number("exact", 30.0)],
    ),
    question(
        "numeric",
        "Montako tuntia on työpäivä (7.5 h, ± 0.25 h)?",
        name="Työpäivä",
        answers=[number("tolerance", 7.5, 0.25)],
    ),
    question(
        "numeric",
        "Anna luku väliltä 1–5.",
        name="Palaveri",
        answers=[number("range", low=1.0, high=5.0)],
    ),
    question(
        "numeric",
        "What is *pi* to two decimals?",
        name="Pii",
        feedback="Pi is about 3.14159.",
        answers=[
            number("exact", 3.14, feedback="Exactly."),
            number(
                "tolerance",
                3.0,
                0.5,
                weight=50,
                feedback="Close enough for half points.",
            ),
        ],
    ),
    question(
        "numeric",
        "Montako ylityötuntia saa enintään tehdä viikossa?",
        name="Ylityö",
        answers=[number("exact", 48.0, feedback="Oikein.")],
    ),
    true_false("<p>Lue <b>ohje</b> ennen vastaamista.</p>", True, name="HTML-ohje"),
    question(
        "short_text",
        "Laske: 2 \\* 3 = ?  \n"
        "\\# ei otsikko, vaan \\_risuaita\\_ ja &lt;b>tagi&lt;/b>",
        name="Pelkkä teksti",
        answers=[accepted("6")],
        case_sensitive=False,
    ),
    question(
        "numeric",
        "Paljonko on 50 % \\* 2?",
        name="Moodle-muoto",
        answers=[number("exact", 100.0)],
    ),
    question(
        "single_choice",
        "Mikä merkki on ~, = tai #? Entä { ja }?\nKenoviiva \\.",
        name="Erikoismerkit: escapes",
        choices=[
            choice("Tilde ~", True, None, "Oikein: ~ on tilde."),
            choice("Yhtäsuuruus ="),
            choice("Risuaita #"),
        ],
    ),
    true_false(
        "Perehdytys on suoritettu, kun kaikki osiot on käyty.",
        True,
        name="Hyvä lopuksi",
    ),
]


# The sample file


def test_sample_yields_every_expected_question_in_order(sample):
    assert [q["value"]["name"] for q in sample.questions] == [
        q["value"]["name"] for q in EXPECTED
    ]


@pytest.mark.parametrize(
    "index", range(len(EXPECTED)), ids=[q["value"]["name"] or "-" for q in EXPECTED]
)
def test_sample_question_parses_to_exactly(sample, index):
    assert sample.questions[index] == EXPECTED[index]


def test_sample_errors_carry_the_line_where_the_question_starts(sample):
    assert sample.errors == [
        (85, "the answer block has no closing brace }"),
        (
            87,
            "the question has no right answer: mark one with = or a positive weight",
        ),
        (89, '"kolme" is not a number'),
        (
            91,
            'unknown weight syntax "%abc%": write it like %50% or %-50%',
        ),
        (93, "a matching question needs at least two pairs"),
    ]


def test_sample_notes_carry_their_line(sample):
    essay = "essay questions are not imported: answers are graded automatically"
    description = (
        "description questions are not imported: answers are graded automatically"
    )
    assert sample.notes == [
        (4, 'category "$course$/top/Perehdytys" kept as a note, not imported'),
        (
            38,
            'category "$course$/top/Perehdytys/Puuttuva sana" kept as a note, '
            "not imported",
        ),
        (
            64,
            "the feedback for other answers (~) of a numeric question is dropped",
        ),
        (80, essay),
        (82, description),
    ]


def test_sample_questions_pass_the_question_blocks_checks(sample):
    block = QuestionStreamBlock()
    block.clean(block.to_python(sample.questions))


def test_a_comment_before_a_question_does_not_move_its_line():
    result = parse_gift("// Broken,\n// twice over:\n::Q::{~a ~b}\n\n// Fine:\nS{T}\n")
    assert result.errors == [
        (3, "the question has no right answer: mark one with = or a positive weight")
    ]
    assert result.questions == [true_false("S", True)]


def test_good_questions_after_broken_ones_still_import(sample):
    assert sample.questions[-1]["value"]["name"] == "Hyvä lopuksi"


def test_every_sample_question_survives_a_round_trip(sample):
    again = parse_gift(export_gift(sample.questions))
    assert (again.questions, again.errors, again.notes) == (sample.questions, [], [])


# Text formats


def test_html_is_sanitised_everywhere():
    result = parse_gift(
        "[html]<p>Lue <script>alert(1)</script>ohje.</p>{"
        '=<b onclick\\="x()">Kyllä</b>#<i>Hyvä</i><script>bad()</script> ~Ei'
        "####<style>p\\{\\}</style>Yleinen}"
    )
    assert result.questions == [
        question(
            "single_choice",
            "<p>Lue ohje.</p>",
            feedback="Yleinen",
            choices=[choice("<b>Kyllä</b>", True, None, "<i>Hyvä</i>"), choice("Ei")],
        )
    ]


def test_an_answer_can_have_its_own_format():
    result = parse_gift("[markdown]*Valitse*{=[plain]*yksi* ~[html]<b>kaksi</b>}")
    assert result.questions[0]["value"]["choices"] == [
        choice("\\*yksi\\*", True),
        choice("<b>kaksi</b>"),
    ]


@pytest.mark.parametrize("prefix", ["[plain]", "[moodle]", ""])
def test_plain_text_shows_literally_in_markdown(prefix):
    literal = [
        "# not a heading, *not bold*, _not italic_ and `not code`",
        "> not a quote, <b>not html</b> &amp; [not](a link) | not | a table",
        "1. not a list",
        "- not a list either + ~~not struck~~",
        "=== not a heading underline",
        "/// note",
        "back\\slash",
    ]
    source = "\\n".join(literal).replace("#", "\\#").replace("=", "\\=")
    text = parse_gift(f"{prefix}{source}{{T}}").questions[0]["value"]["text"]
    rendered = str(render_markdown(text))
    assert re.findall(r"<(?!/?p>|br>)[^>]*>", rendered) == []
    shown = html.unescape(re.sub(r"<[^>]*>", "", rendered)).split("\n")
    assert shown == literal


def test_text_without_a_prefix_is_plain():
    result = parse_gift("Onko 2*3 _kuusi_?{T}")
    assert result.questions[0]["value"]["text"] == "Onko 2\\*3 \\_kuusi\\_?"


def test_missing_word_blank_survives_html():
    result = parse_gift("[html]<p>Helsinki on {=Suomen ~Ruotsin} pääkaupunki.</p>")
    text = result.questions[0]["value"]["text"]
    assert text == f"<p>Helsinki on {HTML_BLANK} pääkaupunki.</p>"
    shown = html.unescape(str(render_markdown(text)))
    assert shown == "<p>Helsinki on _____ pääkaupunki.</p>"


def test_missing_word_blank_shows_in_markdown():
    text = parse_gift("Helsinki on {=Suomen ~Ruotsin} pääkaupunki.").questions[0]
    rendered = str(render_markdown(text["value"]["text"]))
    assert rendered == "<p>Helsinki on _____ pääkaupunki.</p>"


# Escapes and syntax details


@pytest.mark.parametrize(
    "source, text",
    [
        (r"a \~ \= \# \{ \} \: b", "a ~ = # { } : b"),
        (r"yksi\nkaksi", "yksi\nkaksi"),
        (r"C\:\\new", "C:\\new"),
        (r"a\_b \*c\*", r"a\_b \*c\*"),
        (r"\%50% lisää", "%50% lisää"),
    ],
)
def test_escapes(source, text):
    result = parse_gift(f"[markdown]{source}{{=ok}}")
    assert result.questions[0]["value"]["text"] == text


def test_escaped_characters_in_answers_and_feedback_are_not_syntax():
    result = parse_gift(r"[markdown]Q{=a -> b\#1#fb \~ \= \{\} ~%-25%\%x}")
    assert result.questions[0]["value"]["choices"] == [
        choice("a -> b#1", True, None, "fb ~ = {}"),
        choice("%x", False, -25),
    ]


@pytest.mark.parametrize("answer", ["T", "TRUE", "t", "true"])
def test_true_spellings(answer):
    result = parse_gift(f"Totta?{{{answer}}}")
    assert result.questions[0]["value"]["correct"] is True


@pytest.mark.parametrize("answer", ["F", "FALSE", "f", "false"])
def test_false_spellings(answer):
    result = parse_gift(f"Totta?{{{answer}}}")
    assert result.questions[0]["value"]["correct"] is False


def test_true_false_feedback_follows_moodle_order():
    correct_true = parse_gift("Q{T#wrong answer#right answer}").questions[0]
    correct_false = parse_gift("Q{F#wrong answer#right answer}").questions[0]
    assert correct_true == true_false(
        "Q", True, feedback_true="right answer", feedback_false="wrong answer"
    )
    assert correct_false == true_false(
        "Q", False, feedback_true="wrong answer", feedback_false="right answer"
    )


def test_numeric_weighted_answers_as_in_the_brief():
    result = parse_gift("Pii?{#=%100%3.14:0 =%50%3:0.5 #fb}")
    assert result.questions[0]["value"]["answers"] == [
        number("exact", 3.14),
        number("tolerance", 3.0, 0.5, weight=50, feedback="fb"),
    ]


def test_negative_numbers_and_exponents():
    result = parse_gift("Q{#=-5..-1 =%10%2.5e3:1e-2}")
    assert result.questions[0]["value"]["answers"] == [
        number("range", low=-5.0, high=-1.0),
        number("tolerance", 2500.0, 0.01, weight=10),
    ]


def test_a_category_line_can_head_a_question():
    result = parse_gift("// top\n$CATEGORY: a/b\n::Q::Kysymys{T}\n")
    assert result.notes == [(2, 'category "a/b" kept as a note, not imported')]
    assert result.questions == [true_false("Kysymys", True, name="Q")]


def test_multiline_text_and_crlf_and_bom():
    result = parse_gift("\ufeff[markdown]Rivi 1\r\n  rivi 2\r\n{T}\r\n")
    assert result.questions == [true_false("Rivi 1\nrivi 2", True)]


def test_an_essay_with_general_feedback_is_still_an_essay():
    result = parse_gift("\n\nKerro.{####Kiitos}")
    assert result.questions == []
    assert result.notes == [
        (3, "essay questions are not imported: answers are graded automatically")
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("Q {=a ~b", "the answer block has no closing brace }"),
        ("Q {=a {~b}", "the answer block has no closing brace }"),
        ("Q } {=a ~b}", "a closing brace } has no opening brace {"),
        ("Q } nothing", "a closing brace } has no opening brace {"),
        ("Q {=a ~b} and {=c ~d}", "a question can have only one answer block {…}"),
        ("::Q {T}", "the question name has no closing ::"),
        ("::Q::{T}", "the question has no text"),
        (
            "Q {~a ~b}",
            "the question has no right answer: mark one with = or a positive weight",
        ),
        (
            "Q {~%-50%a ~%0%b}",
            "the question has no right answer: mark one with = or a positive weight",
        ),
        ("Q {=a =b ~c}", "a single-choice question can have only one right answer (=)"),
        ("Q {=%50%a ~b}", "a right answer (=) cannot have a weight below 100%"),
        ("Q {~%50%a}", "a choice question needs at least two choices"),
        ("Q {= ~b}", "an answer has no text"),
        ("Q {=a ~%5O%b}", 'unknown weight syntax "%5O%": write it like %50% or %-50%'),
        ("Q {=a ~%%b}", 'unknown weight syntax "%%": write it like %50% or %-50%'),
        ("Q {=a ~%150%b}", "the weight 150% is not between -100 and 100"),
        ("Q {a ~b}", 'cannot read the answers "a ~b": start each with = or ~'),
        ("Q {Helsinki}", 'cannot read the answers "Helsinki": start each with = or ~'),
        ("Q {T#a#b#c}", "a true/false question has at most two feedbacks"),
        ("Q {=%50%Hki}", "no answer gives full points (100%)"),
        ("Q {=Hki =%-10%x}", "an accepted answer cannot have a negative weight"),
        ("Q {#}", "the numeric question has no answer"),
        ("Q {#3,14}", '"3,14" is not a number'),
        ("Q {#=%50%3}", "no answer gives full points (100%)"),
        ("Q {#5..1}", "the lowest value of a range is above the highest"),
        ("Q {#3:-1}", "a tolerance cannot be negative"),
        ("Q {#1..x}", '"x" is not a number'),
        ("Q {=a -> b}", "a matching question needs at least two pairs"),
        ("Q {=a -> b = -> c}", "a matching question needs at least two pairs"),
        ("Q {=a -> b =c -> b}", "every match must be different"),
        ("Q {=a -> b =c}", "every matching answer needs an arrow: =item -> match"),
        ("Q {=a -> b#fb =c -> d}", "matching answers cannot have feedback (#)"),
        ("Q {=a -> b =c -> }", "a matching answer has nothing after its arrow"),
    ],
)
def test_malformed_question_is_reported(source, message):
    result = parse_gift(f"// before\n\n{source}\n\nSeuraava{{T}}")
    assert result.errors == [(3, message)]
    assert result.questions == [true_false("Seuraava", True)]


def test_a_blank_line_inside_an_answer_block_breaks_the_question():
    result = parse_gift("Q{\n=a\n\n~b\n}")
    assert result.errors == [
        (1, "the answer block has no closing brace }"),
        (4, "a closing brace } has no opening brace {"),
    ]


# Export


ROUND_TRIP = [
    question(
        "single_choice",
        "Merkit: ~ = # { } : \\ \\n %50% ja [linkki](https://example.org).\n"
        "  Toinen rivi, **lihava**.",
        name="Nimi :: # { } ~ = \\",
        feedback="#### ei otsikko\n\n%yleinen",
        choices=[
            choice("%50% alkaa prosentilla", True, None, "~ = # {}"),
            choice("[html] näyttää etuliitteeltä", False, 50, "[plain] samoin"),
            choice("a -> b", False, -100, "\\#"),
            choice("tavallinen"),
        ],
    ),
    question(
        "multiple_choice",
        "Valitse kaikki *oikeat*.",
        choices=[
            choice("yksi", True, 33, "+"),
            choice("kaksi", True, 67),
            choice("nolla", False, 0),
            choice("miinus", False, -100, "Ei."),
            choice("tyhjä"),
        ],
        scoring="partial",
    ),
    true_false("Totta.", True),
    true_false("Totta.", True, feedback_true="Oikein."),
    true_false("Totta.", True, feedback_false="Väärin."),
    true_false(
        "Väite.", False, feedback_true="T", feedback_false="F", feedback="Yleinen."
    ),
    true_false("Väite.", False, feedback="#### vain yleinen"),
    question(
        "short_text",
        "Lyhyt vastaus?",
        name="Lyhyt",
        feedback="Yleinen.",
        answers=[
            accepted("a=b ~ #1 {x} y:z \\"),
            accepted("%50", 50, "katso -> tuolla"),
            accepted("T", 0),
        ],
        case_sensitive=False,
    ),
    question(
        "numeric",
        "Luku?",
        answers=[number("exact", 0.1, feedback="~=#{}:")],
    ),
    question(
        "numeric",
        "Luvut?",
        feedback="Yleinen.",
        answers=[
            number("exact", -3.0),
            number("tolerance", 1e-05, 2.5, weight=50),
            number("range", low=-1e20, high=1.5, weight=10, feedback="väli"),
            number("range", low=2.0, high=2.0, weight=0),
        ],
    ),
    question(
        "numeric",
        "Yksi puolikas?",
        answers=[number("exact", 3.0, weight=50), number("exact", 4.0)],
    ),
    question(
        "matching",
        "Yhdistä.",
        feedback="Yleinen.",
        pairs=[
            {"left": "a = b", "right": "c -> d"},
            {"left": "%1 ~ #", "right": ">x"},
            {"left": "e-", "right": "{f}"},
        ],
        distractors=["g:h", "%i"],
    ),
    question(
        "single_choice",
        rf"Kaupunki {BLANK} on *pääkaupunki*.",
        choices=[choice("Helsinki", True), choice("Tampere")],
    ),
    question(
        "short_text",
        rf"{BLANK} alussa.",
        answers=[accepted("Sana")],
        case_sensitive=False,
    ),
    question(
        "true_false",
        rf"Lopussa {BLANK}",
        correct=True,
        feedback_true="",
        feedback_false="",
    ),
]


@pytest.mark.parametrize(
    "question_data", ROUND_TRIP, ids=[str(n) for n in range(len(ROUND_TRIP))]
)
def test_round_trip_of_each_kind(question_data):
    result = parse_gift(export_gift([question_data]))
    assert (result.questions, result.errors, result.notes) == ([question_data], [], [])


def test_round_trip_of_all_kinds_together():
    result = parse_gift(export_gift(ROUND_TRIP))
    assert result.questions == ROUND_TRIP


def test_round_trip_questions_are_valid_blocks():
    block = QuestionStreamBlock()
    block.clean(block.to_python(ROUND_TRIP))


def test_round_trip_of_random_special_characters():
    alphabet = "ab \\~=#{}:%[]->\n_*`é"
    generator = random.Random(1)

    def text():
        return "".join(generator.choices(alphabet, k=12)).strip() or "x"

    questions = [
        question(
            "single_choice",
            text(),
            name=text().replace("\n", " "),
            feedback=text(),
            choices=[choice(text(), True, None, text()), choice(text(), False, 5)],
        )
        for _ in range(200)
    ]
    assert parse_gift(export_gift(questions)).questions == questions


def test_export_writes_readable_gift():
    gift = export_gift(
        [
            EXPECTED[0],
            question("numeric", "Pii?", answers=[number("tolerance", 3.14, 0.01)]),
        ]
    )
    assert gift == (
        "::Tietoturva 1::[markdown]Mitä teet, kun saat **epäilyttävän** sähköpostin?{\n"
        "\t=Ilmoitan siitä tietoturvatiimille#Oikein, ilmoita aina.\n"
        "\t~%50%Poistan viestin#Melkein\\: poista, mutta *ilmoita* myös.\n"
        "\t~%-50%Avaan liitteen#Ei koskaan!\n"
        "\t~Vastaan lähettäjälle\n"
        "\t####Katso [ohje](https\\://intra.example.org/tietoturva).\n"
        "}\n"
        "\n"
        "[markdown]Pii?{#3.14:0.01}\n"
    )


def test_export_skips_what_gift_cannot_hold():
    ordering = question(
        "ordering", "Järjestä   nämä\nvaiheet oikein alusta loppuun nyt."
    )
    named = question("ordering", "Järjestä.", name="Vaiheet", items=["a", "b"])
    arrow = question(
        "matching",
        "Yhdistä.",
        pairs=[{"left": "a -> b", "right": "c"}, {"left": "d", "right": "e"}],
        distractors=[],
    )
    gift, skipped = export_gift_counted([ordering, EXPECTED[5], named, arrow])
    assert skipped == 3
    assert gift == (
        '// Question "Järjestä nämä vaiheet oikein alusta loppuun …" (Ordering) '
        "cannot be written in GIFT\n"
        "\n"
        "[markdown]Lounastauko on 30 minuuttia.{TRUE}\n"
        "\n"
        '// Question "Vaiheet" (Ordering) cannot be written in GIFT\n'
        "\n"
        '// Question "Yhdistä." (Matching) cannot be written in GIFT\n'
    )
    assert parse_gift(gift).questions == [EXPECTED[5]]


def test_export_of_nothing_is_empty():
    assert export_gift_counted([]) == ("", 0)


def test_export_fills_in_what_the_app_may_leave_out():
    multiple = question(
        "multiple_choice",
        "Valitse.",
        choices=[
            choice("a", True),
            choice("b", True),
            choice("c", True),
            choice("d", False, 50),
        ],
        scoring="all_or_nothing",
    )
    numeric = question(
        "numeric", "Luku?", answers=[number("tolerance", 2.0, 0.0)], points=3
    )
    gift = export_gift([multiple, numeric])
    assert "\t~%33.33333%a\n" in gift
    assert "\t~d\n" in gift
    assert "{#2}" in gift
    again = parse_gift(gift).questions
    assert [c["weight"] for c in again[0]["value"]["choices"]] == [33, 33, 33, None]
    assert again[0]["value"]["scoring"] == "partial"
    assert again[1]["value"]["answers"] == [number("exact", 2.0)]
    assert again[1]["value"]["points"] == 1
