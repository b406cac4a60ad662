# The users of the fixture, in creation order (their ids are 1..N in this order).
#
# hasher: a key of HASHERS in make_fixture.py, or "unusable" / "empty".
# picture: what the profile holds (see PICTURES in make_fixture.py), or "no_profile_row".
# create: "create_user" (Django's manager: NFKC username, lower-cased email domain),
#         "create_superuser", or "orm_create" (User.objects.create: stored as given, no
#         normalisation and no password, as old Django versions or scripts could).
# rejects: passwords that must NOT verify in Django (checked when the fixture is built).
# also_accepts: passwords other than `password` that Django does accept.
from dataclasses import dataclass, field
from datetime import datetime, timezone


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@dataclass
class Person:
    username: str
    email: str
    password: str | None
    hasher: str
    picture: str = "default"
    create: str = "create_user"
    is_active: bool = True
    is_staff: bool = False
    first_name: str = ""
    last_name: str = ""
    date_joined: datetime = utc(2021, 4, 6, 9, 30)
    last_login: datetime | None = None
    rejects: list[str] = field(default_factory=list)
    also_accepts: list[str] = field(default_factory=list)
    notes: str = ""


LONG_PASSWORD = " ".join(["The quick brown fox jumps over the lazy dog."] * 5)  # 224 chars
# 81 ASCII bytes: bcrypt (without Django's sha256 step) only reads the first 72.
BCRYPT_OVERLONG_PASSWORD = "peggy-" + "0123456789" * 7 + "-tail"
# NFC: "ë" and "é" are single code points; the key is outside the BMP (a UTF-16 pair).
UNICODE_PASSWORD = "Zo\u00eb-\u043f\u0430\u0440\u043e\u043b\u044c-\u5bc6\u7801-caf\u00e9-\U0001f511"

PEOPLE = [
    Person("admin", "admin@example.com", "admin-Pa55word-4.2", "pbkdf2_sha256_600k",
           create="create_superuser", first_name="Ada", last_name="Admin",
           date_joined=utc(2019, 1, 2, 3, 4, 5), last_login=utc(2024, 11, 20, 8, 15, 42, 123456),
           notes="superuser and staff; hash made by Django 4.2's default PBKDF2 (600,000)"),
    Person("staffer", "staff@example.com", "staff only, please", "pbkdf2_sha256_260k",
           is_staff=True, date_joined=utc(2019, 6, 1), last_login=utc(2024, 10, 1, 12, 0, 0),
           notes="staff, not superuser; password contains spaces"),
    Person("Alice", "alice@example.com", "Wonderland-1865", "pbkdf2_sha256_260k",
           picture="jpeg_gps", first_name="Alice", last_name="Liddell",
           date_joined=utc(2020, 2, 29, 23, 59, 59, 999999), last_login=utc(2024, 9, 9, 9, 9, 9),
           rejects=["wonderland-1865"]),
    Person("alice", "alice.l@example.org", "rabbit-hole-argon2id", "argon2id",
           picture="png", date_joined=utc(2021, 3, 3), last_login=utc(2024, 3, 3, 3, 3, 3),
           notes="same username as Alice except for case"),
    Person("bob", "bob@example.com", "million-iterations-bob", "pbkdf2_sha256_1m",
           date_joined=utc(2021, 5, 5, 5, 5, 5), last_login=None,
           notes="never signed in (last_login NULL)"),
    Person("\uff42\uff4f\uff42", "bob.fullwidth@example.com", "fullwidth-bob-bcrypt", "bcrypt_sha256",
           create="orm_create", date_joined=utc(2016, 7, 1),
           notes="fullwidth 'bob' (U+FF42 U+FF4F U+FF42), stored without NFKC: equal to 'bob' under NFKC"),
    Person("carol", "Carol@Example.com", "carol-sha1-pbkdf2", "pbkdf2_sha1_260k",
           date_joined=utc(2020, 1, 1), last_login=utc(2023, 12, 31, 23, 0, 0),
           notes="create_user lower-cases only the email domain: stored Carol@example.com"),
    Person("carol2", "carol@example.com", "old-django-argon2i", "argon2i",
           date_joined=utc(2018, 8, 8), last_login=utc(2020, 8, 8, 8, 8, 8),
           notes="same email as carol except for case; argon2i as Django 1.10-3.1 made it"),
    Person("dave", "", "dave-bcrypt-no-email", "bcrypt",
           date_joined=utc(2017, 2, 2), last_login=utc(2022, 2, 2, 2, 2, 2),
           notes="no email"),
    Person("erin", "erin.example.com", "  spaces around scrypt  ", "scrypt",
           date_joined=utc(2022, 6, 1), last_login=utc(2024, 6, 1, 6, 1, 0),
           rejects=["spaces around scrypt"],
           notes="invalid email (no @); the password starts and ends with two spaces: never trim"),
    Person("frank", "frank@example.com", "frank-is-inactive", "pbkdf2_sha256_260k",
           is_active=False, date_joined=utc(2019, 9, 9), last_login=utc(2020, 1, 1),
           notes="inactive: the password is right but sign-in must be refused"),
    Person("grace", "grace@example.com", "grace-salted-md5", "md5",
           date_joined=utc(2015, 3, 15), notes="salted MD5"),
    Person("heidi", "heidi@example.com", "heidi-salted-sha1", "sha1",
           date_joined=utc(2014, 4, 14), notes="salted SHA1"),
    Person("ivan", "ivan@example.com", "ivan-unsalted-md5", "unsalted_md5",
           date_joined=utc(2010, 10, 10), notes="bare 32-hex MD5, as pre-1.0 Django stored it"),
    Person("judy", "judy@example.com", "judy-md5-empty-salt", "unsalted_md5_prefixed",
           date_joined=utc(2011, 11, 11),
           notes="md5$$<hex>: Django's unsalted MD5 behind the empty-salt prefix that Django still accepts"),
    Person("ken", "ken@example.com", "ken-unsalted-sha1", "unsalted_sha1",
           date_joined=utc(2012, 12, 12), notes="sha1$$<hex>"),
    Person("leo", "leo@example.com", None, "unusable",
           date_joined=utc(2023, 1, 1), notes="set_unusable_password(): '!' + 40 characters"),
    Person("mallory", "", None, "empty", create="orm_create", date_joined=utc(2013, 1, 1),
           notes="User.objects.create() without a password: empty password column; also no email"),
    Person("zo\u00eb", "zoe@example.com", UNICODE_PASSWORD, "argon2id", picture="jpeg_unicode_name",
           first_name="Zo\u00eb", date_joined=utc(2023, 5, 17, 14, 2, 33, 500000),
           last_login=utc(2024, 11, 1, 10, 0, 0),
           rejects=[UNICODE_PASSWORD.replace("\u00eb", "e\u0308").replace("\u00e9", "e\u0301")],
           notes="non-ASCII username and password; the NFD spelling of the password must fail"),
    Person("oscar", "oscar@example.com", LONG_PASSWORD, "bcrypt_sha256",
           date_joined=utc(2022, 2, 22), last_login=utc(2024, 2, 22, 22, 22, 22),
           rejects=[LONG_PASSWORD[:72]], notes="224-character password"),
    Person("peggy", "peggy@example.com", BCRYPT_OVERLONG_PASSWORD, "bcrypt",
           date_joined=utc(2022, 3, 1),
           also_accepts=[BCRYPT_OVERLONG_PASSWORD[:72] + "-anything"],
           notes="81 bytes with plain bcrypt: only the first 72 bytes count, in Django too"),
    Person("quinn", "quinn@example.com", "quinn-the-first", "pbkdf2_sha256_260k",
           date_joined=utc(2021, 7, 7)),
    Person("quinn@example.com", "quinn.other@example.net", "quinn-the-second", "pbkdf2_sha256_260k",
           date_joined=utc(2021, 7, 8),
           notes="username equal to another user's email: 'quinn@example.com' at sign-in names two users"),
    Person("trent", "trent@example.com", "trent-no-profile", "pbkdf2_sha256_260k",
           picture="no_profile_row", date_joined=utc(2018, 1, 1),
           notes="no app_1_profile row (created before the profile signal existed)"),
    Person("victor", "victor@example.com", "victor-bad-picture", "pbkdf2_sha256_260k",
           picture="not_an_image", date_joined=utc(2022, 10, 10),
           notes="profile_pic is a text file named .jpg"),
    Person("walter", "walter@example.com", "walter-missing-picture", "pbkdf2_sha256_260k",
           picture="missing_file", date_joined=utc(2022, 11, 11),
           notes="profile_pic names a file that is not in MEDIA_ROOT"),
]
