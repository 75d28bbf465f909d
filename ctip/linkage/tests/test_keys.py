"""Linkage keys: the same person under the variations entities really write gives keys that
match, other people and other secrets do not, and Dice is anonlink's."""

import numpy as np
import pytest
from anonlink.similarities import dice_coefficient_python

from ctip.linkage import matching
from ctip.linkage.keys import Identity, IdentityProblem, decode, encode, name_tokens, skeleton

SECRET = "the round's shared secret 2025"
NADIA = Identity("Nadia", "Murad", "1993-03-10", "F")


def dice(a: Identity, b: Identity, secret: str = SECRET) -> float:
    left, right = decode(encode(a, secret)), decode(encode(b, secret))
    return 2 * (left & right).count() / (left.count() + right.count())


@pytest.mark.parametrize(
    "variant",
    [
        Identity("Murad", "Nadia", "1993-03-10", "F"),  # names swapped
        Identity("NADIA", "MURAD", "1993-03-10", "f"),  # capitals
        Identity("Nadya", "Mourad", "1993-03-10", "F"),  # spelling
        Identity("ناديا", "مراد", "1993-03-10", "F"),  # Arabic script
        Identity("Надя", "Мурад", "1993-03-10", "F"),  # Cyrillic script
        Identity("Nadia", "Murad", "1993-10-03", "F"),  # day and month swapped
        Identity("Nadia", "Murad", "10/03/1993", "F"),  # another date format
        Identity("Nadia", "Murd", "1993-03-10", "F"),  # typo
        Identity("Nadia", "Murad", "1993", "F"),  # year only
    ],
)
def test_the_same_person_written_differently_stays_close(variant):
    assert dice(NADIA, variant) >= 0.75


@pytest.mark.parametrize(
    "other",
    [
        Identity("Amina", "Haddad", "1990-05-01", "F"),
        Identity("Nadia", "Haddad", "2001-07-22", "F"),  # same given name, nothing else
        Identity("Yusuf", "Murad", "1993-03-10", "M"),  # a brother born the same day
    ],
)
def test_other_people_are_far(other):
    assert dice(NADIA, other) < 0.7


def test_the_secret_makes_the_key():
    assert encode(NADIA, SECRET) == encode(NADIA, SECRET)
    assert dice(NADIA, NADIA, SECRET) == 1.0
    other = decode(encode(NADIA, "another round's secret!"))
    mine = decode(encode(NADIA, SECRET))
    assert 2 * (mine & other).count() / (mine.count() + other.count()) < 0.5


def test_transliterations_share_a_skeleton():
    for names in (["Mohammed", "Muhammad", "Mohamed", "محمد"], ["Yusuf", "Youssef", "يوسف"]):
        assert len({skeleton(name_tokens(n)[0]) for n in names}) == 1


def test_no_name_no_key_and_bad_dates_are_named():
    assert encode(Identity("", "", "1990-01-01", "F"), SECRET) == ""
    for bad in ("1990-13-45", "yesterday", "1850-01-01", "12/2001"):
        with pytest.raises(IdentityProblem) as problem:
            encode(Identity("Amina", "", bad, "F"), SECRET)
        assert problem.value.field == "date_of_birth"
    with pytest.raises(IdentityProblem):
        encode(Identity("A" * 501, "", "", ""), SECRET)


def test_dice_is_anonlinks():
    people = [
        NADIA,
        Identity("Nadya", "Mourad", "1993-10-03", "F"),
        Identity("Ali", "Saleh", "", "M"),
    ]
    bits = [decode(encode(p, SECRET)) for p in people]
    keys = matching.as_matrix([b.tobytes() for b in bits])
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    ours = matching.dice(keys, left, right)
    for (i, j), value in zip(zip(left, right, strict=True), ours, strict=True):
        sims, _ = dice_coefficient_python(([bits[i]], [bits[j]]), threshold=0.0)
        assert value == pytest.approx(sims[0])


def test_candidates_cross_entities_only_and_groups_hold_one_record_per_entity():
    people = [NADIA, Identity("Nadya", "Mourad", "1993-03-10", "F"), NADIA]
    keys = matching.as_matrix([decode(encode(p, SECRET)).tobytes() for p in people])
    entities = np.array([1, 2, 1])  # rows 0 and 2: one entity's own repeat
    pairs = matching.candidate_pairs(keys, entities)
    assert sorted(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert matching.groups(pairs, pairs.dice, entities) in ([[0, 1]], [[1, 2]])
