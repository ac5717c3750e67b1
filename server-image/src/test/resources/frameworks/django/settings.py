"""Django settings for the parity app: DEBUG off, sessions in signed cookies (no database needed),
and the notes ORM on SQLite only where the sqlite3 module can be imported."""
import os
import tempfile

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = "corral-parity-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

ROOT_URLCONF = "urls"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [os.path.join(BASE_DIR, "templates")]}]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

try:
    import sqlite3  # noqa: F401  (a native module: a sandbox may refuse it)
    NOTES_DATABASE = True
except ImportError:
    NOTES_DATABASE = False  # the rest of the app needs no database; /db/notes answers 503
    DATABASES = {}
    INSTALLED_APPS = []
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(os.environ.get("TMPDIR") or tempfile.gettempdir(), "corral-parity-notes.sqlite3"),
    }}
    INSTALLED_APPS = ["notes"]

# With DEBUG off Django logs a failed request only to mail_admins; send it to stderr as well.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
