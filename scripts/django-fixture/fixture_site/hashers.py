# Django's own hashers with the defaults of other Django releases. Each keeps its
# parent's algorithm name, so the stock classes in PASSWORD_HASHERS verify what
# they make: only the cost parameters (and for argon2i the variant) differ.
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher,
)


class PBKDF2Django32PasswordHasher(PBKDF2PasswordHasher):
    iterations = 260_000


class PBKDF2Django52PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000_000


class PBKDF2SHA1Django32PasswordHasher(PBKDF2SHA1PasswordHasher):
    iterations = 260_000


class Argon2iDjango31PasswordHasher(Argon2PasswordHasher):
    """Django 1.10 to 3.1: argon2i, 512 KiB, 2 lanes (3.2 moved to argon2id, 100 MiB, 8 lanes)."""

    memory_cost = 512
    parallelism = 2

    def params(self):
        argon2 = self._load_library()
        params = super().params()
        params.type = argon2.low_level.Type.I
        return params
