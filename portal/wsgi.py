"""The WSGI entry point for production servers: `gunicorn -w 2 'portal.wsgi:app'`."""

import gc

from portal.app import create_app

app = create_app()
# What the app holds from now on (modules, models, templates, configuration) is never garbage: out of the
# collector's sight, a full collection no longer walks it, which cost a worker a pause of ~0.2 s about
# every thousand requests (bench/web.py's p99)
gc.freeze()
