#!/usr/bin/python3
"""Django's manage.py for the fixture site, to inspect test/django-fixture/ (shell, dumpdata)."""
import os
import sys

sys.dont_write_bytecode = True

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fixture_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
