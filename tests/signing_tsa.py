"""A timestamp authority on 127.0.0.1 for the tests: a real RFC 3161 server over HTTP whose tokens
are made by pyHanko's DummyTimeStamper with the test CA's TSA certificate (critical extended key
usage timeStamping). ``build.py sign --timestamp-url`` talks to it like to any TSA."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper


def _stamper(identity, root) -> DummyTimeStamper:
    der = serialization.Encoding.DER
    key = keys.PrivateKeyInfo.load(identity.key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption()))
    cert = asn1_x509.Certificate.load(identity.cert.public_bytes(der))
    root_cert = asn1_x509.Certificate.load(root.cert.public_bytes(der))
    return DummyTimeStamper(tsa_cert=cert, tsa_key=key, certs_to_embed=[root_cert])


class TimestampServer:
    """``with TimestampServer(ca.tsa, ca.root) as url: …``; ``requests`` counts the tokens issued."""

    def __init__(self, identity, root):
        self.stamper = _stamper(identity, root)
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reply = server.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/tsa"

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
