import factory
from allauth.mfa.models import Authenticator

from svduty.accounts.models import Agency, AgencyType, Membership, User

TEST_PASSWORD = "correct-horse-battery-staple"


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
    full_name = factory.Faker("name", locale="en_GB")
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
