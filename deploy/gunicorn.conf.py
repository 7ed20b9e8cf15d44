"""gunicorn settings for the web role; every value can be overridden from the environment.

Sync workers behind nginx: nginx buffers slow clients and request bodies, so a worker is only
busy while Django works. Scale a host with WEB_CONCURRENCY, a cluster with more pods.
"""
import multiprocessing
import os

from storefront.logs import gunicorn_logging, level

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))  # >1 switches gunicorn to gthread workers
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so a slow leak never takes a host down; jitter avoids all
# workers restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# Each worker imports the app itself after the fork, so no database pool or Redis socket is
# ever shared between processes.
preload_app = False
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# gunicorn's control socket lives in $HOME, which is read-only for the image's user; workers
# are managed by signals and the orchestrator instead.
control_socket_disable = True
# nginx writes the access log; gunicorn adds its own only when GUNICORN_ACCESS_LOG=1.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "") in {"1", "true", "yes"} else None
errorlog = "-"
loglevel = level().lower()
logconfig_dict = gunicorn_logging(access_log=bool(accesslog))
