"""Interactive lesson blocks (H5P-style self-checks) in the lesson's Markdown."""

from pymdownx.blocks import BlocksExtension

from lessons.interactive.exercises import (
    DragTheWords,
    FillInTheBlanks,
    KnowledgeCheck,
    MarkTheWords,
)
from lessons.interactive.media import ImageHotspots
from lessons.interactive.structure import (
    Accordion,
    DialogCards,
    ProcessSteps,
    Tabs,
    Timeline,
)

BLOCKS = [
    Accordion,
    Tabs,
    DialogCards,
    ProcessSteps,
    Timeline,
    FillInTheBlanks,
    KnowledgeCheck,
    MarkTheWords,
    DragTheWords,
    ImageHotspots,
]
BLOCK_NAMES = {block.NAME for block in BLOCKS}


def has_interactive_blocks(html: str) -> bool:
    """Tell whether rendered Markdown holds an interactive block (data-block)."""
    return 'data-block="' in html


class InteractiveBlocksExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):
        for block in BLOCKS:
            block_mgr.register(block, {})


def block_examples():
    """Return (title, what it is for, a copyable example) for each kind of block."""
    from django.utils.translation import gettext as _

    return [
        (
            _("Accordion"),
            _("Collapsible sections: each ## heading opens its own part."),
            "/// accordion\n## Mikä on WCAG?\nOhjeisto saavutettavalle sisällölle.\n"
            "## Kenelle?\nKaikille, jotka julkaisevat.\n///",
        ),
        (
            _("Tabs"),
            _("Parallel content, such as one text in several languages."),
            "/// tabs\n## Suomeksi\nHavaittava\n"
            "## På svenska\nMöjlig att uppfatta\n///",
        ),
        (
            _("Dialog cards"),
            _("The heading is the front of a card, the text under it the back."),
            "/// cards\n## Kielimalli\nEnnustaa seuraavan sanan.\n"
            "## Hallusinaatio\nKeksitty vastaus.\n///",
        ),
        (
            _("Process steps"),
            _("An ordered process or timeline (use timeline instead of steps)."),
            "/// steps\n## Suunnittele\nMieti lukija.\n"
            "## Julkaise\nTarkista ensin.\n///",
        ),
        (
            _("Fill in the blanks"),
            _(
                "Write the answer between asterisks; separate other accepted "
                "answers with /."
            ),
            "/// blanks\nWCAG:n periaatteet ovat *havaittava*, *hallittava* ja "
            "*ymmärrettävä/ymmärrettävissä*.\n///",
        ),
        (
            _("Knowledge check"),
            _(
                "( ) and (x) for one right answer, [ ] and [x] for several; a line "
                "starting with > is feedback on the choice above it."
            ),
            "/// check\nMikä on tekstin vähimmäiskontrasti?\n( ) 3:1\n(x) 4,5:1\n"
            "> Oikein! Isolle tekstille riittää 3:1.\n( ) 7:1\n///",
        ),
        (
            _("Mark the words"),
            _(
                "The first paragraph tells what to look for; mark the right words "
                "in the text after it with asterisks."
            ),
            "/// mark\nValitse kaikki WCAG:n periaatteet.\n\nSisällön pitää olla "
            "*havaittava*, nopea, *hallittava*, kaunis ja *ymmärrettävä*.\n///",
        ),
        (
            _("Drag the words"),
            _(
                "Like fill in the blanks, but the missing words are offered to "
                "place in the gaps (by dragging, or by choosing a word and a gap)."
            ),
            "/// drag\nTTV-mallissa kerrotaan ensin *tilanne*, sitten *toiminta* "
            "ja lopuksi sen *vaikutus*.\n///",
        ),
        (
            _("Image hotspots"),
            _(
                "An image, then a numbered list of points: (x, y) is the point's "
                "place in per cent from the image's left and top edge."
            ),
            "/// hotspots\n"
            "![Kaupungin verkkosivun malli](/static/images/verkkosivu.png)\n\n"
            "1. (6, 8) Logo: vie aina etusivulle.\n"
            "2. (88, 8) Haku: löydä palvelut hakusanalla.\n"
            "3. (14, 62) Painike: kerro tekstillä, mitä painikkeesta tapahtuu.\n"
            "4. (81, 42) Kuva: tarvitseeko se vaihtoehtoisen tekstin?\n///",
        ),
    ]
