"""Amounts in Indonesian words ("terbilang"), as a receipt states them beside the figures."""

from __future__ import annotations

import re

from num2words import num2words

# num2words 0.5 says "satu juta satu ribu" for 1.001.000; a thousands group of exactly one is "seribu"
# (but "seratus satu ribu" for 101.000 stays as it is).
_ONE_THOUSAND = re.compile(r"(^|(?:juta|miliar|triliun) )satu ribu")

# Rupiah amounts on a receipt stay far below this; num2words' Indonesian names reach "triliun".
MAX_AMOUNT = 10**15 - 1


def rupiah_in_words(amount: int) -> str:
    """`120000` -> "seratus dua puluh ribu rupiah"."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("amount must be a whole number of rupiah")
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValueError(f"amount out of range: {amount}")
    words = _ONE_THOUSAND.sub(r"\1seribu", num2words(amount, lang="id"))
    return f"{words} rupiah"
