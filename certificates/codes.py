"""Certificate codes: 12 random Crockford base32 characters, typed in groups of 4."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(text: str) -> str:
    """Read a code as typed: any case, dashes and spaces, I/L for 1, O for 0."""
    cleaned = "".join(str(text).split()).replace("-", "").upper()
    return cleaned.translate(_LOOKALIKES)


def looks_like_code(code: str) -> bool:
    return len(code) == LENGTH and all(char in ALPHABET for char in code)
