"""
A Django admin over the Symbol Desk catalogue, as a team might set one up instead of the console:
the benchmark's peer. Only the admin and what it needs.

Two databases, with a router (peer/routers.py):
- "catalogue": the benchmark's dataset database, read through unmanaged models (catalogue/models.py)
  that name the app's real tables. Django never creates, alters or migrates anything there.
- "default": a database of its own for Django's auth, sessions, content types and admin log.
A separate database rather than a schema on the dataset database's search_path: the dataset
database stays exactly as the app's migrations left it (its schema drift gate and the bench's
checksums see nothing extra), a missing schema cannot send Django's tables into `public`, and
dropping one database removes every trace of the peer.
"""
import os
from urllib.parse import unquote, urlsplit


def database(url):
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent connections, one per worker and database, as a production Django would keep
        # (the default, 0, opens a connection per request).
        "CONN_MAX_AGE": 600,
    }


DATABASES = {
    "default": database(os.environ["PEER_OWN_URL"]),
    "catalogue": database(os.environ["PEER_CATALOGUE_URL"]),
}
DATABASE_ROUTERS = ["peer.routers.CatalogueRouter"]

SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "benchmark-peer-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "peer.urls"
WSGI_APPLICATION = "peer.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "catalogue",
]

# startproject's middleware. No GZipMiddleware (Django's default): the peer sends its page
# uncompressed, which costs it less CPU than compressing would.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

STATIC_URL = "/static/"
