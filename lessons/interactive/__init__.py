"""Interactive lesson blocks (H5P-style self-checks) in the lesson's Markdown."""

from pymdownx.blocks import BlocksExtension

from lessons.interactive.exercises import FillInTheBlanks, KnowledgeCheck
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
]
BLOCK_NAMES = {block.NAME for block in BLOCKS}


class InteractiveBlocksExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):
        for block in BLOCKS:
            block_mgr.register(block, {})
