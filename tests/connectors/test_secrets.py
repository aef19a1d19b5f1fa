"""Secret references: resolution order, substitution in JSON values, and redaction."""

from __future__ import annotations

import pytest

from stead.connectors.api import PermanentError
from stead.connectors.secrets import (
    InvalidSecretNameError,
    MissingSecretError,
    SecretResolver,
    redact,
    substitute,
)


class DictStore:
    """A secret source over a dict, recording which names were asked for."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: list[str] = []

    def get(self, name: str) -> str | None:
        self.asked.append(name)
        return self.values.get(name)


def test_store_wins_over_environment() -> None:
    resolver = SecretResolver(
        DictStore({"TOKEN": "from-store"}), environ={"STEAD_SECRET_TOKEN": "from-env"}
    )
    assert resolver.resolve("TOKEN") == "from-store"


def test_environment_is_used_when_store_has_no_such_secret() -> None:
    resolver = SecretResolver(DictStore({}), environ={"STEAD_SECRET_api_Key2": "e"})
    assert resolver.resolve("api_Key2") == "e"


def test_environment_only_resolver() -> None:
    resolver = SecretResolver(environ={"STEAD_SECRET_X": "1"})
    assert resolver.resolve("X") == "1"


def test_unknown_secret_is_a_permanent_error_naming_it() -> None:
    resolver = SecretResolver(DictStore({}), environ={"STEAD_SECRET_OTHER": "x"})
    with pytest.raises(MissingSecretError) as caught:
        resolver.resolve("CRM_TOKEN")
    assert isinstance(caught.value, PermanentError)
    assert caught.value.name == "CRM_TOKEN"
    assert "CRM_TOKEN" in str(caught.value)
    assert "STEAD_SECRET_CRM_TOKEN" in str(caught.value)


def test_empty_environment_variable_counts_as_unset() -> None:
    resolver = SecretResolver(environ={"STEAD_SECRET_T": ""})
    with pytest.raises(MissingSecretError):
        resolver.resolve("T")


def test_secret_store_key_is_never_handed_out_from_the_environment() -> None:
    resolver = SecretResolver(environ={"STEAD_SECRET_KEY": "master-key"})
    with pytest.raises(MissingSecretError):
        resolver.resolve("KEY")
    # ...but a stored secret of that name is an ordinary secret.
    assert SecretResolver(DictStore({"KEY": "k"})).resolve("KEY") == "k"


@pytest.mark.parametrize("name", ["", "1abc", "a-b", "a b", "a.b", "é"])
def test_invalid_names_are_rejected_before_any_lookup(name: str) -> None:
    store = DictStore({name: "v"})
    with pytest.raises(InvalidSecretNameError) as caught:
        SecretResolver(store).resolve(name)
    assert store.asked == []
    assert repr(name) in str(caught.value)


def test_substitute_replaces_references_in_every_nested_string() -> None:
    resolver = SecretResolver(DictStore({"TOKEN": "t0k", "USER": "bob"}), environ={})
    value = {
        "url": "https://x.example/?u={{secrets.USER}}",
        "headers": {"Authorization": "Bearer {{ secrets.TOKEN }}"},
        "list": ["{{secrets.TOKEN}}{{secrets.USER}}", 3, None, True, {"deep": "{{secrets.USER}}"}],
        "{{secrets.USER}}": "key too",
        "plain": "no reference {{other.THING}}",
        "count": 2.5,
    }
    substituted, used = substitute(value, resolver)
    assert substituted == {
        "url": "https://x.example/?u=bob",
        "headers": {"Authorization": "Bearer t0k"},
        "list": ["t0kbob", 3, None, True, {"deep": "bob"}],
        "bob": "key too",
        "plain": "no reference {{other.THING}}",
        "count": 2.5,
    }
    assert used == frozenset({"t0k", "bob"})
    # The input is left as it was.
    assert value["headers"] == {"Authorization": "Bearer {{ secrets.TOKEN }}"}


def test_substitute_looks_each_secret_up_once() -> None:
    store = DictStore({"A": "1"})
    substitute(["{{secrets.A}}", "{{secrets.A}}{{secrets.A}}"], SecretResolver(store))
    assert store.asked == ["A"]


def test_substitute_on_plain_values() -> None:
    resolver = SecretResolver(DictStore({"A": "1"}))
    assert substitute("x{{secrets.A}}y", resolver) == ("x1y", frozenset({"1"}))
    assert substitute(42, resolver) == (42, frozenset())
    assert substitute(None, resolver) == (None, frozenset())


def test_substitute_reports_missing_and_malformed_references() -> None:
    resolver = SecretResolver(DictStore({}), environ={})
    with pytest.raises(MissingSecretError) as missing:
        substitute({"h": ["{{secrets.NOPE}}"]}, resolver)
    assert missing.value.name == "NOPE"
    with pytest.raises(InvalidSecretNameError) as malformed:
        substitute("{{secrets.my-token}}", resolver)
    assert malformed.value.name == "my-token"


def test_redact_plain_text_and_json() -> None:
    secrets = frozenset({"s3cr3t", "tok"})
    assert redact("auth failed for s3cr3t (tok)", secrets) == "auth failed for *** (***)"
    assert redact({"error": ["tok", {"s3cr3t": "x s3cr3t y"}], "n": 1, "b": False}, secrets) == {
        "error": ["***", {"***": "x *** y"}],
        "n": 1,
        "b": False,
    }


def test_redact_masks_the_longest_secret_whole() -> None:
    assert redact("abcdef", ["abc", "abcdef"]) == "***"


def test_redact_masks_url_encoded_and_json_escaped_forms() -> None:
    secret = 'p@ss w/"q"'
    text = 'GET https://x.example/?k=p%40ss%20w%2F%22q%22 body {"k": "p@ss w/\\"q\\""}'
    redacted = redact(text, [secret])
    assert "p%40ss" not in redacted
    assert "p@ss" not in redacted
    assert redacted.count("***") == 2
    assert redact("p%40ss+w%2F%22q%22", [secret]) == "***"


def test_redact_ignores_empty_secrets() -> None:
    assert redact("unchanged", ["", ""]) == "unchanged"
    assert redact({"a": "b"}, []) == {"a": "b"}


def test_substitute_then_redact_leaves_no_value() -> None:
    resolver = SecretResolver(DictStore({"TOKEN": "xyz-123"}))
    inputs, used = substitute({"headers": {"Authorization": "Bearer {{secrets.TOKEN}}"}}, resolver)
    message = f"401 from server; sent {inputs}"
    assert "xyz-123" in message
    assert "xyz-123" not in redact(message, used)
