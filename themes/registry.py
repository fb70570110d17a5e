"""The themes the site can wear: a stylesheet of custom properties and a logo each."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    stylesheet: str
    logo: str
    certificate_stylesheet: str


THEMES = {
    theme.name: theme
    for theme in [
        Theme(
            name="default",
            label=_("Default"),
            stylesheet="themes/default/theme.css",
            logo="themes/default/logo.svg",
            certificate_stylesheet="themes/default/certificate.css",
        ),
        Theme(
            name="city",
            label=_("City"),
            stylesheet="themes/city/theme.css",
            logo="themes/city/logo.svg",
            certificate_stylesheet="themes/city/certificate.css",
        ),
    ]
}
DEFAULT_THEME = "default"


def get_theme(name: str) -> Theme:
    """Return the named theme, or the default one for an unknown name."""
    return THEMES.get(name) or THEMES[DEFAULT_THEME]


def theme_choices():
    return [(theme.name, theme.label) for theme in THEMES.values()]
