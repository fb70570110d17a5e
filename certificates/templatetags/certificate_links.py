from django import template

from certificates.links import verification_url

register = template.Library()


@register.simple_tag(takes_context=True)
def share_url(context, certificate):
    """Return the certificate's public verification address, to copy and share."""
    return verification_url(certificate.code, context.get("request"))
