"""Passwords and account names: argon2id hashing and the rules a new account must meet.

Kept apart from the store (which only keeps the hash) and from the web (which only
checks it), so that ``claimdesk user add`` and the sign-in page hash the same way.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from claimdesk.model import ROLES

MIN_PASSWORD = 10  # characters; long passphrases beat composition rules
MAX_PASSWORD = 1024  # argon2 would hash a megabyte happily: refuse it before it costs CPU
MAX_NAME = 64

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, 64 MiB).
_hasher = PasswordHasher()

# Verified against when a name is unknown, so that a wrong name costs the same time
# as a wrong password and timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("claimdesk: no such user")


def hash_password(password: str) -> str:
    """The argon2id PHC string of ``password`` (salted, parameters included)."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a None hash (unknown user) takes the same time and fails."""
    if not password or len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's: rehash on next sign-in."""
    return _hasher.check_needs_rehash(password_hash)


def check_password(password: str) -> None:
    """Raise ValueError when a new password is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"a password has at most {MAX_PASSWORD} characters")


def normal_name(name: str) -> str:
    """The account name as stored: NFC, no surrounding space. Raises ValueError when it
    is empty, too long, or holds spaces, control or formatting characters (which would
    let two names look alike on a page)."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise ValueError("a user name cannot be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"a user name has at most {MAX_NAME} characters")
    if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in name):
        raise ValueError("a user name has no spaces, control or invisible characters")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    return role
