#!/usr/bin/env python3
"""Prints the CSP hash source of every inline <script> of a built index.html (the <base> script
of xai-web and the loader trunk writes), for a static host's Content-Security-Policy.

    python3 docs/deploy/csp-hashes.py dist/index.html
    'sha256-…' 'sha256-…'

Trunk's loader names the hashed file names of the build, so run it again after each build.
The xai-gateway computes the same hashes itself from the index.html it serves.
"""
import base64
import hashlib
import re
import sys

html = open(sys.argv[1] if len(sys.argv) > 1 else "dist/index.html", encoding="utf-8").read()
hashes = []
for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script", html, re.S | re.I):
    if not re.search(r"(^|\s)src(\s*=|\s|$)", attributes, re.I):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append("'sha256-%s'" % base64.b64encode(digest).decode())
print(" ".join(hashes))
