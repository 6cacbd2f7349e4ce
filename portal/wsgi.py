"""The WSGI entry point for production servers: `gunicorn -w 2 'portal.wsgi:app'`."""

from portal.app import create_app

app = create_app()
