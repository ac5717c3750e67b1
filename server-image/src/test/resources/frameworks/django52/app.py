"""The WSGI entry point (as Django's wsgi.py), and the notes table made at import."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()


def create_notes_table():
    """No migrations to run: the table straight from the model. Every worker imports this module,
    perhaps at the same moment, so a table another worker has just made is not an error."""
    from django.db import DatabaseError, connection

    from notes.models import Note

    try:
        if Note._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Note)
    except DatabaseError:
        if Note._meta.db_table not in connection.introspection.table_names():
            raise
    finally:
        connection.close()


if settings.NOTES_DATABASE:
    create_notes_table()
