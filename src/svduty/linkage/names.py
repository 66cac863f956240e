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


#: Short forms of two names ("Sam" for Samantha and for Samuel): the other one.
_OTHER_ROOTS: dict[str, str] = {}
for _canonical, _shorts in NICKNAMES.items():
    for _short in _shorts:
        _plain = normalise_name(_short)
        if _ROOTS[_plain] != normalise_name(_canonical):
            _OTHER_ROOTS[_plain] = normalise_name(_canonical)


def root(name: str) -> str:
    """The one form a name, its short forms and its spellings share."""
    plain = normalise_name(name)
    return _ROOTS.get(plain, plain)


def other_root(name: str) -> str:
    """For a short form of two names, the root :func:`root` does not give
    ("Sam": Samuel, where root gives Samantha); otherwise the root itself."""
    plain = normalise_name(name)
    return _OTHER_ROOTS.get(plain) or root(name)


#: Given names common in England and Wales (ONS baby-name lists, 2000 to 2020):
#: a name of its own, never read as a typing slip of a name near it ("Jade" is not
#: a mistyped "Jake").
COMMON_FORENAMES = [
    "Aaron",
    "Abbie",
    "Adam",
    "Aisha",
    "Albie",
    "Alfie",
    "Ali",
    "Alice",
    "Amelia",
    "Amira",
    "Amy",
    "Anna",
    "Archie",
    "Aria",
    "Arthur",
    "Ava",
    "Bethany",
    "Bradley",
    "Caitlin",
    "Callum",
    "Charlie",
    "Charlotte",
    "Chelsea",
    "Chloe",
    "Connor",
    "Courtney",
    "Craig",
    "Daisy",
    "Daniel",
    "Dean",
    "Dylan",
    "Elijah",
    "Ella",
    "Ellie",
    "Elsie",
    "Emily",
    "Emma",
    "Erin",
    "Esme",
    "Ethan",
    "Eva",
    "Evie",
    "Fatima",
    "Finley",
    "Florence",
    "Freddie",
    "Freya",
    "George",
    "Grace",
    "Hannah",
    "Harper",
    "Harry",
    "Harvey",
    "Hassan",
    "Hayley",
    "Henry",
    "Holly",
    "Ibrahim",
    "Isaac",
    "Isabella",
    "Isla",
    "Ivy",
    "Jack",
    "Jacob",
    "Jade",
    "Jake",
    "James",
    "Jamie",
    "Jaxon",
    "Jessica",
    "Jordan",
    "Joseph",
    "Joshua",
    "Jude",
    "Kai",
    "Kayleigh",
    "Kieran",
    "Kyle",
    "Laura",
    "Lauren",
    "Layla",
    "Leah",
    "Leo",
    "Lewis",
    "Liam",
    "Lily",
    "Logan",
    "Louie",
    "Louis",
    "Lucas",
    "Lucy",
    "Luke",
    "Luna",
    "Maisie",
    "Maryam",
    "Mason",
    "Matilda",
    "Max",
    "Megan",
    "Mia",
    "Millie",
    "Molly",
    "Muhammad",
    "Nancy",
    "Nathan",
    "Niamh",
    "Noah",
    "Oliver",
    "Olivia",
    "Omar",
    "Oscar",
    "Paige",
    "Phoebe",
    "Poppy",
    "Rachel",
    "Reece",
    "Reuben",
    "Ronnie",
    "Rory",
    "Rosie",
    "Ruby",
    "Ryan",
    "Samuel",
    "Sarah",
    "Scarlett",
    "Scott",
    "Sean",
    "Sebastian",
    "Shane",
    "Shannon",
    "Sienna",
    "Sophia",
    "Sophie",
    "Teddy",
    "Theodore",
    "Thomas",
    "Toby",
    "Tommy",
    "Tyler",
    "William",
    "Willow",
    "Yusuf",
    "Zainab",
    "Zara",
]

#: Every name the lists above know, in plain lower-case letters.
_KNOWN: frozenset[str] = frozenset(
    {
        *_ROOTS,
        *_ROOTS.values(),
        *(normalise_name(n) for n in NICKNAMES),
        *(normalise_name(n) for n in COMMON_FORENAMES),
    }
)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


#: Each known name and every string one letter shorter, to the known names they
#: come from: two words one typing slip apart share an entry ("symmetric delete").
_NEAR: dict[str, set[str]] = {}
for _known in _KNOWN:
    for _key in {_known, *_deletions(_known)}:
        _NEAR.setdefault(_key, set()).add(_known)


def _one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter added, left out or changed, or
    two neighbouring letters swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


#: Shorter unknown names are not read as a slip: too many real names of three
#: letters are one letter from another (Tim and Tom).
SLIP_MIN_LENGTH = 4


def slip_root(name: str) -> str:
    """The root of ``name``, reading an unknown name one typing slip from known
    names of a single root as that root ("Floo" as Florence, "Thwmas" as
    Thomas): what a mistyped short form or spelling shares with the full name.
    A known name, a short one or one near names of several roots keeps its own
    root."""
    plain = normalise_name(name)
    if plain in _KNOWN or len(plain) < SLIP_MIN_LENGTH:
        return root(name)
    near = {
        known
        for key in {plain, *_deletions(plain)}
        for known in _NEAR.get(key, ())
        if _one_slip(plain, known)
    }
    roots = {_ROOTS.get(known, known) for known in near}
    return roots.pop() if len(roots) == 1 else plain


def sounds_like(name: str) -> str:
    return soundex(name)
