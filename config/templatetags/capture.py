"""`{% capture name %}…{% endcapture %}`: render a part once, show it where needed.

The header shows the same links twice (in the wide bar and in the phone's menu);
rendering them once saves the second rendering on every page.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The nodes' output is already escaped by the template engine.
        context[self.name] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """Render the block into the context variable named by the argument."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% capture %} takes one name")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])
