"""TLS for the mail servers: the server's certificate and host name are verified against the
system's trusted authorities, so that nobody on the path can take the bureau's mail password.
Only an explicit --insecure-tls (a test server, a self-signed one on the office network) turns
that off, and the command then says so."""

from __future__ import annotations

import ssl


def context(verify: bool = True) -> ssl.SSLContext:
    ctx = ssl.create_default_context()  # certificates and host names checked
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
