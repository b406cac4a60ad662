#!/usr/bin/python3
"""Build test/django-fixture/ with real Django: the database, MEDIA_ROOT, a dumpdata
JSON file and users.json (what each user is and what the import should do with them).

Run from anywhere: /usr/bin/python3 scripts/django-fixture/make_fixture.py
(Debian's python3-django, python3-argon2, python3-bcrypt, python3-pil; see README.md.)
Salts, dates and files are fixed, so a rerun with the same packages gives the same bytes.
"""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the work tree

import hashlib
import json
import os
import platform
import random
import shutil
import time
import warnings
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SITE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fixture_site.settings")
# Django 4.2 warns that the SHA1 and unsalted hashers go away in 5.1: making such
# hashes is the point here.
warnings.filterwarnings("ignore", message=r".*PasswordHasher is deprecated")

import django  # noqa: E402

django.setup()

import argon2  # noqa: E402
import bcrypt  # noqa: E402
import PIL  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import hashers as dj  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402
from django.utils.crypto import RANDOM_STRING_CHARS  # noqa: E402

from app_1.models import Profile  # noqa: E402
from fixture_site import hashers as legacy, pictures  # noqa: E402
from fixture_site.conflicts import find_conflicts  # noqa: E402
from fixture_site.people import PEOPLE, utc  # noqa: E402

OUT = Path(settings.OUTPUT_DIR)
# Kept in the repository's fixture folder, whatever OUTPUT_DIR is.
ALLAUTH_SQL = Path(__file__).resolve().parents[2] / "test" / "django-fixture" / "allauth.sql"

# key -> (Django hasher, where those parameters come from)
HASHERS = {
    "pbkdf2_sha256_600k": (dj.PBKDF2PasswordHasher, "Django 4.2 default: PBKDF2PasswordHasher, 600,000 iterations"),
    "pbkdf2_sha256_260k": (legacy.PBKDF2Django32PasswordHasher, "Django 3.2 default: PBKDF2PasswordHasher, 260,000 iterations"),
    "pbkdf2_sha256_1m": (legacy.PBKDF2Django52PasswordHasher, "Django 5.2 default: PBKDF2PasswordHasher subclass, 1,000,000 iterations"),
    "pbkdf2_sha1_260k": (legacy.PBKDF2SHA1Django32PasswordHasher, "PBKDF2SHA1PasswordHasher at Django 3.2's 260,000 iterations"),
    "argon2id": (dj.Argon2PasswordHasher, "Django 3.2-5.2 default Argon2PasswordHasher: argon2id, t=2, m=102400 KiB, p=8"),
    "argon2i": (legacy.Argon2iDjango31PasswordHasher, "Django 1.10-3.1 Argon2PasswordHasher: argon2i, t=2, m=512 KiB, p=2"),
    "bcrypt_sha256": (dj.BCryptSHA256PasswordHasher, "BCryptSHA256PasswordHasher, 12 rounds"),
    "bcrypt": (dj.BCryptPasswordHasher, "BCryptPasswordHasher (no sha256 step), 12 rounds"),
    "scrypt": (dj.ScryptPasswordHasher, "Django 4.0+ ScryptPasswordHasher: N=16384, r=8, p=1"),
    "md5": (dj.MD5PasswordHasher, "MD5PasswordHasher (salted)"),
    "sha1": (dj.SHA1PasswordHasher, "SHA1PasswordHasher (salted, removed in Django 5.1)"),
    "unsalted_md5": (dj.UnsaltedMD5PasswordHasher, "UnsaltedMD5PasswordHasher (removed in Django 5.1)"),
    "unsalted_md5_prefixed": (dj.UnsaltedMD5PasswordHasher, "UnsaltedMD5PasswordHasher behind 'md5$$' (accepted by Django's identify_hasher)"),
    "unsalted_sha1": (dj.UnsaltedSHA1PasswordHasher, "UnsaltedSHA1PasswordHasher (removed in Django 5.1)"),
    "unusable": (None, "User.set_unusable_password()"),
    "empty": (None, "User.objects.create() without a password: empty column"),
}
# The formats the issue asks to verify at sign-in; anything else imports as "must reset".
VERIFIED_ALGORITHMS = {"pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "scrypt"}
HASH_PARAM_KEYS = ("iterations", "variety", "version", "memory_cost", "time_cost", "parallelism", "work_factor", "block_size")

PICTURE_MAKERS = {
    "jpeg_gps": pictures.make_gps_jpeg,
    "png": pictures.make_png,
    "jpeg_unicode_name": pictures.make_unicode_named_jpeg,
    "not_an_image": pictures.make_not_an_image,
}
PICTURE_EXPECT = {
    "default": "default_avatar",
    "no_profile_row": "default_avatar",
    "jpeg_gps": "processed",
    "png": "processed",
    "jpeg_unicode_name": "processed",
    "not_an_image": "default_avatar_reported",
    "missing_file": "default_avatar_reported",
}
FIXED_MIGRATION_TIME = utc(2024, 1, 1)


def main():
    remove_previous_output()
    call_command("migrate", verbosity=0)
    # The migration log records "now"; a fixed time keeps reruns byte-identical.
    MigrationRecorder.Migration.objects.update(applied=FIXED_MIGRATION_TIME)
    default_storage.save("default.jpg", ContentFile(pictures.make_default_jpeg()[1]))

    timings = {}
    for person in PEOPLE:
        started = time.perf_counter()
        user = create_user(person)
        timings[person.username] = time.perf_counter() - started
        attach_profile(user, person)

    entries = [describe(person) for person in PEOPLE]
    conflicts = find_conflicts(entries)
    for entry in entries:
        entry["conflicts"] = sorted({c["kind"] for c in conflicts if entry["username"] in c["usernames"]})

    call_command("dumpdata", "auth.user", "app_1.profile", indent=2, output=str(OUT / "dumpdata.json"), verbosity=0)
    connection.close()
    add_allauth_addresses(OUT / "db.sqlite3", OUT / "dumpdata.json")
    write_manifest(entries, conflicts)
    print_summary(entries, conflicts, timings)


def add_allauth_addresses(database, dumpdata):
    """django-allauth's account.EmailAddress rows (which addresses were verified), without
    installing allauth: test/django-fixture/allauth.sql creates its table as allauth's
    migrations leave it and fills it; the same rows are appended to the dumpdata file as
    "account.emailaddress" entries, as `manage.py dumpdata account.emailaddress` writes them.
    Then VACUUM, as before."""
    import sqlite3

    db = sqlite3.connect(database)
    db.executescript(ALLAUTH_SQL.read_text())
    rows = db.execute('SELECT id, user_id, email, verified, "primary" FROM account_emailaddress ORDER BY id').fetchall()
    db.commit()
    db.execute("VACUUM")
    db.close()
    entries = json.loads(dumpdata.read_text())
    for pk, user, email, verified, primary in rows:
        entries.append({"model": "account.emailaddress", "pk": pk, "fields": {"user": user, "email": email, "verified": bool(verified), "primary": bool(primary)}})
    # Django's layout: top-level objects unindented, their contents by 2.
    dumpdata.write_text("[\n" + ",\n".join(json.dumps(entry, indent=2, ensure_ascii=False) for entry in entries) + "\n]\n")


def remove_previous_output():
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(OUT / "media", ignore_errors=True)
    for name in ("db.sqlite3", "dumpdata.json", "users.json"):
        (OUT / name).unlink(missing_ok=True)


def create_user(person):
    if person.create == "create_superuser":
        user = User.objects.create_superuser(person.username, person.email)
    elif person.create == "orm_create":
        user = User.objects.create(username=person.username, email=person.email)
    else:
        user = User.objects.create_user(person.username, person.email)
    user.first_name, user.last_name = person.first_name, person.last_name
    user.is_active = person.is_active
    user.is_staff = user.is_staff or person.is_staff
    user.date_joined, user.last_login = person.date_joined, person.last_login
    set_password(user, person)
    user.save()
    return user


def set_password(user, person):
    if person.hasher == "empty":
        user.password = ""
        return
    if person.hasher == "unusable":
        user.set_unusable_password()
        # Same prefix and length as Django's, with a seeded suffix instead of a random one.
        user.password = "!" + seeded_text(f"unusable:{person.username}", len(user.password) - 1)
        return
    hasher = HASHERS[person.hasher][0]()
    encoded = dj.make_password(person.password, salt=seeded_salt(person.username, hasher), hasher=hasher)
    if person.hasher == "unsalted_md5_prefixed":
        encoded = "md5$$" + encoded
    user.password = encoded


def seeded_salt(username, hasher):
    seed = f"salt:{username}"
    if isinstance(hasher, dj.BCryptSHA256PasswordHasher):  # BCryptPasswordHasher too
        alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        # 22 characters carry 128 bits: the last one's low 4 bits must be zero.
        body = seeded_text(seed, 21, alphabet) + random.Random(seed + ":last").choice(".Oeu")
        return f"$2b${hasher.rounds:02d}${body}".encode()
    length = len(hasher.salt())  # 22 for Django's salted hashers, 0 for the unsalted ones
    return seeded_text(seed, length) if length else ""


def seeded_text(seed, length, alphabet=RANDOM_STRING_CHARS):
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def attach_profile(user, person):
    if person.picture == "no_profile_row":
        return
    profile = Profile.objects.create(user=user)
    if person.picture == "missing_file":
        profile.profile_pic = f"profile_pics/{person.username}.jpg"
        profile.save()
    elif person.picture in PICTURE_MAKERS:
        name, data = PICTURE_MAKERS[person.picture]()
        profile.profile_pic.save(name, ContentFile(data))  # Django's storage picks the path


def describe(person):
    """The manifest entry, read back from the database and checked with Django."""
    user = User.objects.get(username=person.username)
    encoded = user.password
    algorithm, params = identify(encoded)
    accepted = dj.check_password(person.password, encoded) if person.password is not None else None
    rejects = person.rejects + ([f"X{person.password}"] if person.password else ["", person.username])
    problems = [f"Django rejects the password ({algorithm})"] if person.password is not None and not accepted else []
    problems += [f"Django accepts {p!r}" for p in rejects if dj.check_password(p, encoded)]
    problems += [f"Django rejects {p!r}" for p in person.also_accepts if not dj.check_password(p, encoded)]
    if problems:
        raise SystemExit(f"{person.username}: " + "; ".join(problems))

    verifies = algorithm in VERIFIED_ALGORITHMS
    profile = Profile.objects.filter(user=user).first()
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "password": person.password,
        "password_hash": encoded,
        "hasher": person.hasher,
        "algorithm": algorithm,
        "hash_params": params,
        "hasher_source": HASHERS[person.hasher][1],
        "django_check_password": accepted,
        "django_has_usable_password": user.has_usable_password(),
        "django_rejects": rejects,
        "django_also_accepts": person.also_accepts,
        "profile_pic": profile.profile_pic.name if profile else None,
        "picture": person.picture,
        "expect": {
            "password": "verifies" if verifies else "must_reset",
            "sign_in": ("ok" if user.is_active else "inactive") if verifies else "reset_path",
            "picture": PICTURE_EXPECT[person.picture],
        },
        "notes": person.notes,
    }


def identify(encoded):
    try:
        hasher = dj.identify_hasher(encoded)
    except ValueError:
        return None, {}  # unusable ("!...") or empty
    decoded = hasher.decode(encoded)
    return hasher.algorithm, {k: decoded[k] for k in HASH_PARAM_KEYS if k in decoded}


def write_manifest(entries, conflicts):
    manifest = {
        "generated_by": "scripts/django-fixture/make_fixture.py",
        "django_version": django.get_version(),
        "libraries": {
            "python": platform.python_version(),
            "argon2-cffi": argon2.__version__,
            "bcrypt": bcrypt.__version__,
            "Pillow": PIL.__version__,
            "sqlite": connection.Database.sqlite_version,
        },
        "files": {"database": "db.sqlite3", "media_root": "media", "dumpdata": "dumpdata.json"},
        "profile_table": Profile._meta.db_table,
        "profile_column": "profile_pic",
        "default_picture": Profile._meta.get_field("profile_pic").default,
        "expect_values": {
            "password": "verifies: the Django password signs in and is rehashed; must_reset: imported "
            "without a usable password, the user is sent to the reset link",
            "sign_in": "ok | inactive (right password, account refused as Django's ModelBackend does) | reset_path",
            "picture": "processed (square WebP, no EXIF) | default_avatar | default_avatar_reported "
            "(the file cannot be used: default avatar and a line in the report)",
            "conflicts": "kinds from fixture_site/conflicts.py; how each is resolved is the importer's rule",
        },
        "conflicts": conflicts,
        "media": describe_media(),
        "users": entries,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (OUT / "users.json").write_text(text, encoding="utf-8")


def describe_media():
    root = OUT / "media"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return [
        {"path": p.relative_to(root).as_posix(), "bytes": p.stat().st_size, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for p in files
    ]


def print_summary(entries, conflicts, timings):
    for e in entries:
        print(f"{e['id']:>3} {e['username']:<20} {str(e['algorithm']):<14} {e['expect']['password']:<10} "
              f"{e['picture']:<18} {timings[e['username']] * 1000:7.0f} ms  {','.join(e['conflicts'])}")
    for c in conflicts:
        print(f"conflict {c['kind']}: {c['usernames']}")
    print(f"Django {django.get_version()}: {len(entries)} users written to {OUT}")


if __name__ == "__main__":
    main()
