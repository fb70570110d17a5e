"""Django's SQLite backend, with look-ups by numbers too large for SQLite's integers.

SQLite binds integers as 64 bits, and Python's sqlite3 raises OverflowError for a
larger one: a look-up such as `?course=99999999999999999999999` would answer 500.
PostgreSQL compares such a number with its integer columns and finds nothing;
here it is bound as a real number, which SQLite compares the same way.
"""

from collections.abc import Mapping

from django.db.backends.sqlite3 import base

_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


def _bindable(value):
    if type(value) is int and not _SMALLEST <= value <= _LARGEST:
        return float(value)
    return value


def _bindable_params(params):
    if isinstance(params, Mapping):
        return {name: _bindable(value) for name, value in params.items()}
    return [_bindable(value) for value in params]


class CursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        if params is not None:
            params = _bindable_params(params)
        return super().execute(query, params)

    def executemany(self, query, param_list):
        return super().executemany(query, map(_bindable_params, param_list))


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
