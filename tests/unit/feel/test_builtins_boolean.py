"""Boolean built-ins: not and is defined."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError


def test_not_is_three_valued() -> None:
    negation = BUILTINS["not"]
    assert negation.invoke([True]) is False
    assert negation.invoke([False]) is True
    assert negation.invoke([None]) is None
    assert negation.invoke_named({"negand": False}) is True
    for not_boolean in (Decimal(0), "true"):
        with pytest.raises(FeelEvalError):
            negation.invoke([not_boolean])
    with pytest.raises(FeelEvalError):
        negation.invoke([True, False])


def test_is_defined() -> None:
    assert BUILTINS["is defined"].invoke([Decimal(1)]) is True
    assert BUILTINS["is defined"].invoke([None]) is False


def test_every_builtin_reports_wrong_arity_clearly() -> None:
    with pytest.raises(FeelEvalError, match=r"wrong number of arguments.*string length\(string\)"):
        BUILTINS["string length"].invoke([])
