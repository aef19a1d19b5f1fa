"""The keys that encrypt the secret store, and AES-GCM sealing with the secret bound in.

Keys come from ``STEAD_SECRET_KEY``: one key as base64 of 32 bytes, or several ``id:key``
entries separated by commas, the first of which encrypts new values (the others only decrypt,
so keys can rotate). When it is unset and the database is a SQLite file, the key lives in a
file next to it (``stead.db.secret-key``, mode 0600), generated when the first secret is
stored. A PostgreSQL database has no such place: it needs ``STEAD_SECRET_KEY``.

Each value is sealed with AES-GCM under a fresh 96-bit nonce, with the tenant and secret name
as associated data: a ciphertext copied to another secret's row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from stead.connectors.api import PermanentError
from stead.runtime.errors import SteadError

__all__ = [
    "KEY_ENVIRONMENT",
    "KEY_FILE_SUFFIX",
    "KeyRing",
    "Sealed",
    "SecretKey",
    "SecretKeyError",
    "key_file_path",
    "load_key_ring",
]

KEY_ENVIRONMENT = "STEAD_SECRET_KEY"
KEY_FILE_SUFFIX = ".secret-key"
KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_HOW_TO_MAKE_A_KEY = "base64 of 32 random bytes, e.g. from `openssl rand -base64 32`"


class SecretKeyError(SteadError, PermanentError):
    """The secret store's keys are missing or malformed, or do not decrypt a stored value.

    A command reports it like any SteadError; a connector that needs the secret fails with an
    incident (a PermanentError) until an operator fixes the key and resolves it."""

    def __init__(self, message: str) -> None:
        PermanentError.__init__(self, message)


@dataclass(frozen=True, slots=True)
class SecretKey:
    id: str
    material: bytes = field(repr=False)

    @property
    def fingerprint(self) -> str:
        return _fingerprint(self.material)


def _fingerprint(material: bytes) -> str:
    """The id of a key given without one: derived from the key, so it stays the same whether
    the key sits in the key file or in ``STEAD_SECRET_KEY``."""
    digest = hashlib.sha256(b"stead secret key id\0" + material).hexdigest()
    return f"sha256-{digest[:16]}"


@dataclass(frozen=True, slots=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes  # the AES-GCM tag included


def _associated_data(tenant: str, name: str) -> bytes:
    return b"stead secret v1\0" + tenant.encode() + b"\0" + name.encode()


class KeyRing:
    """Keys by id; the first one seals new values."""

    def __init__(self, keys: Sequence[SecretKey], source: str) -> None:
        if not keys:
            raise SecretKeyError(f"{source} holds no key: give {_HOW_TO_MAKE_A_KEY}")
        self.keys = tuple(keys)
        self.source = source
        self._by_id: dict[str, SecretKey] = {}
        # Fingerprints first, so an explicit id wins over a fingerprint that equals it.
        for key in self.keys:
            self._by_id.setdefault(key.fingerprint, key)
        for key in self.keys:
            self._by_id[key.id] = key

    @classmethod
    def parse(cls, text: str, source: str) -> KeyRing:
        """Keys from ``key`` or ``id:key,id:key`` (commas or line breaks between entries)."""
        keys: list[SecretKey] = []
        ids: set[str] = set()
        entries = [entry for entry in re.split(r"[,\s]+", text.strip()) if entry]
        for number, entry in enumerate(entries, start=1):
            key_id, _, encoded = entry.rpartition(":")
            where = f"{source}, entry {number}" + (f" ({key_id!r})" if key_id else "")
            if key_id and not _KEY_ID.fullmatch(key_id):
                raise SecretKeyError(
                    f"{where}: a key id is 1 to 32 letters, digits, '_', '.' or '-'"
                )
            try:
                material = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                material = b""
            if len(material) != KEY_BYTES:
                raise SecretKeyError(f"{where}: the key is not {_HOW_TO_MAKE_A_KEY}")
            key = SecretKey(key_id or _fingerprint(material), material)
            if key.id in ids:
                raise SecretKeyError(f"{where}: key id {key.id!r} is given twice")
            ids.add(key.id)
            keys.append(key)
        return cls(keys, source)

    @property
    def current(self) -> SecretKey:
        return self.keys[0]

    def seal(self, tenant: str, name: str, value: str) -> Sealed:
        nonce = secrets.token_bytes(NONCE_BYTES)
        ciphertext = AESGCM(self.current.material).encrypt(
            nonce, value.encode(), _associated_data(tenant, name)
        )
        return Sealed(self.current.id, nonce, ciphertext)

    def open(self, tenant: str, name: str, sealed: Sealed) -> str:
        key = self._by_id.get(sealed.key_id)
        if key is None:
            raise SecretKeyError(
                f"secret {name!r} was encrypted with key {sealed.key_id!r}, which {self.source} "
                f"does not hold: add that key to {KEY_ENVIRONMENT} as "
                f"'{sealed.key_id}:<base64 key>' after the current one"
            )
        try:
            plaintext = AESGCM(key.material).decrypt(
                sealed.nonce, sealed.ciphertext, _associated_data(tenant, name)
            )
        except InvalidTag:
            raise SecretKeyError(
                f"secret {name!r} does not decrypt with key {key.id!r} from {self.source}: "
                "the key is not the one that encrypted it, or the stored value was altered "
                "or copied from another secret"
            ) from None
        return plaintext.decode()


def key_file_path(database_url: sa.URL) -> Path | None:
    """Where a SQLite file database keeps its key; None for PostgreSQL or in-memory SQLite."""
    if database_url.get_backend_name() != "sqlite":
        return None
    if not database_url.database or database_url.database == ":memory:":
        return None
    database_file = Path(database_url.database)
    return database_file.with_name(database_file.name + KEY_FILE_SUFFIX)


def load_key_ring(
    database_url: sa.URL, environ: Mapping[str, str] | None = None, *, create: bool
) -> KeyRing:
    """The keys for a database: ``STEAD_SECRET_KEY``, else the SQLite key file (generated
    when ``create`` and missing)."""
    configured = (os.environ if environ is None else environ).get(KEY_ENVIRONMENT, "").strip()
    if configured:
        return KeyRing.parse(configured, KEY_ENVIRONMENT)
    path = key_file_path(database_url)
    if path is None:
        kind = "PostgreSQL" if database_url.get_backend_name() == "postgresql" else "in-memory"
        raise SecretKeyError(
            f"{KEY_ENVIRONMENT} is not set: the secret store on a {kind} database needs it "
            f"({_HOW_TO_MAKE_A_KEY})"
        )
    if not path.exists():
        if not create:
            raise SecretKeyError(
                f"the secret store's key file {path} is missing and {KEY_ENVIRONMENT} is not "
                "set: stored secrets cannot be decrypted"
            )
        try:
            _create_key_file(path)
        except OSError as error:
            raise SecretKeyError(
                f"cannot create the secret store's key file {path}: {error.strerror}"
            ) from None
    try:
        text = _read_key_file(path)
    except OSError as error:
        raise SecretKeyError(
            f"cannot read the secret store's key file {path}: {error.strerror}"
        ) from None
    return KeyRing.parse(text, str(path))


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n"
    # Written in full under a temporary name, then linked into place: a process starting at
    # the same moment sees either no key file or a complete one, and only one key wins.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, content)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made the key first; use that one
    finally:
        temporary.unlink()


def _read_key_file(path: Path) -> str:
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SecretKeyError(
                f"the secret store's key file {path} can be read by other users "
                f"(mode {mode:o}): run chmod 600 {path}"
            )
    return path.read_text(encoding="ascii")
