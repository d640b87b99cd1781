"""The amount in words on a receipt, checked against an independent spelling of Indonesian numbers."""

import random

import pytest

from catalogue.campaign.words import rupiah_in_words

NINES = "sembilan ratus sembilan puluh sembilan"
DIGITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
SCALES = [(10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")]


def below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{DIGITS[hundreds]} ratus")
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        words += [f"{DIGITS[tens]} puluh"] + ([DIGITS[unit]] if unit else [])
    elif rest >= 12:
        words.append(f"{DIGITS[rest - 10]} belas")
    elif rest == 11:
        words.append("sebelas")
    elif rest == 10:
        words.append("sepuluh")
    elif rest:
        words.append(DIGITS[rest])
    return words


def spelled(n: int) -> str:
    words: list[str] = []
    for size, name in SCALES:
        count, n = divmod(n, size)
        if count == 1 and name == "ribu":
            words.append("seribu")
        elif count:
            words += [*below_thousand(count), name]
    words += below_thousand(n)
    return " ".join(words)


def amounts_up_to_a_trillion() -> list[int]:
    """Every amount up to 10,000, every power of ten and its neighbours, and 20,000 drawn at random."""
    chosen = set(range(1, 10_001))
    for exponent in range(1, 13):
        chosen |= {10**exponent - 1, 10**exponent, 10**exponent + 1, 11 * 10 ** (exponent - 1)}
    draw = random.Random(2026)  # fixed: a failure reproduces
    chosen |= {draw.randrange(1, 10**12) for _ in range(20_000)}
    return sorted(a for a in chosen if a < 10**12)


def test_every_amount_up_to_just_under_a_trillion_is_spelled_right():
    wrong = [
        (a, rupiah_in_words(a))
        for a in amounts_up_to_a_trillion()
        if rupiah_in_words(a) != f"{spelled(a)} rupiah"
    ]
    assert wrong[:5] == []


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (120_000, "seratus dua puluh ribu rupiah"),
        (1_000, "seribu rupiah"),
        (11_500, "sebelas ribu lima ratus rupiah"),
        (5_000_001, "lima juta satu rupiah"),
        (
            999_999_999_999,
            f"{NINES} miliar {NINES} juta {NINES} ribu {NINES} rupiah",
        ),
    ],
)
def test_receipt_amounts_read_as_a_cashier_says_them(amount, words):
    assert rupiah_in_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 10**15, 1.5, "100", True])
def test_impossible_amounts_are_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        rupiah_in_words(bad)
