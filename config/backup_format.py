"""The backup's JSON: Django's, with content types and permissions by natural key.

Those rows are made anew by migrate, with ids of their own in each database; every
other row keeps its id, so references to pages that are gone (Wagtail's page log
keeps them) are copied as they are instead of being looked up. Times keep their
microseconds (Django's encoder keeps milliseconds only).
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission")


class ExactTimeEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactTimeEncoder

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _by_natural_key(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _by_natural_key(field)
        super().handle_m2m_field(obj, field)


def _by_natural_key(field) -> bool:
    return field.remote_field.model._meta.label_lower in NATURAL_KEY_MODELS


Deserializer = json.Deserializer
