"""Interactive blocks: structure, the no-script fallback, errors and hostile input."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.rendering import render_markdown, render_markdown_checked
from tests.factories import CoursePageFactory
from tests.helpers import translated


def _errors(text):
    return render_markdown_checked(text, language="en").errors


def test_accordion_becomes_native_details_sections():
    html = render_markdown("/// accordion\n## Eka\nYksi.\n## Toka\nKaksi.\n///")
    assert html.count('<details class="accordion__item">') == 2
    assert '<summary class="accordion__title">Eka</summary>' in html
    assert "<p>Kaksi.</p>" in html


def test_tabs_are_titled_sections_that_read_in_order_without_script():
    html = render_markdown("/// tabs\n## Suomi\nHei.\n## Svenska\nHej.\n///")
    assert re.findall(
        r'<h3 class="tabs__title" id="ib-1-tab-\d-title">(\w+)</h3>', html
    ) == [
        "Suomi",
        "Svenska",
    ]


def test_dialog_cards_have_front_back_and_count():
    html = render_markdown(
        "/// cards\n## Kielimalli\nEnnustaa tekstiä.\n"
        "## Hallusinaatio\nKeksitty vastaus.\n///",
        language="en",
    )
    assert html.count('<li class="card">') == 2
    assert '<p class="card__front">Kielimalli</p>' in html
    assert '<details class="card__back">' in html
    assert (
        translated("Card %(number)s of %(total)s", "en") % {"number": 2, "total": 2}
        in html
    )


def test_process_steps_are_an_ordered_list():
    html = render_markdown("/// steps\n## Suunnittele\nA.\n## Toteuta\nB.\n///")
    assert '<ol class="process__steps">' in html
    assert html.count('<li class="process__step">') == 2


def test_blanks_become_labelled_inputs_with_a_solution_to_reveal():
    html = render_markdown(
        "/// blanks\nPeriaatteet: *havaittava*, *hallittava/hallittavissa*.\n///"
    )
    assert html.count('class="blank__input"') == 2
    assert '<label class="visually-hidden" for="ib-1-blank-2">' in html
    assert 'data-answers="hallittava\nhallittavissa"' in html
    assert '<details class="solution">' in html
    assert "<li>hallittava / hallittavissa</li>" in html


def test_knowledge_check_single_and_multiple_choice():
    single = render_markdown(
        "/// check\nKontrasti?\n( ) 2:1\n(x) 4,5:1\n> Oikein.\n///"
    )
    assert 'data-kind="single"' in single and single.count('type="radio"') == 2
    assert "<legend>Kontrasti?</legend>" in single
    assert '<p class="check__feedback" hidden="">Oikein.</p>' in single
    assert "<li>4,5:1 – Oikein.</li>" in single
    multiple = render_markdown("/// check\nMitkä?\n[x] A\n[ ] B\n[x] C\n///")
    assert 'data-kind="multiple"' in multiple and multiple.count('type="checkbox"') == 3


def test_true_false_is_a_two_choice_check():
    html = render_markdown(
        "/// check\nAlt-teksti on aina pakollinen.\n( ) Tosi\n(x) Epätosi\n///"
    )
    assert html.count('type="radio"') == 2


def test_mark_the_words_keeps_the_text_readable_and_hides_the_answer():
    html = render_markdown(
        "/// mark\nValitse periaatteet.\n\n"
        "Olla *havaittava*, nopea ja *hallittava*.\n///"
    )
    assert '<p class="mark__instruction">Valitse periaatteet.</p>' in html
    assert '<span data-correct="true">havaittava</span>, nopea' in html
    assert "<em>" not in html
    assert "<li>hallittava</li>" in html


def test_drag_the_words_offers_each_first_answer_and_typeable_gaps():
    html = render_markdown(
        "/// drag\nEnsin *tilanne*, sitten *toiminta/teko* ja *Vaikutus*.\n///"
    )
    bank = re.findall(r'<li class="drag__word">(\w+)</li>', html)
    assert sorted(bank) == sorted(["tilanne", "toiminta", "Vaikutus"])
    assert html.count('class="blank__input"') == 3  # usable without the script
    assert "<li>toiminta / teko</li>" in html


def test_image_hotspots_read_as_an_image_and_a_numbered_list():
    html = render_markdown(
        "/// hotspots\n![Sivun malli](/static/images/verkkosivu.png)\n\n"
        "1. (6, 8) **Logo**: vie etusivulle.\n2. (88, 8) Haku\n///"
    )
    assert '<img alt="Sivun malli" src="/static/images/verkkosivu.png">' in html
    assert (
        '<li class="hotspots__point" data-x="6" data-y="8" id="ib-1-point-1">'
        "<strong>Logo</strong>: vie etusivulle.</li>"
    ) in html
    assert "style" not in html


def test_block_ids_are_unique_on_a_page():
    html = render_markdown("/// blanks\n*a*\n///\n\n/// blanks\n*b*\n///")
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("Intro\n\n/// accordion\n## A\nB\n", 3, "no end marker"),
        ("/// blanks\nEi yhtään aukkoa.\n///", 1, "Mark at least one blank"),
        ("/// blanks\nTyhjä * * aukko.\n///", 1, "Mark at least one blank"),
        ("x\n\n/// cards\n## Etupuoli\n///", 3, "has no back"),
        ("/// check\nKysymys?\n( ) a\n( ) b\n///", 1, "Mark the right answer"),
        ("/// check\nKysymys?\n(x) a\n(x) b\n///", 1, "exactly one right answer"),
        ("/// check\nKysymys?\n(x) a\n[ ] b\n///", 1, "not both"),
        ("/// check\n(x) a\n( ) b\n///", 1, "Write the question"),
        ("/// tabs\n## Vain yksi\nteksti\n///", 1, "at least two parts"),
        ("/// mark\nOhje ilman tekstiä.\n///", 1, "Write the instruction first"),
        ("/// drag\nEi yhtään aukkoa.\n///", 1, "Mark at least one blank"),
        ("/// hotspots\n1. (5, 5) Ei kuvaa\n///", 1, "exactly one image"),
        ("/// hotspots\n![a](/a.png)\n///", 1, "List the points"),
        ("/// hotspots\n![a](/a.png)\n\n1. (101, 5) x\n///", 1, "Point 1 needs"),
        ("/// hotspots\n![a](/a.png)\n\n1. ei paikkaa\n///", 1, "Point 1 needs"),
        ("/// mark\nOhje.\n\nTeksti ilman merkintöjä.\n///", 1, "Mark the right words"),
        (
            "/// steps\nTekstiä ensin.\n## Otsikko\nB\n///",
            1,
            "Start the block with a heading",
        ),
    ],
)
def test_malformed_blocks_show_an_explained_error_naming_the_line(text, line, fragment):
    rendered = render_markdown_checked(text, language="en")
    assert len(rendered.errors) == 1
    assert f"Line {line}" in rendered.errors[0] and fragment in rendered.errors[0]
    assert 'class="block-error"' in rendered.html


def test_correct_blocks_report_no_errors():
    assert (
        _errors("/// accordion\n## A\nB\n///\n\n/// check\nQ?\n( ) a\n(x) b\n///") == []
    )


@pytest.mark.django_db
def test_labels_are_written_in_the_course_language(catalogue):
    html = render_markdown("/// cards\n## Etu\nTaka\n///", language="sv")
    assert translated("Turn the card", "sv") in html


@pytest.mark.django_db
def test_a_lesson_with_a_broken_block_is_refused_with_the_line_named(
    client, catalogue, superuser, settings
):
    settings.LANGUAGE_CODE = "fi"
    course = CoursePageFactory(parent=catalogue, language="fi")
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    body = "Johdanto\n\n/// cards\n## Etupuoli ilman takapuolta\n///"
    response = client.post(
        url,
        {
            "title": "Kortit",
            "slug": slugify("Kortit"),
            "body": body,
            "estimated_minutes": "5",
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        'Rivi 3, lohko cards: Kortilta 1 ("Etupuoli ilman takapuolta") puuttuu '
        "takapuoli: kirjoita tekstiä otsikon alle."
    ]
    assert not course.get_children().exists()


HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    '*a" onfocus="alert(1)*',
    "*<svg onload=alert(1)>*",
    "(x) <iframe src=//evil>",
    "> <a href='data:text/html,x'>f</a>",
    "## <b onclick=x>h</b>",
    "[ ] ' autofocus onfocus='x",
    "/// check",
    "/// blanks",
    "/// cards",
    "/// accordion",
    "///",
    "*",
    "( )",
    "{{ x }}",
    "\x00",
]
BLOCKS = [
    "accordion",
    "tabs",
    "cards",
    "steps",
    "timeline",
    "blanks",
    "check",
    "mark",
    "drag",
]
FORBIDDEN_TAGS = {"script", "iframe", "svg", "object", "embed", "style", "form", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background"}


class _Inspector(HTMLParser):
    """Collect what in a piece of HTML could run: tags, handlers and URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "autofocus"):
                self.problems.append(f"{tag}[{name}]")
            scheme = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in URL_ATTRIBUTES and scheme.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{tag}[{name}={value}]")


def _runnable_parts(html):
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(BLOCKS),
    lines=st.lists(
        st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=40)), max_size=8
    ),
    closed=st.booleans(),
)
def test_fuzzed_block_content_never_raises_and_never_emits_anything_that_runs(
    kind, lines, closed
):
    text = f"/// {kind}\n" + "\n".join(lines) + ("\n///\n" if closed else "\n")
    html = render_markdown_checked(text).html
    assert _runnable_parts(html) == [], (text, html)


def test_the_fuzz_oracle_sees_what_could_run():
    assert _runnable_parts('<a href=" java\tscript:x()">x</a>')
    assert _runnable_parts('<p onclick="x()">x</p>')
    assert _runnable_parts("<svg></svg>")
    assert _runnable_parts('<p>a" onfocus="x()</p>') == []


def test_every_example_in_the_editor_help_is_a_working_block():
    from lessons.interactive import BLOCK_NAMES, block_examples

    examples = block_examples()
    for _title, _purpose, example in examples:
        assert render_markdown_checked(example).errors == []
    shown = {example.split()[1] for _t, _p, example in examples}
    assert shown >= BLOCK_NAMES - {"timeline"}


@pytest.mark.django_db
def test_images_from_the_wagtail_library_are_found_by_id(settings, tmp_path):
    from wagtail_factories import ImageFactory

    settings.MEDIA_ROOT = tmp_path
    image = ImageFactory()
    html = render_markdown(
        f"/// hotspots\n![Kartta](image:{image.pk})\n\n1. (50, 50) Keskusta\n///"
    )
    assert 'src="/media/images/' in html
    assert 'src=""' in render_markdown("![Puuttuu](image:999999)")
