#!/usr/bin/env python3
"""Sends one app's scenario to two servers and compares what the application decides.

    python3 parity.py --app DIR --reference http://127.0.0.1:A --candidate http://127.0.0.1:B
                      [--scenario FILE] [--json FILE] [--wait SECONDS] [--timeout SECONDS]

The scenario is DIR/scenario.json if there is one, else scenario.json beside this file; a request
with "apps" is sent only to the apps it names (DIR's base name). Requests go out in order, each on a
new raw socket with "Connection: close" (gunicorn's sync workers close after every response anyway)
and read until the server closes, so bytes past the framed message (a body on HEAD, 204 or 304, more
than Content-Length) are seen and fail the request. Each server has its own cookie jar: a cookie or
session set by one request is sent back on the next ("{{cookie:NAME}}" in a header or form value is
that cookie's value in the jar; a header or form field whose cookie that server never set is not
sent: Django's CSRF token goes to Django only).

Compared for every request: the status line (code and reason phrase); every response header except
the server's own, SERVER_HEADERS below (Server, Date, Connection, Keep-Alive, Transfer-Encoding), and
those the scenario ignores with a reason ("ignore_headers"); and the body, as "body_compare" says:
"exact" (default, after the request's "normalize" regex replacements), "json", "sha256", or
{"ignore": reason}. Content-Length is compared as sent, except that one side's Content-Length against
the other side's chunked framing is the servers' choice of framing for a body the application did
not size, and not a difference. Set-Cookie is compared per cookie: name, attributes (Expires only
for presence: it is a date) and value, except the values of the cookies in "cookie_values_ignored"
(signed with a timestamp, or random). Headers in "unordered_headers" (Allow, Vary) are compared as
sets. Each side's own address (http://127.0.0.1:PORT, 127.0.0.1:PORT) is replaced by "SERVER" in
headers and bodies before comparing: an app may echo the Host header, as Bottle's absolute Location.

"expect" (status, body_contains, body_excludes, body_empty, headers: name -> regex or null for
absent), updated by "expect_by_app"[app], is checked on both sides, so two identical failures are
not a pass. "known_difference" {apps, reason, candidate: expect, covers} lets the candidate differ
from the reference as described, in the parts "covers" names (default: status, body, Content-Length,
Content-Type), provided the candidate then meets its own expectations: reported as KNOWN, not a
failure (the reference must still meet "expect", and any other difference still counts).

Prints one line per request, "ok" or "DIFF" (then both sides' status and body excerpt and one line
per difference) or "KNOWN"; --json writes every exchange (headers, body length, sha256, excerpt).
Exit status: 0 no difference, 1 a difference, 2 a server could not be connected to (refused or
timed out connecting, at --wait or at any request), 64 bad usage or scenario.
Standard library only; CPython 3.9 or later.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import socket
import sys
import time
import urllib.parse

SERVER_HEADERS = {
    "server": "names the server",
    "date": "the time of the response",
    "connection": "hop-by-hop, the server's keep-alive policy",
    "keep-alive": "hop-by-hop, the server's keep-alive policy",
    "transfer-encoding": "framing: a server may chunk or size a body the application streams",
}
BOUNDARY = "corral-parity-boundary-7MA4YWxkTrZu0gW"
EXCERPT = 160  # characters of a body in a DIFF line; the JSON summary keeps SUMMARY_EXCERPT
SUMMARY_EXCERPT = 2000


class ScenarioError(Exception):
    pass


class Unreachable(Exception):
    pass


def load_scenario(app_dir, explicit):
    path = explicit or os.path.join(app_dir, "scenario.json")
    if not explicit and not os.path.exists(path):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenario.json")
    try:
        with open(path, encoding="utf-8") as f:
            scenario = json.load(f)
    except (OSError, ValueError) as e:
        raise ScenarioError("cannot read scenario %s: %s" % (path, e))
    app = os.path.basename(os.path.normpath(app_dir))
    requests = [r for r in scenario.get("requests", []) if "apps" not in r or app in r["apps"]]
    if not requests:
        raise ScenarioError("scenario %s has no request for app %r" % (path, app))
    for r in requests:
        for key in ("name", "method", "path"):
            if key not in r:
                raise ScenarioError("a request in %s lacks %r: %r" % (path, key, r))
        body = r.get("body_compare", "exact")
        if not (body in ("exact", "json", "sha256") or (isinstance(body, dict) and body.get("ignore"))):
            raise ScenarioError("%s: body_compare must be exact, json, sha256 or {\"ignore\": reason}" % r["name"])
    return app, path, scenario, requests


def substitute(value, jar):
    """'{{cookie:NAME}}' becomes that cookie's value in this server's jar; None if it has none."""
    missing = []

    def cookie(m):
        if m.group(1) not in jar:
            missing.append(m.group(1))
            return ""
        return jar[m.group(1)]
    out = re.sub(r"\{\{cookie:([^}]+)\}\}", cookie, value)
    return None if missing else out


def request_body(spec, jar):
    """The body bytes and the Content-Type they imply, from body / form / json / multipart."""
    if "form" in spec:
        values = [(k, substitute(v, jar)) for k, v in spec["form"]]
        pairs = [(k, v) for k, v in values if v is not None]  # a field from a cookie never set is left out
        return urllib.parse.urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    if "json" in spec:
        return json.dumps(spec["json"], ensure_ascii=False).encode("utf-8"), "application/json"
    if "multipart" in spec:
        out = []
        for part in spec["multipart"]:
            disposition = 'form-data; name="%s"' % part["name"]
            head = []
            if "filename" in part:
                disposition += '; filename="%s"' % part["filename"]
                head.append("Content-Type: %s" % part.get("content_type", "application/octet-stream"))
            if "content_base64" in part:
                content = base64.b64decode(part["content_base64"])
            else:
                content = part.get("value", part.get("content", "")).encode("utf-8")
            content *= part.get("repeat", 1)
            out.append(("--%s\r\nContent-Disposition: %s\r\n%s\r\n" % (
                BOUNDARY, disposition, "".join(h + "\r\n" for h in head))).encode("utf-8") + content + b"\r\n")
        out.append(("--%s--\r\n" % BOUNDARY).encode("ascii"))
        return b"".join(out), "multipart/form-data; boundary=" + BOUNDARY
    if "body" in spec:
        return spec["body"].encode("utf-8"), None
    return None, None


def send(base, spec, jar, timeout):
    """One exchange on a new raw connection, "Connection: close", read to the server's close, so that
    bytes past the framed message (a body on HEAD, more than Content-Length) show. Returns the
    response as a dict; raises Unreachable when the server cannot be connected to."""
    url = urllib.parse.urlsplit(base)
    host, port = url.hostname, url.port or 80
    body, implied_type = request_body(spec, jar)
    headers = [("Host", "%s:%s" % (host, port)), ("User-Agent", "corral-parity/1")]
    if jar and spec.get("cookies", True):
        headers.append(("Cookie", "; ".join("%s=%s" % kv for kv in jar.items())))
    given = {k.lower() for k in spec.get("headers", {})}
    if implied_type and "content-type" not in given:
        headers.append(("Content-Type", implied_type))
    for name, value in spec.get("headers", {}).items():
        value = substitute(value, jar)
        if value is not None:  # a header built from a cookie this server never set is left out
            headers.append((name, value))
    chunked = spec.get("chunked", False)
    if body is not None:
        headers.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(len(body))))
        if chunked:
            size = spec.get("chunk_size", 7)
            body = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
                            for i in range(0, len(body), size)) + b"0\r\n\r\n"
    headers.append(("Connection", "close"))
    head = "%s %s HTTP/1.1\r\n%s\r\n" % (spec["method"], spec["path"], "".join("%s: %s\r\n" % h for h in headers))

    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as e:
        raise Unreachable("%s: %s" % (base, e))
    received = []
    try:
        sock.sendall(head.encode("utf-8") + (body or b""))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data:
                break
            received.append(data)
        else:
            raise socket.timeout("no close within %ss" % timeout)
    except OSError as e:
        if not received:
            return failed("%s: %s" % (type(e).__name__, e))
    finally:
        sock.close()
    return parse_response(b"".join(received), spec["method"])


def failed(error):
    return {"status": None, "reason": None, "headers": [], "chunked": False, "body": b"", "extra": 0, "error": error}


def parse_response(raw, method):
    """Status, headers and the body as its framing delimits it; "extra" counts the bytes after it."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        return failed("incomplete response head (%d bytes): %r" % (len(raw), raw[:80]))
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return failed("bad status line %r" % lines[0])
    status, reason = int(parts[1]), parts[2] if len(parts) > 2 else ""
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    fields = dict(headers)
    chunked = "chunked" in fields.get("transfer-encoding", "").lower()
    response = {"status": status, "reason": reason, "headers": headers, "chunked": chunked, "body": b"", "extra": 0, "error": None}
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        response["extra"] = len(rest)
    elif chunked:
        body, pos = [], 0
        while True:
            eol = rest.find(b"\r\n", pos)
            try:
                size = int(rest[pos:eol].split(b";")[0].strip(), 16) if eol >= 0 else None
            except ValueError:
                size = None
            start = eol + 2
            if size == 0:  # the last chunk; then trailer lines up to an empty line
                end = start + 2 if rest[start:start + 2] == b"\r\n" else rest.find(b"\r\n\r\n", start) + 4
                if end < start:
                    response["error"] = "chunked body without its final CRLF"
                response["extra"] = max(0, len(rest) - end)
                break
            if size is None or rest[start + size:start + size + 2] != b"\r\n":
                response["error"] = "bad or cut chunked body after %d bytes" % sum(map(len, body))
                break
            body.append(rest[start:start + size])
            pos = start + size + 2
        response["body"] = b"".join(body)
    elif "content-length" in fields:
        length = int(fields["content-length"])
        response["body"], response["extra"] = rest[:length], max(0, len(rest) - length)
        if len(rest) < length:
            response["error"] = "body cut at %d of Content-Length %d bytes" % (len(rest), length)
    else:
        response["body"] = rest  # delimited by the close
    return response


def update_jar(jar, response):
    for name, value in response["headers"]:
        if name != "set-cookie":
            continue
        cookie = parse_cookie(value, ignored_values={})
        attrs = dict(cookie["attributes"])
        expired = attrs.get("max-age") is not None and attrs["max-age"].lstrip("-").isdigit() and int(attrs["max-age"]) <= 0
        if expired or cookie["raw_value"] in ('""', ""):
            jar.pop(cookie["name"], None)
        else:
            jar[cookie["name"]] = cookie["raw_value"]


def parse_cookie(header, ignored_values):
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    attributes = []
    for p in parts[1:]:
        if not p:
            continue
        key, eq, val = p.partition("=")
        key = key.strip().lower()
        if key == "expires":
            val = "<date>"
        attributes.append((key, val.strip() if eq else True))
    shown = "<%s>" % ("set" if value else "empty") if name in ignored_values else value
    return {"name": name, "raw_value": value, "value": shown, "attributes": sorted(attributes, key=str)}


def normalise(data, base):
    """Replaces the server's own address, which the application may echo, by a neutral one."""
    url = urllib.parse.urlsplit(base)
    hostport = "%s:%s" % (url.hostname, url.port or 80)
    return data.replace(("http://" + hostport).encode(), b"http://SERVER").replace(hostport.encode(), b"SERVER")


def apply_rules(data, rules):
    for pattern, replacement in rules:
        data = re.sub(pattern.encode("utf-8"), replacement.encode("utf-8"), data)
    return data


def header_view(response, base, scenario, spec):
    """name -> list of comparable values, for the headers that are the application's."""
    ignored = dict(scenario.get("ignore_headers", {}))
    ignored.update(spec.get("ignore_headers", {}))
    unordered = set(scenario.get("unordered_headers", []))
    signed = scenario.get("cookie_values_ignored", {})
    view = {}
    for name, value in response["headers"]:
        if name in SERVER_HEADERS or name in ignored:
            continue
        value = normalise(value.encode("latin-1", "replace"), base).decode("latin-1")
        if name == "set-cookie":
            c = parse_cookie(value, signed)
            value = "%s=%s; %s" % (c["name"], c["value"], "; ".join(k if v is True else "%s=%s" % (k, v) for k, v in c["attributes"]))
        elif name in unordered:
            value = ", ".join(sorted(t.strip() for t in value.split(",") if t.strip()))
        view.setdefault(name, []).append(value)
    if "set-cookie" in view:
        view["set-cookie"].sort()
    return view


def body_view(response, base, spec):
    mode = spec.get("body_compare", "exact")
    data = apply_rules(normalise(response["body"], base), spec.get("normalize", []))
    if isinstance(mode, dict):
        return None
    if mode == "sha256":
        return "%d bytes, sha256 %s" % (len(response["body"]), hashlib.sha256(response["body"]).hexdigest())
    if mode == "json":
        try:
            return json.loads(data.decode("utf-8"))
        except ValueError as e:
            return "<not JSON: %s> %s" % (e, excerpt(data))
    return data


def excerpt(data, limit=EXCERPT):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False)
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit] + "...(%d more)" % (len(text) - limit)


def check_expect(side, response, expect):
    problems = []
    if response["error"]:
        problems.append("%s: %s" % (side, response["error"]))
    if response["extra"]:
        problems.append("%s: %d bytes after the end of the response (a body on HEAD, 204 or 304, or past Content-Length)" % (side, response["extra"]))
    if response["status"] is None:
        return problems
    if "status" in expect and response["status"] != expect["status"]:
        problems.append("%s: status %s, expected %s" % (side, response["status"], expect["status"]))
    text = response["body"].decode("utf-8", "replace")
    for s in expect.get("body_contains", []):
        if s not in text:
            problems.append("%s: body lacks %r" % (side, s))
    for s in expect.get("body_excludes", []):
        if s in text:
            problems.append("%s: body holds %r" % (side, s))
    if "body_empty" in expect and (response["body"] == b"") != expect["body_empty"]:
        problems.append("%s: body is %d bytes, expected %s" % (side, len(response["body"]), "none" if expect["body_empty"] else "some"))
    headers = {}
    for name, value in response["headers"]:
        headers.setdefault(name, value)
    for name, want in expect.get("headers", {}).items():
        got = headers.get(name.lower())
        if want is None and got is not None or want is not None and (got is None or not re.fullmatch(want, got)):
            problems.append("%s: header %s is %r, expected %s" % (side, name, got, "none" if want is None else repr(want)))
    return problems


def compare(spec, scenario, app, ref, cand, ref_base, cand_base):
    diffs = []
    if (ref["error"], ref["status"], ref["reason"]) != (cand["error"], cand["status"], cand["reason"]):
        diffs.append("status: reference %s | candidate %s" % (status_text(ref), status_text(cand)))
    rh, ch = header_view(ref, ref_base, scenario, spec), header_view(cand, cand_base, scenario, spec)
    for name in sorted(set(rh) | set(ch)):
        if rh.get(name) == ch.get(name):
            continue
        if name == "content-length" and (name not in rh and ref["chunked"] or name not in ch and cand["chunked"]):
            continue  # one side sized the body, the other chunked it: framing, the server's choice
        diffs.append("header %s: reference %s | candidate %s" % (name, rh.get(name, "(absent)"), ch.get(name, "(absent)")))
    mode = spec.get("body_compare", "exact")
    rb, cb = body_view(ref, ref_base, spec), body_view(cand, cand_base, spec)
    if rb != cb:
        diffs.append("body (%s): reference %s | candidate %s" % (mode, excerpt(rb), excerpt(cb)))
    expect = dict(spec.get("expect", {}))
    expect.update(spec.get("expect_by_app", {}).get(app, {}))
    problems = check_expect("reference", ref, expect)
    known = spec.get("known_difference")
    if known and app in known.get("apps", []) and diffs:
        # The candidate may differ as described (in the parts the difference covers), and then must
        # meet the known outcome instead; any other difference still counts.
        covers = set(known.get("covers", KNOWN_COVERS))
        uncovered = [d for d in diffs if diff_key(d) not in covers]
        problems += check_expect("candidate", cand, known.get("candidate", {}))
        return (diffs + problems, []) if problems or uncovered else ([], diffs)
    return diffs + problems + check_expect("candidate", cand, expect), []


KNOWN_COVERS = ("status", "body", "header content-length", "header content-type")


def diff_key(diff):
    """'status: ...' -> 'status', 'body (json): ...' -> 'body', 'header etag: ...' -> 'header etag'."""
    head = diff.split(":", 1)[0]
    return "body" if head.startswith("body") else head


def status_text(r):
    if r["status"] is None:
        return r["error"]
    return "%s %s%s" % (r["status"], r["reason"], " (%s)" % r["error"] if r["error"] else "")


def summary_of(r):
    return {"status": r["status"], "reason": r["reason"], "error": r["error"], "headers": r["headers"],
            "chunked": r["chunked"], "bytes_after_end": r["extra"], "body_length": len(r["body"]),
            "body_sha256": hashlib.sha256(r["body"]).hexdigest(), "body_excerpt": excerpt(r["body"], SUMMARY_EXCERPT)}


def wait_for(base, seconds):
    url = urllib.parse.urlsplit(base)
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((url.hostname, url.port or 80), timeout=2).close()
            return
        except OSError as e:
            if time.monotonic() >= deadline:
                raise Unreachable("%s: %s (waited %ss)" % (base, e, seconds))
            time.sleep(0.2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True, help="the app's directory (its base name selects requests)")
    parser.add_argument("--reference", required=True, help="base URL of the reference server (gunicorn)")
    parser.add_argument("--candidate", required=True, help="base URL of the server under test")
    parser.add_argument("--scenario", help="scenario file (default: DIR/scenario.json, else ./scenario.json)")
    parser.add_argument("--json", dest="json_file", help="write a JSON summary here")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for both ports to accept")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request (default 30)")
    args = parser.parse_args(argv)
    try:
        app, path, scenario, requests = load_scenario(args.app, args.scenario)
    except ScenarioError as e:
        print("parity: %s" % e, file=sys.stderr)
        return 64

    jars = ({}, {})
    results, failed, known_count = [], 0, 0
    print("parity: %s, %d requests from %s; reference %s, candidate %s" % (app, len(requests), path, args.reference, args.candidate))
    try:
        for base in (args.reference, args.candidate):
            wait_for(base, args.wait)
        for i, spec in enumerate(requests, 1):
            ref = send(args.reference, spec, jars[0], args.timeout)
            cand = send(args.candidate, spec, jars[1], args.timeout)
            update_jar(jars[0], ref)
            update_jar(jars[1], cand)
            diffs, known = compare(spec, scenario, app, ref, cand, args.reference, args.candidate)
            failed += bool(diffs)
            known_count += bool(known)
            label = "%02d %-22s %s %s" % (i, spec["name"], spec["method"], spec["path"])
            if diffs:
                print("DIFF %s" % label)
                print("     reference %s, %d bytes: %s" % (status_text(ref), len(ref["body"]), excerpt(ref["body"])))
                print("     candidate %s, %d bytes: %s" % (status_text(cand), len(cand["body"]), excerpt(cand["body"])))
                for d in diffs:
                    print("     - %s" % d)
            elif known:
                print("KNOWN %s -> reference %s, candidate %s" % (label, status_text(ref), status_text(cand)))
                print("     known difference: %s" % spec["known_difference"]["reason"])
                for d in known:
                    print("     - %s" % d)
            else:
                print("ok   %s -> %s" % (label, status_text(ref)))
            results.append({"index": i, "name": spec["name"], "covers": spec.get("covers"), "method": spec["method"],
                            "path": spec["path"], "ok": not diffs, "differences": diffs,
                            "known_difference": spec["known_difference"]["reason"] if known else None, "known": known,
                            "reference": summary_of(ref), "candidate": summary_of(cand)})
    except Unreachable as e:
        print("parity: cannot reach %s" % e, file=sys.stderr)
        write_summary(args, app, path, results, failed, "unreachable: %s" % e)
        return 2
    print("parity: %s: %d ok (%d as a known difference), %d differ" % (app, len(results) - failed, known_count, failed))
    write_summary(args, app, path, results, failed, None)
    return 1 if failed else 0


def write_summary(args, app, path, results, failed, error):
    if not args.json_file:
        return
    with open(args.json_file, "w", encoding="utf-8") as f:
        json.dump({"app": app, "scenario": path, "reference": args.reference, "candidate": args.candidate,
                   "requests": len(results), "ok": len(results) - failed, "differ": failed, "error": error,
                   "results": results}, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
