"""The secret store on SQLite and PostgreSQL: values round-trip, are encrypted at rest under a
key that can rotate, and fail clearly with a missing or wrong key or a moved ciphertext."""

from __future__ import annotations

import base64
import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from stead.connectors.api import PermanentError
from stead.connectors.secrets import SecretResolver
from stead.runtime.errors import InvalidRequestError, NotFoundError
from stead.secrets import SecretKeyError, SecretStore
from stead.secrets.keys import KeyRing
from stead.store import Database, open_database
from stead.store import secrets as secret_rows

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
VALUE = "pa55-w0rd-ünïcode-ÿ"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    opened = open_database(database_url)
    yield opened
    opened.dispose()


def store(database: Database, key: str | None = f"main:{KEY_A}", **options: str) -> SecretStore:
    environ = {} if key is None else {"STEAD_SECRET_KEY": key}
    return SecretStore(database, clock=lambda: NOW, environ=environ, **options)


def raw_rows(database: Database) -> list[sa.Row[object]]:
    with database.read() as conn:
        return list(conn.execute(sa.select(secret_rows.secrets).order_by("name")))


def test_round_trip_replace_list_and_delete(database: Database) -> None:
    secrets = store(database)
    info, created = secrets.put("CRM_TOKEN", VALUE, actor="alice")
    assert created
    assert (info.name, info.key_id, info.created_by, info.updated_by) == (
        "CRM_TOKEN",
        "main",
        "alice",
        "alice",
    )
    assert info.created_at == info.updated_at == NOW
    assert secrets.get("CRM_TOKEN") == VALUE

    later = SecretStore(
        database, clock=lambda: NOW + dt.timedelta(hours=1), environ={"STEAD_SECRET_KEY": KEY_A}
    )
    info, created = later.put("CRM_TOKEN", "second", actor="bob")
    assert not created
    assert (info.created_by, info.created_at) == ("alice", NOW)
    assert (info.updated_by, info.updated_at) == ("bob", NOW + dt.timedelta(hours=1))
    secrets.put("API_KEY", "k", actor="alice")

    assert [e.name for e in secrets.entries()] == ["API_KEY", "CRM_TOKEN"]
    assert secrets.get("CRM_TOKEN") == "second"
    assert secrets.get("UNKNOWN") is None

    secrets.delete("CRM_TOKEN")
    assert secrets.get("CRM_TOKEN") is None
    with pytest.raises(NotFoundError, match="no secret named 'CRM_TOKEN'"):
        secrets.delete("CRM_TOKEN")


def test_the_stored_row_holds_no_plaintext(database: Database) -> None:
    store(database).put("DB_PASSWORD", VALUE, actor="alice")
    [row] = raw_rows(database)
    stored = repr(tuple(row)).encode() + bytes(row.nonce) + bytes(row.ciphertext)
    assert VALUE.encode() not in stored
    assert VALUE not in repr(tuple(row))
    assert len(bytes(row.nonce)) == 12
    assert row.key_id == "main"
    # Storing the same value again uses a fresh nonce, so equal values do not look equal.
    store(database).put("DB_PASSWORD", VALUE, actor="alice")
    [again] = raw_rows(database)
    assert bytes(again.ciphertext) != bytes(row.ciphertext)


def test_tenants_do_not_see_each_others_secrets(database: Database) -> None:
    store(database).put("TOKEN", "default-tenant", actor="a")
    other = store(database, tenant="acme")
    assert other.get("TOKEN") is None
    assert other.entries() == []
    other.put("TOKEN", "acme-value", actor="a")
    assert store(database).get("TOKEN") == "default-tenant"
    assert other.get("TOKEN") == "acme-value"


def test_a_wrong_key_fails_clearly(database: Database) -> None:
    store(database, f"main:{KEY_A}").put("TOKEN", VALUE, actor="a")
    with pytest.raises(SecretKeyError) as caught:
        store(database, f"main:{KEY_B}").get("TOKEN")
    message = str(caught.value)
    assert "'TOKEN' does not decrypt with key 'main'" in message
    assert VALUE not in message


def test_a_key_no_longer_configured_is_named(database: Database) -> None:
    store(database, f"old:{KEY_A}").put("TOKEN", VALUE, actor="a")
    with pytest.raises(SecretKeyError, match="encrypted with key 'old', which STEAD_SECRET_KEY"):
        store(database, f"new:{KEY_B}").get("TOKEN")


def test_a_ciphertext_moved_to_another_name_does_not_decrypt(database: Database) -> None:
    secrets = store(database)
    secrets.put("ONE", "first value", actor="a")
    secrets.put("TWO", "second value", actor="a")
    one = next(row for row in raw_rows(database) if row.name == "ONE")
    with database.transaction() as conn:
        conn.execute(
            sa.update(secret_rows.secrets)
            .where(secret_rows.secrets.c.name == "TWO")
            .values(key_id=one.key_id, nonce=one.nonce, ciphertext=one.ciphertext)
        )
    assert secrets.get("ONE") == "first value"
    with pytest.raises(SecretKeyError, match="copied from another secret"):
        secrets.get("TWO")


def test_keys_rotate(database: Database) -> None:
    store(database, f"old:{KEY_A}").put("KEEP", "kept", actor="a")
    store(database, f"old:{KEY_A}").put("CHANGE", "before", actor="a")
    rotated = store(database, f"new:{KEY_B},old:{KEY_A}")
    assert rotated.get("KEEP") == "kept"  # an older key still decrypts
    info, _ = rotated.put("CHANGE", "after", actor="a")
    assert info.key_id == "new"  # the first key encrypts

    changed = rotated.reencrypt()
    assert [(c.name, c.key_id) for c in changed] == [("KEEP", "new")]
    only_new = store(database, f"new:{KEY_B}")
    assert (only_new.get("KEEP"), only_new.get("CHANGE")) == ("kept", "after")
    assert {e.key_id for e in only_new.entries()} == {"new"}


def test_a_key_without_id_is_known_by_its_fingerprint(database: Database) -> None:
    info, _ = store(database, KEY_A).put("TOKEN", VALUE, actor="a")
    assert info.key_id.startswith("sha256-")
    # Given an id later, behind a new key, it still decrypts what it encrypted.
    assert store(database, f"new:{KEY_B},legacy:{KEY_A}").get("TOKEN") == VALUE


@pytest.mark.postgres
def test_postgres_without_a_key_says_so(postgres_url: str) -> None:
    database = open_database(postgres_url)
    try:
        with pytest.raises(SecretKeyError, match=r"STEAD_SECRET_KEY is not set.*PostgreSQL"):
            store(database, None).put("TOKEN", VALUE, actor="a")
        assert raw_rows(database) == []
        store(database).put("TOKEN", VALUE, actor="a")
        with pytest.raises(SecretKeyError, match="STEAD_SECRET_KEY is not set"):
            store(database, None).get("TOKEN")
        # Listing needs no key.
        assert [e.name for e in store(database, None).entries()] == ["TOKEN"]
    finally:
        database.dispose()


def test_sqlite_generates_a_private_key_file_next_to_the_database(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'data' / 'stead.db'}")
    key_file = tmp_path / "data" / "stead.db.secret-key"
    try:
        secrets = store(database, None)
        assert secrets.get("TOKEN") is None
        assert secrets.entries() == []
        assert not key_file.exists()  # reading nothing needs no key

        secrets.put("TOKEN", VALUE, actor="a")
        assert key_file.exists()
        if os.name == "posix":
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        first_key = key_file.read_text()
        assert len(base64.b64decode(first_key.strip())) == 32
        secrets.put("OTHER", "x", actor="a")
        assert key_file.read_text() == first_key  # made once, then reused
        assert store(database, None).get("TOKEN") == VALUE
        # The same key given in the environment decrypts the same values.
        assert store(database, first_key.strip()).get("TOKEN") == VALUE

        key_file.chmod(0o644)
        with pytest.raises(SecretKeyError, match=r"can be read by other users.*chmod 600"):
            secrets.get("TOKEN")
        key_file.unlink()
        with pytest.raises(SecretKeyError, match=r"key file .* is missing"):
            secrets.get("TOKEN")
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("bm90IGEga2V5", "entry 1: the key is not base64 of 32"),
        ("%%%", "entry 1: the key is not base64 of 32"),
        (f"a:{KEY_A},a:{KEY_B}", r"entry 2 \('a'\): key id 'a' is given twice"),
        (f"bad!:{KEY_A}", r"entry 1 \('bad!'\): a key id is 1 to 32"),
        (",", "holds no key"),
    ],
)
def test_malformed_keys_are_reported(configured: str, expected: str) -> None:
    with pytest.raises(SecretKeyError, match=expected):
        KeyRing.parse(configured, "STEAD_SECRET_KEY")


def test_names_and_values_are_checked(database: Database) -> None:
    secrets = store(database)
    for name in ["", "1A", "a-b", "A" * 256]:
        with pytest.raises(InvalidRequestError, match="invalid secret name"):
            secrets.put(name, "v", actor="a")
    with pytest.raises(InvalidRequestError, match="'EMPTY': the value is empty"):
        secrets.put("EMPTY", "", actor="a")
    with pytest.raises(InvalidRequestError, match="longer than 65536 bytes"):
        secrets.put("BIG", "x" * 65537, actor="a")
    with pytest.raises(InvalidRequestError, match="not valid Unicode"):
        secrets.put("BROKEN", "half \ud800 a character", actor="a")
    assert raw_rows(database) == []


def test_a_resolver_reads_the_store_then_the_environment(database: Database) -> None:
    secrets = store(database)
    secrets.put("TOKEN", VALUE, actor="a")
    resolver = SecretResolver(secrets, environ={"STEAD_SECRET_FROM_ENV": "e"})
    assert resolver.resolve("TOKEN") == VALUE
    assert resolver.resolve("FROM_ENV") == "e"
    broken = SecretResolver(store(database, f"main:{KEY_B}"), environ={})
    with pytest.raises(PermanentError, match="does not decrypt"):
        broken.resolve("TOKEN")
