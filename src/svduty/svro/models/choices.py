"""Code lists for Serious Violence Reduction Orders and the other orders a person may
hold (Sentencing Act 2020 Part 11 Chapter 1A; ../shared/reference/svro-jtai-practice.md
part A)."""

from django.db import models


class Lifecycle(models.TextChoices):
    """Where an order type is in its life (A.1): SVROs were piloted in four forces,
    the pilot ended on 18 April 2025 and national roll-out waits on the s.166(3)
    report. Configuration, never code."""

    PILOT = "pilot", "Pilot (issued only in the pilot areas and dates)"
    PILOT_ENDED = "pilot_ended", "Pilot ended (no new orders; existing orders run on)"
    NATIONAL = "national", "National (issued anywhere in England and Wales)"


class ApplicationStatus(models.TextChoices):
    """The funnel the pilot reports (A.11): people considered, applications, grants.
    Refusals and withdrawals are recorded too."""

    CONSIDERED = "considered", "Considered, no application made"
    PENDING = "pending", "Applied, awaiting the hearing"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


DECIDED = (
    ApplicationStatus.GRANTED,
    ApplicationStatus.REFUSED,
    ApplicationStatus.WITHDRAWN,
)


class WeaponCondition(models.TextChoices):
    """s.342A(3) and (4): which limb of the weapon condition the court found."""

    OWN_USE = "own_use", "The offender used a bladed article or offensive weapon"
    OWN_POSSESSION = "own_possession", "The offender had one with them"
    OTHER_USE = (
        "other_use",
        "Another person used one, and the offender knew or ought to have known",
    )
    OTHER_POSSESSION = (
        "other_possession",
        "Another offender had one with them, and the offender knew or ought to have "
        "known",
    )


class Necessity(models.TextChoices):
    """s.342A(5): the purposes for which the court found the order necessary."""

    PUBLIC = "a", "(a) to protect the public in England and Wales"
    PARTICULAR = "b", "(b) to protect particular people, including the offender"
    PREVENT = "c", "(c) to prevent the offender committing an offence"


class Applicant(models.TextChoices):
    CPS = "cps", "Prosecution (CPS)"
    OFFENDER = "offender", "The offender"
    CHIEF_OFFICER = "chief_officer", "Chief officer of police"
    BTP = "btp", "Chief Constable of British Transport Police"
    OTHER = "other", "Other applicant"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class Ethnicity(models.TextChoices):
    """Self-defined ethnic group: the 19 categories of the 2021 Census (England and
    Wales), plus not stated."""

    ASIAN_BANGLADESHI = "A1", "Asian: Bangladeshi"
    ASIAN_CHINESE = "A2", "Asian: Chinese"
    ASIAN_INDIAN = "A3", "Asian: Indian"
    ASIAN_PAKISTANI = "A4", "Asian: Pakistani"
    ASIAN_OTHER = "A5", "Asian: any other Asian background"
    BLACK_AFRICAN = "B1", "Black: African"
    BLACK_CARIBBEAN = "B2", "Black: Caribbean"
    BLACK_OTHER = "B3", "Black: any other Black background"
    MIXED_WHITE_ASIAN = "M1", "Mixed: White and Asian"
    MIXED_WHITE_AFRICAN = "M2", "Mixed: White and Black African"
    MIXED_WHITE_CARIBBEAN = "M3", "Mixed: White and Black Caribbean"
    MIXED_OTHER = "M4", "Mixed: any other mixed background"
    WHITE_BRITISH = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "W2", "White: Irish"
    WHITE_GYPSY = "W3", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "W4", "White: Roma"
    WHITE_OTHER = "W9", "White: any other White background"
    OTHER_ARAB = "O1", "Other: Arab"
    OTHER_ANY = "O9", "Other: any other ethnic group"
    NOT_STATED = "NS", "Not stated"


class EthnicGroup(models.TextChoices):
    """The five high-level groups of the 2021 Census: officer-perceived ethnicity
    and the level at which rates are compared."""

    ASIAN = "asian", "Asian"
    BLACK = "black", "Black"
    MIXED = "mixed", "Mixed"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


def ethnic_group_of(code: str) -> str:
    """The high-level group of a self-defined 2021 Census category."""
    return {
        "A": EthnicGroup.ASIAN,
        "B": EthnicGroup.BLACK,
        "M": EthnicGroup.MIXED,
        "W": EthnicGroup.WHITE,
        "O": EthnicGroup.OTHER,
    }.get(code[:1], EthnicGroup.NOT_STATED)


class OrderEventKind(models.TextChoices):
    """A.8: what happened to an order. Each event makes a new version of its terms."""

    MADE = "made", "Made"
    VARIED = "varied", "Varied"
    RENEWED = "renewed", "Renewed"
    DISCHARGED = "discharged", "Discharged"
    APPEALED = "appealed", "Appeal decided"


class ForceArea(models.TextChoices):
    """The police force areas of England and Wales, and British Transport Police.
    Orders are issued in (configured) areas; searches may happen in any of them."""

    AVON_AND_SOMERSET = "avon-and-somerset", "Avon and Somerset"
    BEDFORDSHIRE = "bedfordshire", "Bedfordshire"
    BTP = "btp", "British Transport Police"
    CAMBRIDGESHIRE = "cambridgeshire", "Cambridgeshire"
    CHESHIRE = "cheshire", "Cheshire"
    CITY_OF_LONDON = "city-of-london", "City of London"
    CLEVELAND = "cleveland", "Cleveland"
    CUMBRIA = "cumbria", "Cumbria"
    DERBYSHIRE = "derbyshire", "Derbyshire"
    DEVON_AND_CORNWALL = "devon-and-cornwall", "Devon and Cornwall"
    DORSET = "dorset", "Dorset"
    DURHAM = "durham", "Durham"
    DYFED_POWYS = "dyfed-powys", "Dyfed-Powys"
    ESSEX = "essex", "Essex"
    GLOUCESTERSHIRE = "gloucestershire", "Gloucestershire"
    GREATER_MANCHESTER = "greater-manchester", "Greater Manchester"
    GWENT = "gwent", "Gwent"
    HAMPSHIRE = "hampshire", "Hampshire and Isle of Wight"
    HERTFORDSHIRE = "hertfordshire", "Hertfordshire"
    HUMBERSIDE = "humberside", "Humberside"
    KENT = "kent", "Kent"
    LANCASHIRE = "lancashire", "Lancashire"
    LEICESTERSHIRE = "leicestershire", "Leicestershire"
    LINCOLNSHIRE = "lincolnshire", "Lincolnshire"
    MERSEYSIDE = "merseyside", "Merseyside"
    METROPOLITAN = "metropolitan", "Metropolitan Police"
    NORFOLK = "norfolk", "Norfolk"
    NORTH_WALES = "north-wales", "North Wales"
    NORTH_YORKSHIRE = "north-yorkshire", "North Yorkshire"
    NORTHAMPTONSHIRE = "northamptonshire", "Northamptonshire"
    NORTHUMBRIA = "northumbria", "Northumbria"
    NOTTINGHAMSHIRE = "nottinghamshire", "Nottinghamshire"
    SOUTH_WALES = "south-wales", "South Wales"
    SOUTH_YORKSHIRE = "south-yorkshire", "South Yorkshire"
    STAFFORDSHIRE = "staffordshire", "Staffordshire"
    SUFFOLK = "suffolk", "Suffolk"
    SURREY = "surrey", "Surrey"
    SUSSEX = "sussex", "Sussex"
    THAMES_VALLEY = "thames-valley", "Thames Valley"
    WARWICKSHIRE = "warwickshire", "Warwickshire"
    WEST_MERCIA = "west-mercia", "West Mercia"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    WEST_YORKSHIRE = "west-yorkshire", "West Yorkshire"
    WILTSHIRE = "wiltshire", "Wiltshire"


class NotifiableEvent(models.TextChoices):
    """A.5: what an order holder must notify, each within the type's period."""

    INITIAL = "initial", "Initial notification (names and home address)"
    NEW_NAME = "new_name", "Using a name not notified"
    NEW_HOME = "new_home", "New home address"
    OTHER_PREMISES = "other_premises", "Other premises where they regularly stay"
    MONTH_RESIDENCE = (
        "month_residence",
        "Living somewhere for a month or more",
    )
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode: a place where regularly found"


class AddressKind(models.TextChoices):
    HOME = "home", "Home address"
    OTHER_PREMISES = "other_premises", "Other premises regularly stayed at"
    MONTH_RESIDENCE = "month_residence", "Living for a month or more"
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode: where regularly found"


ADDRESS_OF_EVENT = {
    NotifiableEvent.INITIAL: AddressKind.HOME,
    NotifiableEvent.NEW_HOME: AddressKind.HOME,
    NotifiableEvent.OTHER_PREMISES: AddressKind.OTHER_PREMISES,
    NotifiableEvent.MONTH_RESIDENCE: AddressKind.MONTH_RESIDENCE,
    NotifiableEvent.NO_FIXED_ABODE: AddressKind.NO_FIXED_ABODE,
}


class IdentityMethod(models.TextChoices):
    PNC = "pnc", "Police National Computer check"
    KNOWN = "known", "Known to the officer"
    DOCUMENT = "document", "Identity document"
    OTHER = "other", "Other"


class Gowisely(models.TextChoices):
    """PACE s.2(2)-(3), Code A 3.8: what the officer told the person."""

    GROUNDS = "grounds", "Grounds: subject to an SVRO"
    OBJECT = "object", "Object of the search"
    WARRANT = "warrant", "Warrant card (if not in uniform)"
    IDENTITY = "identity", "Identity of the officer"
    STATION = "station", "Station the officer is attached to"
    ENTITLEMENT = "entitlement", "Entitlement to a copy of the record"
    LEGAL_POWER = "legal_power", "Legal power: Sentencing Act 2020 s.342E"
    DETAINED = "detained", "You are detained for the purpose of a search"


class WeaponType(models.TextChoices):
    KNIFE = "knife", "Knife or bladed article"
    OFFENSIVE = "offensive", "Other offensive weapon"
    FIREARM = "firearm", "Firearm or imitation"
    OTHER = "other", "Other item"


class SearchOutcome(models.TextChoices):
    NFA = "nfa", "No further action"
    ARREST = "arrest", "Arrest"
    OTHER = "other", "Other outcome (for example a summons or warning)"


class BreachKind(models.TextChoices):
    """s.342G offences (A.7)."""

    FAIL_TO_NOTIFY = (
        "fail_to_notify",
        "Failing to comply with a notification requirement",
    )
    FALSE_INFORMATION = "false_information", "Giving false information"
    DENYING_ORDER = (
        "denying_order",
        "Telling a constable they are not subject to an order",
    )
    OBSTRUCTION = "obstruction", "Intentionally obstructing a search"


class Investigation(models.TextChoices):
    SUSPECTED = "suspected", "Suspected, under investigation"
    NO_FURTHER_ACTION = "nfa", "No further action"
    CHARGED = "charged", "Charged"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"


class Sentence(models.TextChoices):
    IMPRISONMENT = "imprisonment", "Imprisonment"
    SUSPENDED = "suspended", "Suspended sentence"
    COMMUNITY = "community", "Community order"
    FINE = "fine", "Fine"
    CONDITIONAL_DISCHARGE = "conditional_discharge", "Conditional discharge"
    ABSOLUTE_DISCHARGE = "absolute_discharge", "Absolute discharge"
    OTHER = "other", "Other"
