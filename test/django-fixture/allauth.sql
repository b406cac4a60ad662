-- django-allauth's account.EmailAddress in the fixture site, applied to db.sqlite3 by
-- scripts/django-fixture/make_fixture.py (add_allauth_addresses), which also appends the same rows
-- to dumpdata.json as "account.emailaddress" entries (allauth itself is not installed there);
-- test/django-import-cli.node-test.mts checks both read alike.
--
-- Schema as Django 4.2 leaves it on SQLite after allauth 0.61's migrations 0001-0005 with
-- ACCOUNT_UNIQUE_EMAIL (the default): one row per (user, address), an address verified
-- for one user at most. Before 0.62 allauth kept addresses as typed, hence "Oscar@Example.COM".
CREATE TABLE "account_emailaddress" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "verified" bool NOT NULL, "primary" bool NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "email" varchar(254) NOT NULL);
CREATE UNIQUE INDEX "account_emailaddress_user_id_email_987c8728_uniq" ON "account_emailaddress" ("user_id", "email");
CREATE UNIQUE INDEX "unique_verified_email" ON "account_emailaddress" ("email") WHERE "verified";
CREATE INDEX "account_emailaddress_user_id_2c513194" ON "account_emailaddress" ("user_id");
CREATE INDEX "account_emailaddress_upper" ON "account_emailaddress" ((UPPER("email")));

INSERT INTO "django_migrations" ("app", "name", "applied") VALUES
  ('account', '0001_initial', '2024-01-01 00:00:00'),
  ('account', '0002_email_max_length', '2024-01-01 00:00:00'),
  ('account', '0003_alter_emailaddress_create_unique_verified_email', '2024-01-01 00:00:00'),
  ('account', '0004_alter_emailaddress_drop_unique_email', '2024-01-01 00:00:00'),
  ('account', '0005_emailaddress_idx_upper_email', '2024-01-01 00:00:00');

-- Confirmed on import: admin, Alice, judy (must reset all the same), oscar (other case),
-- quinn, "quinn@example.com" (own address quinn.other@example.net).
-- Not confirmed: staffer (unverified), bob (verified only an old address), carol (unverified),
-- carol2 (verified, but the address goes to carol, the older account: carol2 gets a
-- placeholder), peggy (unverified); everyone without a row.
INSERT INTO "account_emailaddress" ("id", "verified", "primary", "user_id", "email") VALUES
  (1, 1, 1, 1, 'admin@example.com'),
  (2, 0, 1, 2, 'staff@example.com'),
  (3, 1, 1, 3, 'alice@example.com'),
  (4, 0, 1, 5, 'bob@example.com'),
  (5, 1, 0, 5, 'bob.old@example.com'),
  (6, 0, 1, 7, 'Carol@example.com'),
  (7, 1, 1, 8, 'carol@example.com'),
  (8, 1, 1, 15, 'judy@example.com'),
  (9, 1, 1, 20, 'Oscar@Example.COM'),
  (10, 0, 1, 21, 'peggy@example.com'),
  (11, 1, 1, 22, 'quinn@example.com'),
  (12, 1, 1, 23, 'quinn.other@example.net');
