"""Gunicorn settings for one app process (deploy/prod_local.py starts two).

Every value can be changed by the environment: GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS. The bind address is given on the command
line (`--bind 127.0.0.1:PORT`).
"""

import gc
import os

wsgi_app = "config.wsgi:application"
# Load Django once in the master and fork the workers from it: they share the
# imported code's memory instead of each holding a copy.
preload_app = True
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# A worker is replaced after this many requests, so that no slow leak grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front (nginx) runs on this machine; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}i)s '
    "served_by=" + os.environ.get("SERVED_BY", "-")
)


def when_ready(server):
    """Before the workers fork, load what every one of them needs, then freeze it.

    Templates, translation catalogues, URL patterns and Wagtail's hooks loaded once
    here are shared by all the workers instead of each holding a copy; frozen, the
    garbage collector no longer touches (and so copies) their memory.
    """
    from config.warm_up import warm_up

    warm_up()
    gc.freeze()
