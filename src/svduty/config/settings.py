"""svduty settings: one module, configured from the environment (convention 5).

Every environment variable read here is listed in README.md under "Configuration".
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from .database import PROJECT_ROOT, database_from_url, embedded_database
from .env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent  # src/svduty

# --- Mode -----------------------------------------------------------------------------
DEBUG = env_bool("SVDUTY_DEBUG", False)
# The demo installation: synthetic data only. Shows a red banner on every page.
DEMO_MODE = env_bool("SVDUTY_DEMO", False)
# Only the demo may switch multi-factor authentication off (issue: Foundation, point 3).
MFA_DISABLED = env_bool("SVDUTY_DEMO_DISABLE_MFA", False)
if MFA_DISABLED and not DEMO_MODE:
    raise ConfigurationError(
        "SVDUTY_DEMO_DISABLE_MFA may only be set together with SVDUTY_DEMO=true: "
        "a real installation must require multi-factor authentication."
    )
TESTING = env_bool("SVDUTY_TESTING", False)

_insecure_dev_key = "dev-only-insecure-key-never-use-in-production-" + "x" * 20
SECRET_KEY = env_str(
    "SVDUTY_SECRET_KEY", _insecure_dev_key if (DEBUG or DEMO_MODE or TESTING) else None
)
ALLOWED_HOSTS = env_list(
    "SVDUTY_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("SVDUTY_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SVDUTY_SITE_URL", "http://127.0.0.1:8000")
SECURE = env_bool("SVDUTY_SECURE", not (DEBUG or DEMO_MODE or TESTING))

# --- Applications ---------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "svduty.core",
    "svduty.audit",
    "svduty.accounts",
    "svduty.partnership",
    "svduty.privacy",
    "svduty.strategy",
    "svduty.sharing",
    "svduty.analysis",
    "svduty.cases",
    "svduty.svro",
    "svduty.meetings",
    "svduty.places",
    "svduty.services",
    "svduty.linkage",
    "svduty.evidence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "svduty.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "svduty.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "svduty.core.middleware.RejectNulBytesMiddleware",
    "svduty.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "svduty.accounts.middleware.RequireMFAMiddleware",
    "svduty.core.submissions.DoubleSubmitMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "svduty.audit.middleware.RefusalAuditMiddleware",
    "svduty.audit.middleware.PageViewAuditMiddleware",
    # Axes must be last: it turns a locked-out sign-in into the lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "svduty.config.urls"
WSGI_APPLICATION = "svduty.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "svduty.core.context_processors.site",
            ],
            "builtins": ["svduty.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "svduty.core.forms.GovukFormRenderer"

# --- Database (architecture D2) -------------------------------------------------------
_database_url = env_str("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else embedded_database()
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in (architecture D9) -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters (see the module for the figures).
    "svduty.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests sign in hundreds of times.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *PASSWORD_HASHERS,
    ]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "svduty.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = (
    False  # django-axes does brute-force protection (one mechanism, one rule)
)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "svduty: "
# WebAuthn (security keys and passkeys, via fido2) is a second factor alongside the
# authenticator app (issue 14, point 4): either satisfies the MFA requirement, and
# recovery codes are made with the first one. Passkeys are not a way to skip the
# password: sign-in is always a password and then a second factor.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# The key's presence after the password is the second factor (something you have),
# so a key without a PIN is enough; one that can check a PIN or fingerprint will.
MFA_WEBAUTHN_USER_VERIFICATION = "preferred"
# http:// origins only where the site is not served over HTTPS (the demo and tests
# at http://localhost); production runs with SVDUTY_SECURE.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not SECURE
MFA_TOTP_ISSUER = env_str("SVDUTY_MFA_ISSUER", "svduty")
# One 30-second step of drift either side: a code typed at the 29th second still works
# when it is checked a moment later. A used code is refused for the whole window, in
# every worker (svduty.accounts.totp).
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# django-axes: 10 failures within 5 minutes lock the account for 30 minutes.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 10
AXES_FAILURE_WINDOW = timedelta(minutes=5)  # read by svduty.accounts.lockout
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "svduty.accounts.lockout.WindowedAxesHandler"
AXES_VERBOSE = False
# The rule is per account (10 guesses at one account in 5 minutes, Cyber Essentials);
# counting per IP address as well would let an attacker behind rotating addresses keep
# guessing, and per-IP-only would not protect an account at all. axes warns about
# user-agent rotation, which does not apply to a username-only count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: 30 minutes idle (SessionTimeoutMiddleware) and 12 hours absolute.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SVDUTY_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_WARNING_BEFORE = timedelta(minutes=2)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read with a query compiled once per process.
SESSION_ENGINE = "svduty.core.sessions"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers (issue Foundation, point 7) -------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if SECURE:
    SECURE_SSL_REDIRECT = env_bool("SVDUTY_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *env_list("SVDUTY_MAP_TILE_ORIGINS", [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Vega compiles expressions without eval in its interpreter build; nothing else needs
# it.

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Django's en-GB locale formats win over DATE_FORMAT and friends: ours are in
# svduty/config/formats/en_GB (GOV.UK date style, 24-hour clock).
FORMAT_MODULE_PATH = ["svduty.config.formats"]

# --- Static files (architecture D4) ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_ROOT / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or DEMO_MODE or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("SVDUTY_DATA_DIR", str(PROJECT_ROOT / "var" / "data")))
# Analytic snapshots (architecture D3) live here, one folder per partnership.
SNAPSHOT_DIR = MEDIA_ROOT / "snapshots"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are refused while they stream in once they pass this size, and a workbook
# or archive is refused before it is queued if it would expand past the absolute limit
# or by more than the ratio (a 242 KB workbook can hold a 90 MB sheet). See
# svduty.sharing.uploads.
# The key for `svduty backup` / `svduty restore` (32+ characters; keep it apart from
# the backups). Empty: the commands refuse to run.
BACKUP_KEY = env_str("SVDUTY_BACKUP_KEY", "")
# Retention (docs/privacy.md): overrides of the schedule's periods, "key=6y,key=30d",
# and who is told what the daily job erased.
RETENTION_PERIODS = env_str("SVDUTY_RETENTION_PERIODS", "")
DPO_EMAILS = env_list("SVDUTY_DPO_EMAIL", [])
UPLOAD_MAX_BYTES = env_int("SVDUTY_UPLOAD_MAX_MB", 100) * 1024 * 1024
UPLOAD_EXPANDED_MAX_BYTES = env_int("SVDUTY_UPLOAD_EXPANDED_MAX_MB", 200) * 1024 * 1024
# Documents uploaded as evidence for a self-assessment (evidence/documents.py).
EVIDENCE_DOCUMENT_MAX_BYTES = (
    env_int("SVDUTY_EVIDENCE_DOCUMENT_MAX_MB", 20) * 1024 * 1024
)
UPLOAD_EXPANSION_RATIO_MAX = env_int("SVDUTY_UPLOAD_EXPANSION_RATIO", 100)
FILE_UPLOAD_HANDLERS = [
    "svduty.sharing.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "SVDUTY_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("SVDUTY_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SVDUTY_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("SVDUTY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("SVDUTY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SVDUTY_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("SVDUTY_FROM_EMAIL", "svduty <no-reply@svduty.invalid>")
INVITATION_VALID_FOR = timedelta(days=7)

# --- API (architecture D10) -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "svduty.accounts.api_auth.PersonalTokenAuthentication",
        "svduty.accounts.api_auth.MFASessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "svduty.core.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "svduty.core.problems.api_exception_handler",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "svduty API",
    "DESCRIPTION": "The svduty platform for Serious Violence Duty partnerships. "
    "Every endpoint applies the same access policies as the web pages.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI is served from our own static files: nothing is fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields, so clients get one enum type.
    "ENUM_NAME_OVERRIDES": {
        "SvroEthnicGroupEnum": "svduty.svro.models.choices.EthnicGroup",
        "RiskLevelEnum": "svduty.cases.models.choices.RiskLevel",
        "InspectionListEnum": "svduty.evidence.models.InspectionList",
        "PlaceKindEnum": "svduty.places.models.choices.PlaceKind",
        "PlaceStatusEnum": "svduty.places.models.choices.PlaceStatus",
        "MeetingStatusEnum": "svduty.meetings.models.MeetingStatus",
        "ServiceReferralStatusEnum": "svduty.services.states.ReferralStatus",
        "ServiceTypeEnum": "svduty.services.models.choices.ServiceType",
        "ServiceConsentEnum": "svduty.services.models.choices.Consent",
        "ServiceEndReasonEnum": "svduty.services.models.choices.EndReason",
        "ServiceOutcomeEnum": "svduty.services.models.choices.Outcome",
        "YefImpactEnum": "svduty.services.models.choices.YefImpact",
        "NrmGroundsDecisionEnum": "svduty.services.models.choices.GroundsDecision",
        "NrmGroundsStageEnum": "svduty.services.models.choices.GroundsStage",
        "NrmReconsiderationOutcomeEnum": (
            "svduty.services.models.choices.ReconsiderationOutcome"
        ),
        "S45DefenceEnum": "svduty.services.models.choices.S45Defence",
        "NrmDecisionRouteEnum": "svduty.services.models.choices.DecisionRoute",
        "ExploitationTypeEnum": "svduty.services.models.choices.ExploitationType",
        "MomentSettingEnum": "svduty.services.models.choices.MomentSetting",
        "MomentInjuryEnum": "svduty.services.models.choices.Injury",
        "MomentResponseEnum": "svduty.services.models.choices.MomentResponse",
        "MomentOnwardReferralEnum": "svduty.services.models.choices.OnwardReferral",
        "ReturnInterviewResponseEnum": (
            "svduty.services.models.choices.InterviewResponse"
        ),
        "ReasonsEnum": "svduty.cases.models.ReferralReason",
        "PersonKindEnum": "svduty.cases.models.choices.PersonKind",
        # A search's force area and an order's issuing area are the same list.
        "ForceAreaEnum": "svduty.svro.models.choices.ForceArea",
        # The register's sex and self-defined ethnicity (an order holder's, and as
        # recorded on a search) differ from the child record's lists in cases.
        "SvroSexEnum": "svduty.svro.models.choices.Sex",
        "SvroEthnicityEnum": "svduty.svro.models.choices.Ethnicity",
        # A notification's event and a court's decision on an order are both "event".
        "SvroNotifiableEventEnum": "svduty.svro.models.choices.NotifiableEvent",
        # A scrutiny panel assesses a search's grounds and its conduct on one scale.
        "SvroAssessmentEnum": "svduty.svro.models.scrutiny.Assessment",
        # An inspection indicator is a rate, a mean or a count (evidence/indicators).
        "IndicatorKindEnum": [("rate", "rate"), ("mean", "mean"), ("count", "count")],
    },
}
API_TOKEN_LIFETIME = timedelta(days=env_int("SVDUTY_API_TOKEN_DAYS", 90))

# --- Background tasks (architecture D11) ----------------------------------------------
# Where background work runs (svduty.core.supervisor): "serve" starts a worker inside
# `svduty serve`, "separate" expects `svduty task_worker` as its own service, "none"
# runs each task in the web process when it is enqueued.
TASK_WORKER = env_str("SVDUTY_TASK_WORKER", "serve")
if TASK_WORKER not in {"serve", "separate", "none"}:
    raise ConfigurationError(
        f"SVDUTY_TASK_WORKER must be serve, separate or none (got {TASK_WORKER!r})."
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING or TASK_WORKER == "none"
        else "django_tasks_db.DatabaseBackend"
    }
}
# A task still waiting to start after this many minutes is shown as a problem (no
# worker is taking tasks), not as "waiting".
TASK_STUCK_MINUTES = env_int("SVDUTY_TASK_STUCK_MINUTES", 10)
# A task whose worker died is run again until it has been tried this many times, then
# marked failed (svduty.core.taskrecovery).
TASK_MAX_ATTEMPTS = env_int("SVDUTY_TASK_MAX_ATTEMPTS", 2)
# The same rendered form posted again within this time is not done again
# (svduty.core.submissions).
SUBMISSION_WINDOW_SECONDS = env_int("SVDUTY_SUBMISSION_WINDOW_SECONDS", 600)

# --- Outputs --------------------------------------------------------------------------
# Counts from 1 to this number are shown as "fewer than N+1" on anything that may leave
# the partnership (convention 9).
SUPPRESSION_THRESHOLD = env_int("SVDUTY_SUPPRESSION_THRESHOLD", 4)
# Folders holding the SNA report's PDF font (Liberation Sans, Debian's
# fonts-liberation). Typst reads only these when one exists, not every system font.
PDF_FONT_DIRS = env_list(
    "SVDUTY_PDF_FONT_DIRS", ["/usr/share/fonts/truetype/liberation"]
)
# The SNA report of filters shown on the dashboard (or the HTML report) for the first
# time is made in the background task worker then (analysis.report.prepare_report),
# so that its download is a cache read. Off where tasks run inside the request
# (SVDUTY_TASK_WORKER=none, the tests): the page would wait for the PDF.
SNA_PREPARE_REPORTS = env_bool(
    "SVDUTY_SNA_PREPARE_REPORTS", not TESTING and TASK_WORKER != "none"
)

# Serious Violence Reduction Orders (docs/svro.md): how many days before an order's
# last day the officer is alerted so that renewal can be considered.
SVRO_EXPIRY_ALERT_DAYS = env_int("SVDUTY_SVRO_EXPIRY_ALERT_DAYS", 90)
# The scrutiny figures are kept per filter (a materialised summary) and recomputed in
# the background once older than this many minutes; `svduty svro_scrutiny_refresh`
# recomputes the usual filters (run it daily or more often).
SVRO_SCRUTINY_MAX_AGE_MINUTES = env_int("SVDUTY_SVRO_SCRUTINY_MAX_AGE_MINUTES", 60)
# Sentencing Act 2020 s.80(3)(da): no conditional discharge for obstructing an SVRO
# search [C]; configurable as the issue asks.
SVRO_OBSTRUCTION_NO_CONDITIONAL_DISCHARGE = env_bool(
    "SVDUTY_SVRO_OBSTRUCTION_NO_CONDITIONAL_DISCHARGE", True
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SVDUTY_LOG_LEVEL", "WARNING")},
}

AXES_USERNAME_CALLABLE = "svduty.accounts.lockout.username_from_request"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCK_OUT_AT_FAILURE = True
AXES_CLIENT_IP_CALLABLE = "svduty.accounts.lockout.client_ip"
