"""Falco's http_output in build/harrier (src/app/http_output.c): each alert
is POSTed to http_output.url by a worker thread, with Falco 0.44's headers
(Content-Type application/json with json_output, text/plain without;
User-Agent from http_output.user_agent, "falcosecurity/falco" by default)
and the alert as body, exactly the line the stdout output prints, without
its newline (userspace/falco/outputs_http.cpp).

A local server (http.server on 127.0.0.1, port 0) records the requests.
Falco goes on when the sink fails, logging libcurl's reason for each failed
post, and exits 0; Harrier does the same, names the URL, and also reports
answers outside 2xx (Falco ignores the status: a deliberate deviation, so
that a sink refusing every alert is not silent). Runs end within
output_timeout of the capture's end however the sink behaves.
"""
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PENDING_TESTS = {}

CAPTURE = "cat_write"
ALERTS = 14  # Falco 0.44's alerts on it with the conformance rules


class Sink:
    """An HTTP server on 127.0.0.1 recording every request; `status` is its
    answer, `delay` seconds before it, `hang` never answers."""

    def __init__(self, status=200, delay=0.0, hang=False, tls=None):
        self.requests = []
        self.cond = threading.Condition()
        self.release = threading.Event()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without this, each
            # answer waits for the client's delayed ACK (40 ms)
            disable_nagle_algorithm = True

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with sink.cond:
                    sink.requests.append((self.command, self.path, dict(self.headers), body))
                    sink.cond.notify_all()
                if hang:
                    sink.release.wait(30)
                    return
                if delay:
                    time.sleep(delay)
                answer = b"sink-ok\n"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls:  # (certificate, key) files
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = "%s://127.0.0.1:%d/" % (scheme, self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self):
        with self.cond:
            return [r[3].decode() for r in self.requests]

    def wait_requests(self, n, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.requests) < n and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            return len(self.requests)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def free_port():
    """A port nothing listens on (bound, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def expected_alerts(ctx):
    path = os.path.join(ctx.shared, "conformance", "falco-alerts", "expected", CAPTURE + ".jsonl")
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def run_harrier(ctx, url, *options, timeout=60):
    """harrier with the conformance rules on the capture, http_output to
    `url`; (process, stdout alert lines, stderr text, seconds)."""
    rules = os.path.join(ctx.shared, "conformance", "falco-alerts", "rules.yaml")
    trace = os.path.join(ctx.traces_dir, CAPTURE + ".scap")
    env = dict(ctx.env, FALCO_HOSTNAME="h")
    args = [ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "priority=debug", "-o", "time_format_iso_8601=true",
            "-o", "http_output.enabled=true", "-o", "http_output.url=" + url, *options]
    start = time.monotonic()
    p = subprocess.run(args, capture_output=True, env=env, timeout=timeout)
    took = time.monotonic() - start
    out = p.stdout.decode()
    alerts = [line for line in out.splitlines() if re.match(r"^(\{|\d{4}-\d\d-\d\dT)", line)]
    return p, alerts, p.stderr.decode(errors="replace"), took


def undelivered(stderr):
    """The end-of-run report: (alerts lost, alerts in all)."""
    m = re.search(r"http_output: (\d+) of (\d+) alerts did not reach", stderr)
    return (int(m.group(1)), int(m.group(2))) if m else None


def test_http_json_alerts_arrive_once_as_stdout_prints_them(ctx):
    sink = Sink()
    try:
        p, alerts, err, _ = run_harrier(ctx, sink.url, "-o", "json_output=true")
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert [json.loads(a) for a in alerts] == expected_alerts(ctx), "stdout differs from Falco 0.44's alerts"
    assert len(alerts) == ALERTS
    # every alert once, in order, byte for byte the stdout line
    assert sink.bodies() == alerts
    for method, path, headers, _ in sink.requests:
        assert (method, path) == ("POST", "/")
        assert headers.get("Content-Type") == "application/json", headers
        assert headers.get("User-Agent") == "falcosecurity/falco", headers
    assert undelivered(err) is None and "could not post" not in err, err[-2000:]
    assert b"sink-ok" not in p.stdout  # http_output.echo is off by default
    assert "Enabled http_output: alerts are posted to " + sink.url in err, err[-2000:]


def test_http_text_alerts_user_agent_and_echo(ctx):
    sink = Sink()
    try:
        p, alerts, err, _ = run_harrier(ctx, sink.url, "-o", "json_output=false", "-o",
                                        "http_output.user_agent=harrier-test/1", "-o", "http_output.echo=true")
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert len(alerts) == ALERTS and not alerts[0].startswith("{"), alerts[:2]
    assert sink.bodies() == alerts
    assert {r[2].get("Content-Type") for r in sink.requests} == {"text/plain"}
    assert {r[2].get("User-Agent") for r in sink.requests} == {"harrier-test/1"}
    # echo: the sink's answers are printed on stdout, as libcurl writes them
    assert p.stdout.decode().splitlines().count("sink-ok") == ALERTS, p.stdout[-1000:]


def test_http_quoted_url_and_compress_uploads(ctx):
    sink = Sink()
    try:
        p, alerts, err, _ = run_harrier(ctx, '"%s"' % sink.url, "-o", "json_output=true", "-o",
                                        "http_output.compress_uploads=true")
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert sink.bodies() == alerts and len(alerts) == ALERTS
    # Falco's compress_uploads is libcurl's CURLOPT_TRANSFER_ENCODING: it
    # asks for a compressed answer (TE), the alert itself goes as it is
    assert all("gzip" in r[2].get("TE", "") for r in sink.requests), sink.requests[0][2]


def test_http_tls_certificate_checks(ctx):
    """https: a self-signed server is refused unless http_output.ca_cert
    names its certificate or http_output.insecure is set."""
    cert, key = os.path.join(ctx.tmp, "sink-cert.pem"), os.path.join(ctx.tmp, "sink-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    sink = Sink(tls=(cert, key))
    try:
        refused = run_harrier(ctx, sink.url, "-o", "json_output=true")
        n_refused = len(sink.requests)
        with_ca = run_harrier(ctx, sink.url, "-o", "json_output=true", "-o", "http_output.ca_cert=" + cert)
        insecure = run_harrier(ctx, sink.url, "-o", "json_output=true", "-o", "http_output.insecure=true")
        bodies = sink.bodies()
    finally:
        sink.close()
    p, alerts, err, _ = refused
    assert p.returncode == 0 and n_refused == 0 and undelivered(err) == (ALERTS, ALERTS), err[-2000:]
    assert "could not post an alert to %s: SSL peer certificate" % sink.url in err, err[-2000:]
    for p, alerts, err, _ in (with_ca, insecure):
        assert p.returncode == 0 and undelivered(err) is None and len(alerts) == ALERTS, err[-2000:]
    assert bodies == with_ca[1] + insecure[1]


def test_http_server_answering_500_is_reported(ctx):
    sink = Sink(status=500)
    try:
        p, alerts, err, _ = run_harrier(ctx, sink.url, "-o", "json_output=true")
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert len(alerts) == ALERTS and sink.bodies() == alerts
    assert err.count("%s answered HTTP 500" % sink.url) == ALERTS, err[-2000:]
    assert undelivered(err) == (ALERTS, ALERTS), err[-2000:]


def test_http_nothing_listening_reported_other_outputs_work(ctx):
    url = "http://127.0.0.1:%d/" % free_port()
    out_file = os.path.join(ctx.tmp, "http-down-alerts.txt")
    p, alerts, err, took = run_harrier(ctx, url, "-o", "json_output=true", "-o", "file_output.enabled=true", "-o",
                                       "file_output.filename=" + out_file)
    assert p.returncode == 0, err[-2000:]  # Falco goes on and exits 0
    assert [json.loads(a) for a in alerts] == expected_alerts(ctx)
    with open(out_file) as f:
        assert f.read().splitlines() == alerts
    failures = [line for line in err.splitlines() if "could not post an alert to " + url in line]
    assert len(failures) == ALERTS and "Couldn't connect to server" in failures[0], err[-2000:]
    assert undelivered(err) == (ALERTS, ALERTS), err[-2000:]
    assert took < 10, took


def test_http_server_that_never_answers_does_not_hang(ctx):
    sink = Sink(hang=True)
    try:
        p, alerts, err, took = run_harrier(ctx, sink.url, "-o", "json_output=true", "-o", "output_timeout=500",
                                           timeout=30)
        got = len(sink.requests)
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert len(alerts) == ALERTS
    assert got >= 1  # the first post reached the server, which kept it
    # output_timeout 0.5 s after the end, plus libcurl's check of the
    # deadline (at least once a second) and the run itself
    assert took < 3.5, took
    assert undelivered(err) == (ALERTS, ALERTS), err[-2000:]
    assert "(0 failed, 0 refused by the server, 0 dropped as the queue was full, 14 still queued " \
           "output_timeout=500 ms after the end)" in err, err[-2000:]


def test_http_full_queue_drops_are_counted_and_reported(ctx):
    sink = Sink(delay=0.3)
    try:
        p, alerts, err, _ = run_harrier(ctx, sink.url, "-o", "json_output=true", "-o", "outputs_queue.capacity=1")
        delivered = len(sink.requests)
    finally:
        sink.close()
    assert p.returncode == 0, err[-2000:]
    assert len(alerts) == ALERTS
    assert err.count("dropping alerts") == 1, err[-2000:]
    m = re.search(r"\((\d+) failed, (\d+) refused by the server, (\d+) dropped as the queue was full, (\d+) still", err)
    assert m, err[-2000:]
    failed, refused, dropped, discarded = map(int, m.groups())
    assert failed == refused == discarded == 0 and dropped >= 1, m.group(0)
    assert delivered + dropped == ALERTS, (delivered, dropped)
    assert undelivered(err) == (dropped, ALERTS)
    # the ones delivered are the first alert and whichever waited in the queue
    assert sink.bodies()[0] == alerts[0] and set(sink.bodies()) <= set(alerts)


def test_http_output_config_errors(ctx):
    rules = os.path.join(ctx.shared, "conformance", "falco-alerts", "rules.yaml")
    trace = os.path.join(ctx.traces_dir, CAPTURE + ".scap")
    base = [ctx.bin("harrier"), "-r", rules, "-e", trace]
    p = ctx.run(base + ["-o", "http_output.enabled=true"], check=False)
    assert p.returncode == 1 and b"http_output.url is not set" in p.stderr, p.stderr[-1000:]
    p = ctx.run(base + ["-o", "http_output.enabled=true", "-o", "http_output.url=http://127.0.0.1:1/", "-o",
                        "output_timeout=fast"], check=False)
    assert p.returncode == 1 and b"output_timeout must be a whole number" in p.stderr, p.stderr[-1000:]
    p = ctx.run(base + ["-o", "http_output.enabled=maybe"], check=False)
    assert p.returncode == 1 and b"http_output.enabled must be a boolean" in p.stderr, p.stderr[-1000:]
    # gRPC output: removed in Falco 0.44; never silently accepted
    p = ctx.run(base + ["-o", "grpc_output.enabled=true", "-o", "grpc.enabled=true"], check=False)
    assert p.returncode == 0, p.stderr[-1000:]
    err = p.stderr.decode()
    for key in ("grpc_output.enabled", "grpc.enabled"):
        assert re.search(r"'%s': the gRPC output and server were removed in Falco 0.44" % re.escape(key), err), err
    # a misspelt key (Falco's schema lists the http_output keys)
    p = ctx.run(base + ["-o", "http_output.enabled=false", "-o", "http_output.ulr=http://127.0.0.1:1/"],
                check=False)
    assert p.returncode == 0 and b"Unknown configuration key 'http_output.ulr'" in p.stderr, p.stderr[-1000:]
    # a disabled http_output loads no libcurl
    env = dict(ctx.env, LD_DEBUG="files")
    p = subprocess.run(base + ["-o", "http_output.enabled=false", "-o", "http_output.url=http://127.0.0.1:1/"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0 and "file=" in p.stderr and "libcurl" not in p.stderr, p.stderr[-2000:]


def test_http_output_live(ctx):
    """harrier live: the alert of a marker command reaches the sink, and
    SIGINT delivers everything queued before the exit."""
    from test_live_detector import Detector, rule
    marker = os.path.join(ctx.tmp, "http-live-marker")
    open(marker, "w").close()
    sink = Sink()
    try:
        det = Detector(ctx, rule("Http marker", "evt.type in (open, openat, openat2) and fd.name=%s" % marker,
                                 "marker opened by %proc.name"),
                       "-o", "http_output.enabled=true", "-o", "http_output.url=" + sink.url)
        try:
            det.wait_alert(lambda a: a["rule"] == "Http marker", "marker alert", poke=lambda: open(marker).close())
        finally:
            rc = det.stop(signal.SIGINT)
        sent = [l for l in det.lines if l.startswith("{")]
        sink.wait_requests(len(sent), timeout=5)
        bodies = sink.bodies()
    finally:
        sink.close()
    assert rc == 0, det.stderr[-2000:]
    assert sent and bodies == sent, (len(sent), len(bodies))
    assert all(r[2].get("Content-Type") == "application/json" for r in sink.requests)
