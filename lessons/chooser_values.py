"""Wagtail's chooser widgets, made to survive a submitted value that is not an id.

When a form with a chooser (an image, a snippet, a page) fails validation, the
widget renders again from the submitted value and looks it up with
`objects.get(pk=value)`: a value such as "x" or a 30-digit number raises there,
and the admin answers 500 instead of showing the form's errors. The chooser then
shows nothing chosen, and the form's own error says what was wrong.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser

_NOT_AN_ID = (ValueError, TypeError, OverflowError, ValidationError)


def forgive_values_that_are_not_ids():
    original = BaseChooser.get_instance
    if getattr(original, "forgives_values_that_are_not_ids", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except _NOT_AN_ID:
            return None

    get_instance.forgives_values_that_are_not_ids = True
    BaseChooser.get_instance = get_instance
