"""The nginx templates render to configurations that Debian's nginx accepts (`nginx -t`), for the
single host (TLS) and for the Kubernetes sidecar."""
import re
import subprocess

import yaml

from localstack import render_template

from .conftest import DEPLOY


def write_main(tmp_path, include: str) -> str:
    main = tmp_path / "nginx.conf"
    main.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    include {include};
}}
""")
    return str(main)


def render_all(tmp_path, values: dict, files: list[str]) -> None:
    for template in (DEPLOY / name for name in files):
        text = render_template(template.read_text(), values)
        assert not re.search(r"\$\{HTX_\w+\}", text), f"{template.name}: unfilled variable"
        (tmp_path / template.name.removesuffix(".template")).write_text(text)


def test_render_fills_only_our_variables():
    text = render_template("proxy_set_header Host $host; server ${HTX_UPSTREAM}; ${OTHER}", {"HTX_UPSTREAM": "web:8000"})
    assert text == "proxy_set_header Host $host; server web:8000; ${OTHER}"


def test_single_host_site_is_valid(tmp_path, nginx_binary):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    render_all(tmp_path, {
        "HTX_UPSTREAM": "127.0.0.1:8000", "HTX_HTTP_PORT": "8080", "HTX_HTTPS_PORT": "8443",
        "HTX_SERVER_NAMES": "shop.example.vn", "HTX_TLS_CERT": str(tmp_path / "cert.pem"),
        "HTX_TLS_KEY": str(tmp_path / "key.pem"), "HTX_STATIC_ROOT": str(tmp_path), "HTX_MEDIA_ROOT": str(tmp_path),
        "HTX_CONF_DIR": str(tmp_path), "HTX_ACCESS_LOG": str(tmp_path / "access.log"),
    }, [str(p.relative_to(DEPLOY)) for p in (DEPLOY / "nginx" / "templates").glob("*.template")])
    result = subprocess.run([nginx_binary, "-t", "-c", write_main(tmp_path, str(tmp_path / "htx-site.conf"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_kubernetes_sidecar_is_valid(tmp_path, nginx_binary):
    # Exactly the files the kustomization puts in the sidecar's ConfigMap.
    generated = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())["configMapGenerator"][0]["files"]
    render_all(tmp_path, {"HTX_STATIC_ROOT": "/srv/static", "HTX_CONF_DIR": str(tmp_path)}, generated)
    result = subprocess.run([nginx_binary, "-t", "-c", write_main(tmp_path, str(tmp_path / "k8s-sidecar.conf"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_limits_match_django():
    app = (DEPLOY / "nginx" / "templates" / "htx-app.inc.template").read_text()
    size_mb = int(re.search(r"client_max_body_size (\d+)m;", app).group(1))
    assert 12 <= size_mb <= 16  # DATA_UPLOAD_MAX_MEMORY_SIZE is 12 MiB
    assert "gzip on;" in app and "X-Forwarded-Proto $htx_forwarded_proto" in app
