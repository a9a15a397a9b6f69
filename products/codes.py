"""Short codes for printed QR codes: Crockford-style base32, upper case, case-insensitive."""

import re
import secrets

# Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U,
# so a code read aloud or typed from a label cannot be mistaken for another.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
# Letters a reader confuses with digits are read as those digits, as Crockford's scheme does.
CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A random code; the caller makes sure it was never issued before."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be one."""
    if not raw or len(raw) != CODE_LENGTH:
        return None
    code = raw.upper().translate(CONFUSIONS)
    return code if CODE_PATTERN.match(code) else None
