"""Synthetic people and the ways their identities are written differently by different
entities: for the demo, the tests and the linkage benchmark. Never real people."""

from __future__ import annotations

import random
from dataclasses import replace

from ctip.linkage.keys import Identity

# (Latin, Arabic script or "") — names common where CTIP's demo entities work
GIVEN_FEMALE = [
    ("Amina", "أمينة"),
    ("Fatima", "فاطمة"),
    ("Nadia", "نادية"),
    ("Aisha", "عائشة"),
    ("Mariam", "مريم"),
    ("Zainab", "زينب"),
    ("Khadija", "خديجة"),
    ("Layla", "ليلى"),
    ("Salma", "سلمى"),
    ("Huda", "هدى"),
    ("Rania", "رانيا"),
    ("Samira", "سميرة"),
    ("Hawa", ""),
    ("Blessing", ""),
    ("Joy", ""),
    ("Grace", ""),
    ("Esther", ""),
    ("Aminata", ""),
    ("Fatoumata", ""),
    ("Chiamaka", ""),
    ("Awa", ""),
    ("Mercy", ""),
]
GIVEN_MALE = [
    ("Mohammed", "محمد"),
    ("Ahmed", "أحمد"),
    ("Omar", "عمر"),
    ("Yusuf", "يوسف"),
    ("Ali", "علي"),
    ("Hassan", "حسن"),
    ("Ibrahim", "إبراهيم"),
    ("Khaled", "خالد"),
    ("Mahmoud", "محمود"),
    ("Mustafa", "مصطفى"),
    ("Emmanuel", ""),
    ("Samuel", ""),
    ("Daniel", ""),
    ("Moussa", ""),
    ("Adama", ""),
    ("Chukwuemeka", ""),
    ("Tesfay", ""),
]
FAMILY = [
    ("Haddad", "حداد"),
    ("Murad", "مراد"),
    ("Hussein", "حسين"),
    ("Khalil", "خليل"),
    ("Saleh", "صالح"),
    ("Abbas", "عباس"),
    ("Jaber", "جابر"),
    ("Nasser", "ناصر"),
    ("Rashid", "رشيد"),
    ("Hamdan", "حمدان"),
    ("Qasim", "قاسم"),
    ("Suleiman", "سليمان"),
    ("Okafor", ""),
    ("Adeyemi", ""),
    ("Tesfaye", ""),
    ("Bekele", ""),
    ("Diallo", ""),
    ("Traoré", ""),
    ("Keita", ""),
    ("Mahamat", ""),
    ("Nwosu", ""),
    ("Gebremedhin", ""),
    ("Abdi", ""),
    ("Mensah", ""),
    ("Kamara", ""),
    ("Idris", "إدريس"),
    ("Yassin", "ياسين"),
]
# spellings one entity uses where another uses the first
SPELLINGS = {
    "Mohammed": ["Muhammad", "Mohamed", "Mohammad", "Muhammed"],
    "Ahmed": ["Ahmad", "Ahmet"],
    "Omar": ["Umar", "Omer"],
    "Yusuf": ["Youssef", "Yousef", "Yusef"],
    "Hassan": ["Hasan"],
    "Ibrahim": ["Ibraheem", "Brahim"],
    "Khaled": ["Khalid", "Khaleed"],
    "Mahmoud": ["Mahmud", "Mahmood"],
    "Mustafa": ["Mustapha", "Moustafa"],
    "Fatima": ["Fatma", "Fatimah", "Fatuma"],
    "Aisha": ["Aicha", "Ayesha", "Aysha"],
    "Khadija": ["Khadidja", "Kadija"],
    "Zainab": ["Zeinab", "Zaynab"],
    "Mariam": ["Maryam", "Meriem"],
    "Layla": ["Leila", "Laila"],
    "Hussein": ["Husain", "Hussain", "Houssein"],
    "Qasim": ["Kassim", "Kasim"],
    "Suleiman": ["Sulayman", "Souleymane"],
    "Jaber": ["Jabir"],
    "Rashid": ["Rachid", "Rasheed"],
    "Yassin": ["Yasin", "Yacine"],
    "Moussa": ["Musa"],
    "Traoré": ["Traore"],
    "Fatoumata": ["Fatumata"],
    "Aminata": ["Aminatta"],
}
ARABIC = dict(GIVEN_FEMALE + GIVEN_MALE + FAMILY)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def person(
    rng: random.Random, born_from: int = 1960, born_to: int = 2015, sex: str = ""
) -> Identity:
    sex = sex or rng.choice("FM")
    given = rng.choice(GIVEN_FEMALE if sex == "F" else GIVEN_MALE)[0]
    family = rng.choice(FAMILY)[0]
    if rng.random() < 0.3:  # a second given name or a father's name
        family = f"{rng.choice(GIVEN_MALE)[0]} {family}"
    year = rng.randint(born_from, born_to)
    born = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Identity(given, family, born, sex)


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["substitute", "delete", "insert", "transpose"])
    if kind == "substitute":
        return word[:i] + rng.choice(LETTERS) + word[i + 1 :]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "insert":
        return word[:i] + rng.choice(LETTERS) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _respell(rng: random.Random, name: str) -> str:
    return " ".join(rng.choice(SPELLINGS[w]) if w in SPELLINGS else w for w in name.split())


def _arabic(name: str) -> str:
    words = name.split()
    if not all(ARABIC.get(w) for w in words):
        return name
    return " ".join(ARABIC[w] for w in words)


def _date_changed(rng: random.Random, born: str) -> str:
    if born.count("-") != 2:  # already changed or missing: left as it is
        return born
    year, month, day = born.split("-")
    kind = rng.choice(["swap", "no_day", "year_only", "slash"])
    if kind == "swap" and int(day) <= 12:
        return f"{year}-{day}-{month}"
    if kind == "no_day":
        return f"{year}-{month}"
    if kind == "year_only":
        return year
    return f"{day}/{month}/{year}"


ERRORS = ("typo", "spelling", "arabic", "swap_names", "date", "no_date")


def variant(rng: random.Random, who: Identity, errors: int = 1) -> Identity:
    """The same person as another entity wrote them down, with `errors` differences."""
    for kind in rng.sample(ERRORS, k=errors):
        if kind == "typo":
            field = rng.choice(["given_name", "family_name"])
            words = getattr(who, field).split()
            j = rng.randrange(len(words))
            words[j] = typo(rng, words[j])
            who = replace(who, **{field: " ".join(words)})
        elif kind == "spelling":
            who = replace(
                who,
                given_name=_respell(rng, who.given_name),
                family_name=_respell(rng, who.family_name),
            )
        elif kind == "arabic":
            who = replace(
                who, given_name=_arabic(who.given_name), family_name=_arabic(who.family_name)
            )
        elif kind == "swap_names":
            who = replace(who, given_name=who.family_name, family_name=who.given_name)
        elif kind == "date":
            who = replace(who, date_of_birth=_date_changed(rng, who.date_of_birth))
        else:
            who = replace(who, date_of_birth="")
    return who
