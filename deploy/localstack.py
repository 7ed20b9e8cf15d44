"""Start HTX Market the production way on this machine's loopback, for the smoke and load runs.

A fresh PostgreSQL database on the server DATABASE_URL names, dedicated Redis databases, then
migrate, seed_demo and collectstatic with `storefront.settings_production`, and the processes an
operator runs: gunicorn (several workers), a Celery worker, Celery beat, the sandbox B2B catalog and
nginx in front with a self-signed certificate, rendered from deploy/nginx/templates. Everything
lives in one temporary directory and is stopped and dropped on exit.

No Django import here: the stack is driven through its commands, as an operator would.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PY = sys.executable
HOSTNAME = "localhost"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_nginx() -> str:
    """Debian's nginx; installed on the spot when missing and we may (CI runs as root)."""
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path:
        return path
    if os.geteuid() != 0:
        raise StackError("nginx is not installed and this user cannot apt-get install it")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True, env=env, stdout=subprocess.DEVNULL)
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        raise StackError("apt-get installed nginx-light but no nginx binary was found")
    return path


def render_template(text: str, values: dict[str, str]) -> str:
    """envsubst as the official nginx image runs it: only the named ${VARS}; nginx's own $vars stay."""
    return string.Template(text).safe_substitute(values)


def _with_db(url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def _redis_db_url(url: str, db: int) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))


@dataclass
class LocalStack:
    database_url: str
    redis_url: str
    web_workers: int = 3
    celery_concurrency: int = 2
    seed: bool = True
    keep_dir: bool = False
    log: callable = print
    workdir: Path = field(init=False)
    procs: dict = field(default_factory=dict, init=False)
    env: dict = field(default_factory=dict, init=False)
    base_url: str = field(init=False, default="")
    http_url: str = field(init=False, default="")
    cert_path: Path = field(init=False)
    sandbox_url: str = field(init=False, default="")
    db_name: str = field(init=False, default="")

    # --- lifecycle ---------------------------------------------------------------------------------
    def __enter__(self) -> "LocalStack":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            raise StackError("the production stack needs DATABASE_URL pointing at PostgreSQL")
        if not self.redis_url.startswith("redis://"):
            raise StackError("the production stack needs Redis (redis://...)")
        self.workdir = Path(tempfile.mkdtemp(prefix="htx-stack-"))
        # nginx workers run as an unprivileged user when started by root; they must read static.
        self.workdir.chmod(0o755)
        for sub in ("logs", "static", "media", "var", "nginx/conf.d", "nginx/tmp", "tls"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
            (self.workdir / sub).chmod(0o755)
        self._create_database()
        self._prepare_env()
        self._manage("migrate", "--noinput", "-v", "1")
        if self.seed:
            self._manage("seed_demo")
        self._manage("collectstatic", "--noinput", "-v", "0")
        self._make_certificate()
        self._start_processes()
        self.wait_healthy(timeout=60)

    def stop(self) -> None:
        for name, proc in reversed(list(self.procs.items())):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 20
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(deadline - time.time(), 0.1))
            except subprocess.TimeoutExpired:
                self.log(f"  {name} did not stop on SIGTERM; killing it")
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self._flush_redis()
        self._drop_database()
        if getattr(self, "workdir", None) and not self.keep_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # --- pieces ------------------------------------------------------------------------------------
    def _admin_connection(self):
        import psycopg

        return psycopg.connect(_with_db(self.database_url, "postgres"), autocommit=True, connect_timeout=5)

    def _create_database(self) -> None:
        self.db_name = f"htx_stack_{os.getpid()}_{secrets.token_hex(3)}"
        with self._admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.log(f"  fresh database {self.db_name}")

    def _drop_database(self) -> None:
        if not self.db_name:
            return
        try:
            with self._admin_connection() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        except Exception as exc:  # leave a note, the run's verdict is already made
            self.log(f"  could not drop {self.db_name}: {exc}")
        self.db_name = ""

    # Redis databases 12-14 belong to these runs, so flushing them never touches the test suite's.
    REDIS_DBS = {"cache": 12, "sessions": 13, "broker": 14}

    def _flush_redis(self) -> None:
        try:
            import redis
        except ImportError:
            return
        for db in self.REDIS_DBS.values():
            try:
                redis.Redis.from_url(_redis_db_url(self.redis_url, db), socket_timeout=3).flushdb()
            except Exception:
                pass

    def _prepare_env(self) -> None:
        self._flush_redis()
        self.http_port, self.https_port = free_port(), free_port()
        self.web_port, self.sandbox_port = free_port(), free_port()
        self.base_url = f"https://{HOSTNAME}:{self.https_port}"
        self.http_url = f"http://{HOSTNAME}:{self.http_port}"
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PYTEST"))}
        env.update(
            DJANGO_SETTINGS_MODULE="storefront.settings_production",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS=f"{HOSTNAME},127.0.0.1",
            SITE_URL=self.base_url,
            DATABASE_URL=_with_db(self.database_url, self.db_name),
            REDIS_URL=_redis_db_url(self.redis_url, self.REDIS_DBS["cache"]),
            SESSION_REDIS_URL=_redis_db_url(self.redis_url, self.REDIS_DBS["sessions"]),
            CELERY_BROKER_URL=_redis_db_url(self.redis_url, self.REDIS_DBS["broker"]),
            STATIC_ROOT=str(self.workdir / "static"),
            MEDIA_ROOT=str(self.workdir / "media"),
            HTX_VAR_DIR=str(self.workdir / "var"),
            CELERY_BEAT_SCHEDULE_FILENAME=str(self.workdir / "var" / "celerybeat-schedule"),
            # No mail relay on a CI machine: mails are written to the worker's log instead.
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            ALIBABA_GATEWAY_URL=f"{self.sandbox_url}/router/rest",
            WEB_CONCURRENCY=str(self.web_workers),
            GUNICORN_BIND=f"127.0.0.1:{self.web_port}",
            PYTHONUNBUFFERED="1",
        )
        self.env = env

    def _manage(self, *args: str, timeout: int = 300, check: bool = True) -> subprocess.CompletedProcess:
        started = time.monotonic()
        result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        self.log(f"  manage.py {' '.join(args)} -> {result.returncode} ({time.monotonic() - started:.1f}s)")
        if check and result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def manage(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return self._manage(*args, timeout=timeout, check=False)

    def _make_certificate(self) -> None:
        self.cert_path = self.workdir / "tls" / "cert.pem"
        key = self.workdir / "tls" / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOSTNAME}",
             "-addext", f"subjectAltName=DNS:{HOSTNAME},IP:127.0.0.1",
             "-keyout", str(key), "-out", str(self.cert_path)],
            check=True, capture_output=True,
        )
        self.key_path = key

    def render_nginx(self) -> Path:
        conf_dir = self.workdir / "nginx" / "conf.d"
        values = {
            "HTX_UPSTREAM": f"127.0.0.1:{self.web_port}",
            "HTX_HTTP_PORT": str(self.http_port),
            "HTX_HTTPS_PORT": str(self.https_port),
            "HTX_SERVER_NAMES": f"{HOSTNAME} 127.0.0.1",
            "HTX_TLS_CERT": str(self.cert_path),
            "HTX_TLS_KEY": str(self.key_path),
            "HTX_STATIC_ROOT": str(self.workdir / "static"),
            "HTX_MEDIA_ROOT": str(self.workdir / "media"),
            "HTX_CONF_DIR": str(conf_dir),
            "HTX_ACCESS_LOG": str(self.workdir / "logs" / "nginx-access.log"),
        }
        for template in sorted((DEPLOY / "nginx" / "templates").glob("*.template")):
            target = conf_dir / template.name.removesuffix(".template")
            target.write_text(render_template(template.read_text(), values))
        tmp = self.workdir / "nginx" / "tmp"
        main = self.workdir / "nginx" / "nginx.conf"
        main.write_text(f"""
worker_processes 2;
pid {self.workdir}/nginx/nginx.pid;
error_log {self.workdir}/logs/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {conf_dir}/htx-site.conf;
}}
""")
        return main

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = open(self.workdir / "logs" / f"{name}.log", "wb")
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def _start_processes(self) -> None:
        nginx = ensure_nginx()
        main_conf = self.render_nginx()
        check = subprocess.run([nginx, "-t", "-c", str(main_conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise StackError(f"nginx -t rejected the configuration:\n{check.stderr}")
        self._spawn("sandbox", [PY, "-m", "integrations.alibaba.sandbox", "--host", "127.0.0.1",
                                "--port", str(self.sandbox_port), "--db", str(self.workdir / "var" / "sandbox.sqlite3")])
        self._spawn("web", [PY, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"),
                            "storefront.wsgi:application"])
        self._spawn("worker", [PY, "-m", "celery", "-A", "storefront", "worker", "-l", "info",
                               "--concurrency", str(self.celery_concurrency), "-n", "smoke@%h"])
        self._spawn("beat", [PY, "-m", "celery", "-A", "storefront", "beat", "-l", "info",
                             "-s", self.env["CELERY_BEAT_SCHEDULE_FILENAME"]])
        self._spawn("nginx", [nginx, "-c", str(main_conf), "-g", "daemon off;"])

    def wait_healthy(self, timeout: float) -> dict:
        import requests

        deadline = time.time() + timeout
        last = "no answer"
        while time.time() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise StackError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")
            try:
                session = requests.Session()
                session.trust_env = False
                resp = session.get(f"{self.base_url}/healthz", verify=str(self.cert_path), timeout=5)
                if resp.status_code == 200:
                    return resp.json()
                last = f"{resp.status_code} {resp.text[:200]}"
            except requests.RequestException as exc:
                last = type(exc).__name__
            time.sleep(0.5)
        raise StackError(f"/healthz not healthy within {timeout:.0f}s: {last}\n{self.log_tail('web')}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.workdir / "logs" / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def log_text(self, name: str) -> str:
        path = self.workdir / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, proc in self.procs.items()}

    def celery(self, *args: str, timeout: int = 30) -> subprocess.CompletedProcess:
        return subprocess.run([PY, "-m", "celery", "-A", "storefront", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def describe(self) -> str:
        return json.dumps({"shop": self.base_url, "sandbox": self.sandbox_url, "workdir": str(self.workdir),
                           "database": self.db_name}, indent=2)
