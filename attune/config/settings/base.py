"""Settings shared by every environment. Values come from the environment only."""

from datetime import timedelta
from pathlib import Path

import django
import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent
APP_DIR = BASE_DIR / "attune"

env = environ.Env()
# A developer's own .env (never committed) may hold overrides; the environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("ATTUNE_SECRET_KEY", default="")
DEBUG = env.bool("ATTUNE_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ATTUNE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Demo mode: the demo scenario, a banner on every page, and two-factor relaxed for the demo
# accounts only. Production refuses to start with it on.
DEMO_MODE = env.bool("ATTUNE_DEMO", default=False)

SERVICE_NAME = "Attune"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Background tasks and their database queue (ADR 0016): the worker runs them.
    "django_tasks",
    "django_tasks_db",
    # The API for other systems (django-ninja, ADR 0022): its documentation page's static files.
    "ninja",
    # Attune's bounded contexts, in dependency order: each may import only those above it.
    "attune.core",
    "attune.nhsuk_forms",
    # The outbox knows no one (it imports only core), so accounts can send set-up and reset links.
    "attune.notifications",
    "attune.accounts",
    "attune.organisations",
    "attune.families",
    "attune.referrals",
    "attune.care",
    "attune.documents",
    # Finds a family by name, NHS number, date, postcode, reference or phone (ADR 0015).
    "attune.search",
    "attune.outcomes",
    "attune.supervision",
    "attune.workforce",
    "attune.commissioning",
    "attune.reports",
    "attune.interop",
    "attune.governance",
    "attune.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "attune.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "attune.organisations.middleware.FirstRunMiddleware",
    # Every page needs a signed-in person unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "attune.accounts.middleware.SessionLifetimeMiddleware",
    "attune.accounts.middleware.RequireTwoFactorMiddleware",
    "attune.core.middleware.ActorMiddleware",
    "attune.organisations.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "attune.core.middleware.NoStoreForSignedInMiddleware",
    # Axes must come last: it turns a lockout flagged during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "attune.config.urls"
WSGI_APPLICATION = "attune.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # Django's own form templates for the few widgets nhsuk_forms does not replace.
        "DIRS": [APP_DIR / "core" / "jinja2", Path(django.__file__).parent / "forms" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "attune.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "attune.core.context_processors.service",
                "attune.dashboards.context_processors.navigation",
                "attune.search.context_processors.search_box",
            ],
        },
    },
]

# Form fields render through the same Jinja2 environment (nhsuk_forms components).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    # An empty DATABASE_URL (as .env.example leaves it) means the SQLite file too.
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; the busy timeout makes a second
    # writer wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: PostgreSQL compiles any query its planner costs above
    # jit_above_cost, and the reports' queries at region scale cost that much to plan while
    # running in a tenth of a second: the ICB year's caseload spent 1.2 s of 1.34 s compiling
    # (issue 18, EXPLAIN ANALYZE on `make bench`'s region). DATABASE_URL's own options are kept.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks queue in the database (django-tasks-db): no broker; `manage.py worker` runs
# them and the scheduled jobs (attune.core.jobs, ADR 0016).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The cache holds the public referral forms' rate-limit counters (django-ratelimit). The default,
# local memory, counts per process: set CACHE_URL to a shared cache (redis://...) when several
# processes serve Attune, or each process counts separately.
# An empty CACHE_URL (as in .env.example) means the default too.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}
RATELIMIT_USE_CACHE = "default"
# Per client address (attune.core.network.client_ip): answers posted to the public referral
# forms' pages, and referrals sent. A family hub or GP practice may share one address.
# Generous enough for a health visiting team behind one NHS network address (a referral takes
# about 18 pages), tight enough to stop a script.
REFERRAL_STEP_RATE = env.str("ATTUNE_REFERRAL_STEP_RATE", default="600/10m")
REFERRAL_SUBMIT_RATE = env.str("ATTUNE_REFERRAL_SUBMIT_RATE", default="30/h")
# Parents' questionnaire links, per client address: every request to a link's pages, and the
# baby's date of birth posted to open one (each link also closes itself after 5 wrong dates).
QUESTIONNAIRE_LINK_RATE = env.str("ATTUNE_QUESTIONNAIRE_LINK_RATE", default="300/h")
QUESTIONNAIRE_LINK_CHECK_RATE = env.str("ATTUNE_QUESTIONNAIRE_LINK_CHECK_RATE", default="30/h")
# The API for other systems (ADR 0022): calls allowed per token (django-ninja's form: "120/m" is
# 120 a minute), counted in the cache above (shared between processes only with CACHE_URL).
ATTUNE_API_RATE = env.str("ATTUNE_API_RATE", default="120/m")
# Calls with a missing, unknown, expired or revoked token, per client address a minute: past it the
# address gets 429 and only its first such answer is audited, so a flood cannot fill the log.
ATTUNE_API_REFUSED_PER_MINUTE = env.int("ATTUNE_API_REFUSED_PER_MINUTE", default=20)
# Staff accounts' emailed links (accounts.AccountLink): how long each lasts, and how often
# "forgot your password" may be asked, per email address typed and per client address.
ATTUNE_SET_UP_LINK_DAYS = env.int("ATTUNE_SET_UP_LINK_DAYS", default=7)
ATTUNE_RESET_LINK_MINUTES = env.int("ATTUNE_RESET_LINK_MINUTES", default=60)
PASSWORD_RESET_EMAIL_RATE = env.str("ATTUNE_PASSWORD_RESET_EMAIL_RATE", default="3/h")
PASSWORD_RESET_ADDRESS_RATE = env.str("ATTUNE_PASSWORD_RESET_ADDRESS_RATE", default="20/h")
# The address families reach Attune at (https://attune.example.nhs.uk), for the links in their
# messages. Blank: the address the practitioner who sends the link is using.
ATTUNE_PUBLIC_BASE_URL = env.str("ATTUNE_PUBLIC_BASE_URL", default="")

# Small-number suppression on everything that leaves the team (commissioner pages, the printable
# report, downloads): counts from 1 to this are shown as "*", others rounded to the nearest
# ATTUNE_SUPPRESSION_ROUND_TO (NHS Digital's sub-national rule, domain reference C.4). A median
# from that few values is withheld too. Team-internal pages show exact numbers.
ATTUNE_SUPPRESSION_UP_TO = env.int("ATTUNE_SUPPRESSION_UP_TO", default=7)
ATTUNE_SUPPRESSION_ROUND_TO = env.int("ATTUNE_SUPPRESSION_ROUND_TO", default=5)
# Which Index of Multiple Deprivation the equity tables use: IoD2025 (2021 LSOAs, the default)
# or IoD2019 (2011 LSOAs), once loaded with `manage.py load_postcode_lsoa` and `load_deprivation`.
ATTUNE_DEPRIVATION_EDITION = env.str("ATTUNE_DEPRIVATION_EDITION", default="IoD2025")
# Whether "arrived late and could not be seen" (attendance code 7) counts as did-not-attend in
# the DNA rate: a local decision (domain reference F). Off: the rate counts code 3 only.
ATTUNE_DNA_INCLUDES_LATE = env.bool("ATTUNE_DNA_INCLUDES_LATE", default=False)
# Working days a clinical supervisor (or team lead) has to review the action recorded on a
# high-risk alert (self-harm, harm to the baby).
ATTUNE_ALERT_REVIEW_WORKING_DAYS = env.int("ATTUNE_ALERT_REVIEW_WORKING_DAYS", default=2)

# Documents and video-feedback recordings (issue 19; domain reference G.3). Sizes in megabytes.
ATTUNE_DOCUMENT_MAX_MB = env.int("ATTUNE_DOCUMENT_MAX_MB", default=20)
# The largest caseload file a team lead may upload to import (a workbook of 5,000 families with
# their history is about 1.2 MB).
ATTUNE_IMPORT_MAX_MB = env.int("ATTUNE_IMPORT_MAX_MB", default=10)
ATTUNE_RECORDING_MAX_MB = env.int("ATTUNE_RECORDING_MAX_MB", default=2048)
# Recordings are erased this many months after the episode ends (one published VIG consent form:
# within 2 months of the end of involvement), with a task this many days before.
ATTUNE_RECORDING_ERASE_AFTER_MONTHS = env.int("ATTUNE_RECORDING_ERASE_AFTER_MONTHS", default=2)
ATTUNE_RECORDING_ERASE_WARNING_DAYS = env.int("ATTUNE_RECORDING_ERASE_WARNING_DAYS", default=14)
# Pre-birth safeguarding timescales are set by each council (domain reference G.5): the strategy
# meeting by this week of pregnancy, the child protection conference no earlier than this one.
ATTUNE_PREBIRTH_STRATEGY_MEETING_BY_WEEK = env.int("ATTUNE_PREBIRTH_STRATEGY_MEETING_BY_WEEK", default=28)
ATTUNE_PREBIRTH_CONFERENCE_FROM_WEEK = env.int("ATTUNE_PREBIRTH_CONFERENCE_FROM_WEEK", default=30)
# MHSDS (ADR 0022): the SERVICE OR TEAM TYPE REFERRED TO code the trust submits for its
# parent-infant teams (no PIR code exists; C02, specialist perinatal community, is the nearest),
# and its CARE PROFESSIONAL STAFF GROUP code for each role a contact is held in
# ("therapist=..,trainee=..,psychologist=..,psychotherapist=..,other=..").
ATTUNE_MHSDS_TEAM_TYPE = env.str("ATTUNE_MHSDS_TEAM_TYPE", default="C02")
ATTUNE_MHSDS_STAFF_GROUPS = env.dict("ATTUNE_MHSDS_STAFF_GROUPS", default={})

# GOV.UK Notify (ADR: the outbox). Messages are always written to the outbox; `manage.py
# send_outbox` delivers them. A blank key means outbox only: nothing leaves the building.
# Each channel uses one generic Notify template with ((subject)) and ((body)) placeholders.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="") or "https://api.notifications.service.gov.uk"
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "dashboards:home"

# Passwords: argon2 first (S5, ASVS v5.0.0-6.2.x): at least 12 characters, no composition
# rules, the common-password list, and room for long passphrases.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "attune.accounts.validators.MaximumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (S4): 5 failures on the same email from the same address lock that pair for 15
# minutes; a sixth attempt fails even with the right password.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "attune.accounts.views.locked_out"
AXES_VERBOSE = False
# Never keep what was typed into these in the lockout records.
AXES_SENSITIVE_PARAMETERS = ["password", "code", "csrfmiddlewaretoken"]
AXES_IPWARE_PROXY_COUNT = env.int("ATTUNE_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# And per account, from any address (accounts/throttle.py, ASVS v5.0.0-6.3.1): after 5 failures
# within an hour of each other, each further attempt waits 1 minute, then 2, 4, 8, at most 15;
# the right password is refused during a wait. A success clears the count.
SIGN_IN_THROTTLE_FREE_FAILURES = 5
SIGN_IN_THROTTLE_FIRST_WAIT = timedelta(minutes=1)
SIGN_IN_THROTTLE_LONGEST_WAIT = timedelta(minutes=15)
SIGN_IN_THROTTLE_WINDOW = timedelta(hours=1)

# Two-factor (S3): TOTP with 30 s steps and one step of drift either way.
OTP_TOTP_ISSUER = "Attune"
OTP_TOTP_TOLERANCE = 1
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions (S6): server-side, ended on sign-out and account disable; idle and absolute limits
# are enforced by SessionLifetimeMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
# The page warns this long before the idle sign-out and offers to keep the session.
SESSION_TIMEOUT_WARNING = timedelta(minutes=2)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "attune.core.views.csrf_failure"

# Headers (S7).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# Request size limits: an oversized request gets a plain error page, not a crash.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [APP_DIR / "static"]
DOCUMENTS_BACKEND = env.str("ATTUNE_DOCUMENTS_BACKEND", default="django.core.files.storage.FileSystemStorage")
DOCUMENTS_ROOT = env.str("ATTUNE_DOCUMENTS_ROOT", default=str(BASE_DIR / "var" / "documents"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents and video recordings: outside the web root, served only through the documents
    # app's scoped, audited views. For hosted use, an S3-compatible store through django-storages
    # (README, "Documents and recordings"): ATTUNE_DOCUMENTS_BACKEND=storages.backends.s3.S3Storage.
    "documents": {
        "BACKEND": DOCUMENTS_BACKEND,
        "OPTIONS": (
            {"location": DOCUMENTS_ROOT}
            if DOCUMENTS_BACKEND.endswith("FileSystemStorage")
            else {
                # django-storages' S3 backend: a private bucket; files are streamed through Attune's
                # views, never linked to directly. Credentials come from the platform's role or
                # boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
                "bucket_name": env.str("ATTUNE_DOCUMENTS_BUCKET", default=""),
                "endpoint_url": env.str("ATTUNE_DOCUMENTS_ENDPOINT_URL", default="") or None,
                "region_name": env.str("ATTUNE_DOCUMENTS_REGION", default="") or None,
                "default_acl": None,
                "file_overwrite": False,
            }
        ),
    },
    # Hashed names, gzip copies and year-long caching; local.py (`make run`) uses it too (ADR 0018).
    "staticfiles": {"BACKEND": "attune.config.storage.StaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A questionnaire link's token is a key to a family's questionnaire: never in a log line
    # ("Not Found: /q/<token>" and the like).
    # Staff accounts' set-up and reset links likewise (/account/reset/<token>).
    "filters": {
        "link_tokens": {"()": "attune.outcomes.log_filters.RedactLinkTokens"},
        "account_link_tokens": {"()": "attune.accounts.log_filters.RedactAccountLinkTokens"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["link_tokens", "account_link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("ATTUNE_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
