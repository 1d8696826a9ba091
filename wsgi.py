"""The WSGI entry point: `gunicorn wsgi:app`."""

from drafting.app import create_app

app = create_app()
