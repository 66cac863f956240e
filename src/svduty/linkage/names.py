"""Name knowledge the linkage uses: short forms and nicknames, and the usual
romanisations of names from other scripts. :func:`root` maps each to one form so
that "Liz" and "Elizabeth", or "Mohammed" and "Muhammad", compare as one name."""

from __future__ import annotations

from svduty.cases.rules import normalise_name, soundex

#: Short forms and nicknames: the canonical name to what partners also write.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Elizabeth": ("Liz", "Beth", "Lizzie", "Eliza"),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Rebecca": ("Becky", "Becca"),
    "Abigail": ("Abbie", "Abby"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam", "Sammy"),
    "Jennifer": ("Jen", "Jenny"),
    "Jessica": ("Jess",),
    "Charlotte": ("Lottie", "Charlie"),
    "Florence": ("Flo",),
    "Matilda": ("Tilly",),
    "Isabella": ("Bella", "Izzy"),
    "Sophia": ("Sophie",),
    "William": ("Will", "Billy", "Liam"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jamie"),
    "Daniel": ("Dan", "Danny"),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benny"),
    "Matthew": ("Matt",),
    "Christopher": ("Chris",),
    "Jonathan": ("Jon", "Jonny"),
    "Alexander": ("Alex", "Alfie"),
    "Nicholas": ("Nick", "Nicky"),
    "Michael": ("Mike", "Mikey"),
    "Anthony": ("Tony", "Ant"),
    "Joseph": ("Joe", "Joey"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Robert": ("Rob", "Bob", "Bobby"),
    "Richard": ("Rich", "Dick", "Ricky"),
    "Theodore": ("Theo", "Teddy"),
    "Frederick": ("Freddie", "Fred"),
    "Callum": ("Cal",),
    "Bradley": ("Brad",),
    "Nathan": ("Nate",),
    "Joshua": ("Josh",),
    "Jacob": ("Jake",),
    "Oliver": ("Ollie",),
    "Harry": ("Harrison",),
    "Archie": ("Archibald",),
}
#: Spellings of one name in another script's usual romanisations.
TRANSLITERATIONS: tuple[tuple[str, ...], ...] = (
    ("Muhammad", "Mohammed", "Mohammad", "Muhammed", "Mohamed"),
    ("Yusuf", "Yousef", "Yusef", "Youssef"),
    ("Aisha", "Aysha", "Ayesha", "Aishah"),
    ("Fatima", "Fatimah", "Fatma"),
    ("Ibrahim", "Ebrahim", "Ibraheem"),
    ("Hussain", "Hussein", "Husain"),
    ("Rahman", "Rehman", "Rahmaan"),
    ("Mahmood", "Mahmoud", "Mehmood"),
    ("Omar", "Umar"),
    ("Hassan", "Hasan"),
    ("Zainab", "Zaynab", "Zeinab"),
    ("Maryam", "Mariam", "Miriam"),
    ("Amira", "Ameera"),
    ("Chen", "Chan"),
    ("Nguyen", "Nguyễn"),
)
VARIANTS: dict[str, tuple[str, ...]] = {}
for _group in TRANSLITERATIONS:
    for _name in _group:
        VARIANTS[_name] = tuple(n for n in _group if n != _name)


_ROOTS: dict[str, str] = {}
for _canonical, _shorts in NICKNAMES.items():
    for _short in _shorts:
        _ROOTS.setdefault(normalise_name(_short), normalise_name(_canonical))
for _group in TRANSLITERATIONS:
    for _name in _group:
        _ROOTS[normalise_name(_name)] = normalise_name(_group[0])


def root(name: str) -> str:
    """The one form a name, its short forms and its spellings share."""
    plain = normalise_name(name)
    return _ROOTS.get(plain, plain)


def sounds_like(name: str) -> str:
    return soundex(name)
