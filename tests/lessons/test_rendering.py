import re

import pytest

from lessons.rendering import render_markdown

HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![x](javascript:alert(1))",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<a href="#" onclick="alert(1)">x</a>',
    '<a href="#" ONMOUSEOVER="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%">overlay</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input onfocus="alert(1)" autofocus>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    '<a href="https://example.org" target="_blank" onclick="x()">ok</a>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<img src="x" alt="" onerror\t=alert(1)>',
    '<a href="javas\ncript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<video src="x" onerror="alert(1)"></video>',
    '<audio><source onerror="alert(1)"></audio>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<p id="main-content">shadow the skip-link target</p>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "/// note | <script>alert(1)</script>\nbody\n///",
    "/// details | <img src=x onerror=alert(1)>\nbody\n///",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
]

DANGEROUS_TAGS = (
    "script|iframe|svg|math|object|embed|style|form|meta|link|base|textarea|select"
    "|video|audio|template"
)
FORBIDDEN = [
    re.compile(rf"<\s*({DANGEROUS_TAGS})\b", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(
        r"(href|src|action|background)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I
    ),
    re.compile(r'id="main-content"'),
]


@pytest.mark.parametrize(
    "text, html",
    [
        ("[click](javascript:alert(1))", "<p><a>click</a></p>"),
        ("[x][ref]\n\n[ref]: javascript:alert(1)", "<p><a>x</a></p>"),
        ("![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", '<p><img alt="x"></p>'),
        ('<img src="x" onerror="alert(1)">', '<p><img src="x"></p>'),
        ('<a href="#" onclick="alert(1)">x</a>', '<p><a href="#">x</a></p>'),
        ('<p style="position:fixed;top:0">overlay</p>', "<p>overlay</p>"),
        ('<p id="main-content">shadow</p>', "<p>shadow</p>"),
        ("<style>body{display:none}</style>", ""),
        ('<iframe src="https://evil.example/"></iframe>', ""),
        (
            '<details open ontoggle="alert(1)"><summary>x</summary></details>',
            "<details open><summary>x</summary></details>",
        ),
    ],
)
def test_hostile_markup_keeps_its_harmless_part_and_loses_what_runs(text, html):
    assert render_markdown(text) == html


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_hostile_markdown_renders_without_anything_that_runs(text):
    html = render_markdown(text)
    for pattern in FORBIDDEN:
        assert not pattern.search(html), (pattern.pattern, html)


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in render_markdown("Before <script>alert(1)</script> after")


def test_tables_render_with_alignment_attributes_not_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html


def test_fenced_code_keeps_html_examples_as_escaped_text():
    html = render_markdown('```html\n<img alt="Logo" class="x">\n```')
    assert '<code class="language-html">' in html
    assert "&lt;img alt=" in html


def test_footnotes_link_both_ways():
    html = render_markdown("Text[^1].\n\n[^1]: The note.")
    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html
    assert 'href="#fnref:1"' in html


def test_callouts_and_collapsible_sections():
    html = render_markdown(
        "/// tip | Vinkki\nHyvä vinkki.\n///\n\n/// details | Lisää\nPiilossa.\n///"
    )
    assert '<div class="admonition tip">' in html
    assert '<p class="admonition-title">Vinkki</p>' in html
    assert "<details>" in html and "<summary>Lisää</summary>" in html


def test_unknown_classes_are_dropped_but_known_ones_kept():
    html = render_markdown('<p class="admonition site-header evil">x</p>')
    assert 'class="admonition"' in html
    assert "site-header" not in html


def test_safe_links_and_images_survive():
    html = render_markdown("[Suomi.fi](https://www.suomi.fi/) ![Kaavio](/media/k.png)")
    assert '<a href="https://www.suomi.fi/">Suomi.fi</a>' in html
    assert '<img alt="Kaavio" src="/media/k.png">' in html


def test_stored_html_carries_no_english_ui_text_from_the_footnotes():
    html = render_markdown("Teksti[^1].\n\n[^1]: Huomautus.")
    assert "Jump back" not in html


def test_inputs_keep_only_their_safe_attributes():
    html = render_markdown(
        '<input type="file" onfocus="x()" autofocus formaction="javascript:x()"'
        ' name="main-content" id="main-content">'
    )
    assert html == "<p><input></p>"


def test_rendering_in_parallel_threads_gives_the_same_html():
    """Each thread sanitises with its own cleaner (a shared bleach Cleaner breaks)."""
    import threading

    text = (
        "## Otsikko\n\n"
        + "Tekstiä **lihavoituna** ja [linkki](https://example.org). " * 40
    )
    expected = str(render_markdown(text))
    results, errors = [], []
    barrier = threading.Barrier(4)

    def render():
        try:
            barrier.wait()
            for _ in range(5):
                results.append(str(render_markdown(text)))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=render) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [expected] * 20
