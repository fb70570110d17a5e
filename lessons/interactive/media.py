"""Image hotspots: numbered points on an image, each opening a short text."""

import re
import xml.etree.ElementTree as etree

from django.utils.translation import gettext as _

from lessons.interactive.base import InteractiveBlock

# "(20, 35) Text" – the point's place in per cent of the image's width and height.
POINT = re.compile(r"^\s*\(\s*(?P<x>\d{1,3})\s*[,;]\s*(?P<y>\d{1,3})\s*\)\s*")


class ImageHotspots(InteractiveBlock):
    """An image, then a numbered list: `1. (x, y) What is at that point.`"""

    NAME = "hotspots"
    CSS_CLASS = "hotspots"
    LABELS = ("point", "hotspotsHelp")

    def complete(self, block):
        images = list(block.iter("img"))
        lists = [child for child in block if child.tag == "ol"]
        if len(images) != 1:
            self.fail(
                block, _("Put exactly one image in the block: ![description](address).")
            )
            return
        if len(lists) != 1 or not len(lists[0]):
            self.fail(block, _("List the points after the image: 1. (x, y) text."))
            return
        points = lists[0]
        for number, item in enumerate(points, start=1):
            match = POINT.match(item.text or "")
            if not match or int(match["x"]) > 100 or int(match["y"]) > 100:
                self.fail(
                    block,
                    _(
                        "Point %(number)s needs its place first: (x, y) in per cent, "
                        "0–100."
                    )
                    % {"number": number},
                )
                return
            item.text = item.text[match.end() :]
            item.set("class", "hotspots__point")
            item.set("id", self.element_id(f"point-{number}"))
            item.set("data-x", match["x"])
            item.set("data-y", match["y"])
        self._arrange(block, images[0], points)

    def _arrange(self, block, image, points):
        for child in list(block):
            block.remove(child)
        figure = etree.SubElement(block, "div", {"class": "hotspots__figure"})
        figure.append(image)
        image.tail = None
        points.set("class", "hotspots__points")
        block.append(points)
