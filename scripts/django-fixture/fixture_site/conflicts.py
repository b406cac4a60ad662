# What Django allowed and edge-accounts does not, found from the rows themselves so
# the manifest cannot disagree with the database. Keys follow src/users/identity.ts:
# usernames and emails compare after NFKC and lower case; an email is required.
import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def find_conflicts(rows):
    """rows: dicts with username and email. Returns [{kind, key, usernames}]."""
    conflicts = []
    for key, names in group(rows, lambda r: comparable(r["username"])):
        plain_case = len({n.lower() for n in names}) == 1
        conflicts.append(entry("username_case" if plain_case else "username_nfkc", key, names))
    for key, names in group((r for r in rows if r["email"]), lambda r: comparable(r["email"])):
        conflicts.append(entry("email_case", key, names))
    missing = [r["username"] for r in rows if not r["email"].strip()]
    if missing:
        conflicts.append(entry("email_missing", "", missing))
    for r in rows:
        if r["email"].strip() and not is_valid_email(r["email"]):
            conflicts.append(entry("email_invalid", r["email"], [r["username"]]))
    emails = {comparable(r["email"]): r["username"] for r in rows if r["email"]}
    for r in rows:
        owner = emails.get(comparable(r["username"]))
        if owner and owner != r["username"]:
            conflicts.append(entry("username_is_other_users_email", comparable(r["username"]), [r["username"], owner]))
    return conflicts


def comparable(text):
    return unicodedata.normalize("NFKC", text.strip()).lower()


def group(rows, key_of):
    groups = defaultdict(list)
    for r in rows:
        groups[key_of(r)].append(r["username"])
    return [(key, names) for key, names in groups.items() if len(names) > 1]


def entry(kind, key, usernames):
    return {"kind": kind, "key": key, "usernames": usernames}


def is_valid_email(email):
    try:
        validate_email(email)
        return True
    except ValidationError:
        return False
