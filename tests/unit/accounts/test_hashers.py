"""Sign-in's password hasher: Argon2id with OWASP's parameters (issue 16, point 8)."""

from django.contrib.auth.hashers import Argon2PasswordHasher

from svduty.accounts.hashers import OwaspArgon2PasswordHasher


def test_parameters_are_owasps_argon2id():
    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("correct horse battery staple", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("correct horse battery staple", encoded)
    assert not hasher.verify("wrong", encoded)
    assert not hasher.must_update(encoded)


def test_a_hash_made_with_djangos_defaults_still_verifies_and_is_upgraded():
    old = Argon2PasswordHasher()
    encoded = old.encode("correct horse battery staple", old.salt())
    hasher = OwaspArgon2PasswordHasher()
    assert hasher.verify("correct horse battery staple", encoded)
    assert hasher.must_update(encoded)
