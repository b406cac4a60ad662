# Settings of the throwaway Django site that builds test/django-fixture/.
import os
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent  # scripts/django-fixture
REPO_ROOT = SITE_DIR.parent.parent
# FIXTURE_OUTPUT_DIR lets a second run go elsewhere, to compare two runs byte for byte.
OUTPUT_DIR = Path(os.environ.get("FIXTURE_OUTPUT_DIR", REPO_ROOT / "test" / "django-fixture"))

# Not a secret: nothing here signs anything that leaves this machine.
SECRET_KEY = "django-fixture-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = []

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "app_1",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": OUTPUT_DIR / "db.sqlite3",
    }
}

MEDIA_ROOT = OUTPUT_DIR / "media"
MEDIA_URL = "/media/"

USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django 4.2's default list first (so check_password() verifies with Django's own
# classes), then the legacy hashers an old site may still have enabled.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
]
