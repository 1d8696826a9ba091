"""Configuration from the environment; every setting has a safe default for `make run`."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("DRAFTING_INSTANCE", BASE_DIR / "instance"))


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'drafting.sqlite'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants a driver name.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A key generated once per instance folder keeps sessions valid across restarts of `make run`.
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner alone: never, even for an instant, by everyone.
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(os.urandom(32).hex())
        except FileExistsError:
            pass  # another process starting at the same moment wrote it
    return path.read_text().strip()


class Config:
    SECRET_KEY = _secret_key()
    # The interface's languages, each with a complete catalogue in drafting/translations/.
    LANGUAGES = ["en", "ru"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "drafting" / "translations")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000"))
    SQLITE_BEGIN_OUTSIDE_REQUESTS = "IMMEDIATE"
    # CSRF tokens live as long as the login session, so a long drafting session never expires.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    # Served over HTTPS only: cookies are marked Secure, links are built with https, and a
    # plain-HTTP request is redirected to https (drafting.web applies what this implies).
    HTTPS_ONLY = os.environ.get("HTTPS_ONLY", "0") == "1"
    # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host.
    # 0 (the default) trusts no such header: the client's address is the connection's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Logins are refused for a while after this many failures within the window: per e-mail
    # address typed from one client address (since its last success from there), and per client
    # address. An e-mail address failing this often from all clients together is never locked:
    # each client that failed with it waits, a client that has not been failing logs in.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_CLIENT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_CLIENT", "20"))
    LOGIN_MAX_FAILURES_PER_ADDRESS_ANYWHERE = int(
        os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS_ANYWHERE", "50")
    )
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    # A login lasts this long at most, however active; logging out ends it at once.
    LOGIN_SESSION_HOURS = int(os.environ.get("LOGIN_SESSION_HOURS", str(14 * 24)))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "25")) * 1024 * 1024
    # A JSON body sent to the API may be at most this large (uploads of drafts go through pages).
    API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
    MAX_DRAFT_BYTES = int(os.environ.get("MAX_DRAFT_MB", "5")) * 1024 * 1024
    # A draft is imported in one request: more blocks, or a Word file whose text (document.xml,
    # or its styles, numbering or comments) unpacks to more than this, are refused with a
    # message instead of outlasting the worker.
    MAX_DRAFT_PARAGRAPHS = int(os.environ.get("MAX_DRAFT_PARAGRAPHS", "5000"))
    MAX_WORD_XML_BYTES = int(os.environ.get("MAX_WORD_XML_MB", "16")) * 1024 * 1024
    # OWASP's minimum for argon2id is m=19 MiB, t=2, p=1; the defaults here are above it.
    ARGON2_MEMORY_KIB = int(os.environ.get("ARGON2_MEMORY_KIB", "65536"))
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", "2"))
    SITE_NAME = os.environ.get("SITE_NAME", "Drafting service")
    # Where people open the service: links in mail are built on it.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # A comment, a justification or a proposed text longer than this is refused with a message.
    MAX_COMMENT_CHARS = int(os.environ.get("MAX_COMMENT_CHARS", "20000"))
    # Mail: "console" prints each message (the default), "smtp" sends it with the settings below.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "Drafting service <drafting@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds, per connection
    # A message the mail server refuses this many times is given up (and listed on each run).
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "10"))
    SAMPLE_DIR = Path(os.environ.get("SAMPLE_DIR", BASE_DIR / "drafts"))


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # The test thread only reads while a live server writes; it must not hold the write lock.
    SQLITE_BEGIN_OUTSIDE_REQUESTS = "DEFERRED"
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    # The OWASP minimum: still a real argon2id hash, quick enough for a test suite.
    ARGON2_MEMORY_KIB = 19456
    ARGON2_TIME_COST = 2
    ARGON2_PARALLELISM = 1
