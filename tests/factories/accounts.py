import factory
from allauth.mfa.models import Authenticator

from svduty.accounts.models import Agency, AgencyType, Membership, User

TEST_PASSWORD = "correct-horse-battery-staple"

#: First names the tests give children (``first_name="..."``) and then look for in a
#: page, present or absent. A staff user's random name never contains one of them:
#: "Alex Hartley" signed in once made "Alex" appear on a page that must not show the
#: child Alex. tests/unit/core/test_test_layout.py fails if a test uses a first
#: name missing here.
CHILD_FIRST_NAMES = frozenset(
    {
        "Active",
        "Alex",
        "Ann",
        "Anne",
        "Ash",
        "Bartholomew",
        "Bill",
        "Billie",
        "Bo",
        "Carer",
        "Casey",
        "Cy",
        "Dee",
        "Eli",
        "Eve",
        "Gone",
        "Hidden",
        "Jordan",
        "Linked",
        "Morgan",
        "Oth",
        "Other",
        "Placed",
        "Pol",
        "Remy",
        "Res",
        "Rob",
        "Robin",
        "Sam",
        "Served",
        "Sid",
        "Sunita",
        "Unrelated",
        "William",
        "Zeb",
    }
)

_faker = factory.Faker._get_faker(locale="en_GB")


def staff_name() -> str:
    """A realistic name for a staff user that holds no child's first name used in
    the tests (checked as text, case-sensitively, as the pages are searched)."""
    while True:
        name = _faker.name()
        if not any(child in name for child in CHILD_FIRST_NAMES):
            return name


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.LOCAL_AUTHORITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(staff_name)
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    roles = factory.LazyFunction(list)
    is_active = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if not create:
            return
        for index, agency in enumerate(extracted or [AgencyFactory()]):
            Membership.objects.create(user=self, agency=agency, is_primary=index == 0)


def give_totp(user: User) -> str:
    """Activate an authenticator app for `user`; returns the base32 secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
