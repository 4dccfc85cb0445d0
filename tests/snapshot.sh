#!/bin/sh
# snapshot.sh - before/after snapshot of the API responses and report outputs
# of one inspel binary on the demo data, for proving that a restructure
# changed nothing a client or a plan writer sees.
#
# Usage: sh tests/snapshot.sh BIN OUTDIR
#   BIN     the inspel binary to snapshot (e.g. build/inspel, or a copy of
#           the binary from before a change)
#   OUTDIR  where to write the snapshot: must not exist, or be empty
#
#   sh tests/snapshot.sh /tmp/inspel-before /tmp/snap-before
#   sh tests/snapshot.sh build/inspel /tmp/snap-after
#   diff -r /tmp/snap-before /tmp/snap-after     # empty: nothing changed
#
# What it does: in a new temporary folder, starts `BIN serve --db
# TMP/demo.db --port 0 --bind 127.0.0.1 --demo` (loopback only) twice: the
# first start seeds the demo workshop and is stopped at once; the restart
# (which finds the workshop and prints a new key) is the one snapshotted.
# Why twice: the live thread fills the word-cloud cache of every question at
# its start, and on the first start that races the seeding (the seeding
# marks only the workshop), so the clouds of questions 1, 3 and 4 would be
# empty or not by chance; on a restart they are all computed.  From each
# start it reads the port ("listening on http://ADDR:PORT") and the join
# code, workshop id and facilitator key (the demo block), then makes a
# fixed list of requests: every GET route of docs/API.md for the demo
# workshop and its series (and a few errors and the pages' status), a fixed
# sequence of writes (a question opened and closed, answers with fixed
# answer ids, one hidden, curation decisions of every kind on the workshop
# and the series, two votes with ballots), the same GETs again, every report
# format in both languages through the API, a new series and workshops, and
# last the first `snapshot` event of the events stream (phone, presenter).
# Before each round of GETs it waits (unrecorded polls of the words route)
# until the word clouds, which the live thread recomputes in the background
# at most once a second, have not changed for 2.5 s.  Then it stops the
# server with SIGTERM (both exit statuses are recorded) and runs `BIN
# report` for the workshop and the series in every format and language, and
# `BIN keys list`.  The temporary folder is removed and the server stopped
# on every exit, failure and SIGTERM/SIGINT included.  It takes about 10 s.
#
# One file per step in OUTDIR, named NNN-STEP.txt: the request (or command
# line), the status (or exit code), the response headers but Date and
# Content-Length, a blank line, then the body as sent.  A .docx body is
# written as its unzipped parts (word/document.xml first, each part under a
# "--- part NAME" line; the XML gets a line break after each </w:p> and
# </w:tr> so a diff is readable); the SVG path of the QR code is replaced
# (see below).  Responses are kept byte for byte otherwise.
#
# Normalised (everything else is compared as is), consistently across all
# files, the same value always becoming the same placeholder:
#   - ISO times 2026-11-23T09:15:02Z -> <TIME>; "2026-11-23 09:15" (the
#     reports' "... UTC" times) -> <TIME-MIN>; a date left alone (report file
#     names) -> <DATE>;
#   - workshop ids -> <WORKSHOP-N>, series ids -> <SERIES-N>, join codes ->
#     <CODE-N>, numbered in order of first appearance; any other 16-char
#     base32 value of an "id", "workshop_id" or "series" field -> <ID-N>;
#   - the facilitator key -> <KEY>; the server's port -> <PORT>;
#   - participant tokens (a random voter id and its MAC) -> <TOKEN>;
#   - the QR code's SVG path data -> <QR-MODULES> (it encodes the join URL,
#     whose code and port are random).
# Deterministic otherwise: server row ids, revisions and discovered theme
# ids follow from the fixed request order (the analysis uses seed 1).
#
# Needs python3 (standard library only).  Not part of `make test`: a tool
# for comparing two builds.
set -eu

usage() {
	echo "usage: sh tests/snapshot.sh BIN OUTDIR" >&2
	exit 2
}
die() {
	echo "snapshot.sh: $*" >&2
	exit 1
}

[ $# -eq 2 ] || usage
BIN=$1
OUTDIR=$2
case $BIN in /*) ;; */*) BIN=$(pwd)/$BIN ;; *) BIN=$(command -v "$BIN" || echo "$BIN") ;; esac
[ -x "$BIN" ] && [ -f "$BIN" ] || die "no executable binary at $BIN"
if [ -e "$OUTDIR" ]; then
	[ -d "$OUTDIR" ] || die "$OUTDIR is not a folder"
	[ -z "$(ls -A "$OUTDIR")" ] || die "$OUTDIR is not empty"
fi
command -v python3 >/dev/null || die "python3 is needed"

SERVER_PID=
PY_PID=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/inspel-snapshot.XXXXXX")
cleanup() {
	if [ -n "$PY_PID" ]; then
		kill -TERM "$PY_PID" 2>/dev/null || true
		wait "$PY_PID" 2>/dev/null || true
	fi
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

cat >"$TMP/snapshot.py" <<'PYEOF'
# The driver of snapshot.sh: `api`, `cli` and `normalise` phases (see there).
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
import time
import zipfile

TMP = os.environ["SNAP_TMP"]
RAW = os.path.join(TMP, "raw")
STATE = os.path.join(TMP, "state.json")
TIMEOUT = 60
# Seconds a word cloud must stay unchanged to count as settled: more than
# LIVE_WORDS_MS + LIVE_COUNTS_MS of server/live/live.h, the longest the live
# thread takes to recompute the clouds of a change.
SETTLE = 2.5


def load_state():
    with open(STATE, encoding="utf-8") as f:
        return json.load(f)


def save_state(st):
    with open(STATE, "w", encoding="utf-8") as f:
        json.dump(st, f)


class Recorder:
    """Numbered raw step files, and the random values seen, in order."""

    def __init__(self, st):
        self.st = st
        self.n = st.get("steps", 0)

    def register(self, kind, value):
        """Remember a random value (kind: workshop, series, code, id) once, in order of appearance."""
        if isinstance(value, str) and value and value not in [v for _, v in self.st["ids"]]:
            self.st["ids"].append([kind, value])

    def write(self, name, head, body):
        self.n += 1
        self.st["steps"] = self.n
        path = os.path.join(RAW, "%03d-%s.txt" % (self.n, name))
        with open(path, "wb") as f:
            f.write(head.encode("utf-8") + b"\n\n" + body)
        return path


# ---- phase 1: the server ----

def wait_for_demo(out_path, pid):
    """Port, join code, workshop id and key from serve's stdout."""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        with open(out_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        m_port = re.search(r"listening on http://[^\s:]+:(\d+)", text)
        m_code = re.search(r"join code ([A-Z0-9]{6})\)", text)
        m_ws = re.search(r"/present/([a-z2-7]{16})(?:#s=[a-z0-9]+)?\n", text)
        m_key = re.search(r"facilitator key: +(\S+)\n", text)
        if m_port and m_code and m_ws and m_key:
            return m_port.group(1), m_code.group(1), m_ws.group(1), m_key.group(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            sys.exit("snapshot.py: the server exited before its demo block:\n" + text)
        time.sleep(0.1)
    sys.exit("snapshot.py: no demo block from the server within %d s" % TIMEOUT)


KEEP_HEADERS_OUT = {"date", "content-length"}


class Api:
    def __init__(self, rec, port, key):
        self.rec, self.port, self.key = rec, int(port), key

    def call(self, name, method, path, body=None, auth=True, headers=None, raw=None):
        """One request, recorded; returns (status, parsed JSON or None, body bytes)."""
        h = dict(headers or {})
        if auth:
            h["Authorization"] = "Bearer " + self.key
        payload = raw
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=payload, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            status, hdrs = resp.status, resp.getheaders()
        finally:
            conn.close()
        self.record(name, method, path, payload, status, hdrs, data)
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = None
        self.scan(parsed)
        return status, parsed, data

    def token(self, code):
        """A participant token of the workshop (unrecorded GET /api/join), or None from a server without them."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request("GET", "/api/join/" + code)
            data = conn.getresponse().read()
        finally:
            conn.close()
        try:
            return json.loads(data).get("token")
        except (ValueError, AttributeError):
            return None

    def record(self, name, method, path, payload, status, hdrs, data):
        head = ["%s %s" % (method, path)]
        if payload is not None:
            head.append("request: " + payload.decode("utf-8", "replace"))
        head.append("status: %d" % status)
        for k, v in hdrs:
            if k.lower() not in KEEP_HEADERS_OUT:
                head.append("%s: %s" % (k.lower(), v))
        self.rec.write(name, "\n".join(head), data)

    def scan(self, obj):
        """Register the 16-char ids and join codes of a JSON body's id fields, by what they name."""
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in ("id", "workshop_id", "series") and isinstance(v, str) and re.fullmatch(r"[a-z2-7]{16}", v):
                    if k == "series" or (k == "id" and ("workshops" in obj or obj.get("scope") == "series")):
                        self.rec.register("series", v)
                    elif k == "workshop_id" or (k == "id" and ("code" in obj or obj.get("scope") == "workshop")):
                        self.rec.register("workshop", v)
                    else:
                        self.rec.register("id", v)
                elif k == "code" and isinstance(v, str) and re.fullmatch(r"[A-Z2-9]{6}", v):
                    self.rec.register("code", v)
                else:
                    self.scan(v)
        elif isinstance(obj, list):
            for v in obj:
                self.scan(v)

    def settle_words(self, ws, qids, nonempty):
        """
        Wait, unrecorded, until the live thread's cached word clouds of the
        workshop and each question (the words route) have not changed for
        SETTLE seconds (and, with `nonempty`, none is empty): they are
        recomputed in the background, so a read right after a change would
        race it.
        """
        paths = ["/api/workshops/%s/words" % ws] + ["/api/workshops/%s/words?question_id=%d" % (ws, q) for q in qids]
        last, since = None, time.time()
        deadline = since + TIMEOUT
        while time.time() < deadline:
            now = []
            for path in paths:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                try:
                    conn.request("GET", path, headers={"Authorization": "Bearer " + self.key})
                    now.append(conn.getresponse().read())
                finally:
                    conn.close()
            if now != last:
                last, since = now, time.time()
            elif time.time() - since >= SETTLE and not (nonempty and any(b'"words":[]' in b for b in now)):
                return
            time.sleep(0.1)
        sys.exit("snapshot.py: the word clouds did not settle within %d s" % TIMEOUT)

    def first_event(self, name, path, auth=False):
        """The first event of an event stream (its lines up to the blank line), recorded."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request("GET", path, headers={"Authorization": "Bearer " + self.key} if auth else {})
            resp = conn.getresponse()
            lines = []
            if resp.status == 200:
                while True:
                    line = resp.readline()
                    if not line:
                        break
                    if line in (b"\n", b"\r\n"):
                        if lines:
                            break
                        continue
                    lines.append(line)
            status, hdrs = resp.status, resp.getheaders()
            data = b"".join(lines) if resp.status == 200 else resp.read()
        finally:
            conn.close()
        self.record(name, "GET", path, None, status, hdrs, data)
        for line in lines:
            if line.startswith(b"data: "):
                self.scan(json.loads(line[6:]))


def first_themes(view, n, pred=lambda t: True):
    return [t["id"] for t in view["themes"] if t["size"] > 0 and pred(t)][:n]


def reads(api, tag, ws, sid, code, qids):
    """Every GET of the demo workshop and its series."""
    api.call(tag + "workshops", "GET", "/api/workshops")
    api.call(tag + "workshop", "GET", "/api/workshops/" + ws)
    api.call(tag + "join", "GET", "/api/join/" + code, auth=False)
    api.call(tag + "answers", "GET", "/api/workshops/%s/answers" % ws)
    api.call(tag + "words", "GET", "/api/workshops/%s/words" % ws)
    for q in qids:
        api.call(tag + "words-q%d" % q, "GET", "/api/workshops/%s/words?question_id=%d" % (ws, q))
    for scope, sc_id in (("workshop", ws), ("series", sid)):
        base = "/api/%s/%s" % ("workshops" if scope == "workshop" else "series", sc_id)
        api.call(tag + scope + "-themes", "GET", base + "/themes")
        api.call(tag + scope + "-themes-file", "GET", base + "/themes-file")
        api.call(tag + scope + "-decisions", "GET", base + "/decisions")
    api.call(tag + "votes", "GET", "/api/workshops/%s/votes" % ws)
    api.call(tag + "series-list", "GET", "/api/series")
    api.call(tag + "series", "GET", "/api/series/" + sid)


def phase_api(port_out, pid):
    st = {"ids": [], "steps": 0}
    rec = Recorder(st)
    port, code, ws, key = wait_for_demo(port_out, int(pid))
    st.update(port=port, key=key, code=code, ws=ws)
    rec.register("workshop", ws)
    rec.register("code", code)
    api = Api(rec, port, key)

    status, series, _ = api.call("series-list-first", "GET", "/api/series")
    if status != 200 or not series["series"]:
        sys.exit("snapshot.py: GET /api/series gave %d" % status)
    sid = series["series"][0]["id"]
    rec.register("series", sid)
    st["series"] = sid
    _, w, _ = api.call("workshop-first", "GET", "/api/workshops/" + ws)
    qids = [q["id"] for q in w["questions"]]
    api.settle_words(ws, qids, True)

    # Participant routes, errors and pages.
    api.call("health", "GET", "/api/health", auth=False)
    api.call("health-head", "HEAD", "/api/health", auth=False)
    api.call("qr", "GET", "/api/join/%s/qr.svg" % code, auth=False)
    api.call("err-no-key", "GET", "/api/workshops", auth=False)
    api.call("err-wrong-key", "GET", "/api/workshops", auth=False, headers={"Authorization": "Bearer wrong"})
    api.call("err-unknown-workshop", "GET", "/api/workshops/aaaaaaaaaaaaaaaa")
    api.call("err-unknown-code", "GET", "/api/join/000000", auth=False)
    api.call("err-method", "DELETE", "/api/workshops")
    api.call("err-unknown-route", "GET", "/api/nothing", auth=False)
    api.call("err-report-format", "GET", "/api/workshops/%s/report?format=pdf" % ws)
    for name, path in (("page-root", "/"), ("page-join", "/j/" + code), ("page-console", "/console"),
                       ("page-present", "/present/" + ws), ("page-missing", "/no-such-page")):
        pagestep(api, name, path)

    reads(api, "before-", ws, sid, code, qids)

    # Writes: a question opened, answers (new, retry, conflicts), one hidden, the question closed.
    q2, q3 = qids[1], qids[2]
    api.call("open-q2", "PATCH", "/api/questions/%d" % q2, body={"open": True})
    answers = [
        ("answer-1", {"answer_id": "snapshot-answer-01", "text": "Fler hembesök för äldre med många läkemedel.",
                      "group": "Bord 5", "organisation": "Kommun", "client_id": "snapshot-phone-01"}),
        ("answer-1-retry", {"answer_id": "snapshot-answer-01", "text": "Fler hembesök för äldre med många läkemedel.",
                            "group": "Bord 5", "organisation": "Kommun", "client_id": "snapshot-phone-01"}),
        ("answer-2", {"answer_id": "snapshot-answer-02", "text": "Gemensam journal mellan region och kommun.",
                      "group": "Bord 6", "organisation": "Region", "client_id": "snapshot-phone-02"}),
        ("answer-3", {"answer_id": "snapshot-answer-03", "text": "  Digitala vårdmöten för personer med kroniska sjukdomar.  ",
                      "client_id": "snapshot-phone-03"}),
        ("answer-4", {"answer_id": "snapshot-answer-04", "text": "Fast läkarkontakt och kontinuitet i hemsjukvården.",
                      "group": " ", "organisation": "Skola"}),
        ("err-answer-conflict", {"answer_id": "snapshot-answer-01", "text": "Annan text.",
                                 "client_id": "snapshot-phone-01"}),
        ("err-answer-organisation", {"answer_id": "snapshot-answer-05", "text": "Okänd organisation.",
                                     "organisation": "Okänd"}),
        ("err-answer-empty", {"answer_id": "snapshot-answer-06", "text": "   "}),
    ]
    ids = {}
    for name, a in answers:
        body = dict(a, code=code, question_id=q2)
        status, j, _ = api.call(name, "POST", "/api/answers", body=body, auth=False)
        if status in (200, 201):
            ids[a["answer_id"]] = j["id"]
    api.call("err-answer-closed", "POST", "/api/answers", auth=False,
             body={"code": code, "question_id": q3, "answer_id": "snapshot-answer-07", "text": "Stängd fråga."})
    api.call("hide-answer-2", "PATCH", "/api/answers/%d" % ids["snapshot-answer-02"], body={"hidden": True})
    api.call("close-q2", "PATCH", "/api/questions/%d" % q2, body={"open": False})

    # Curation on the workshop: one decision of each kind, one on a discovered theme, an undo, errors.
    wsd = "/api/workshops/%s/decisions" % ws
    _, view, _ = api.call("themes-for-decisions", "GET", "/api/workshops/%s/themes" % ws)
    api.call("decide-rename", "POST", wsd, body={"kind": "rename", "theme": "kontinuitet", "label": "Kontinuitet i vården"})
    _, merged, _ = api.call("decide-merge", "POST", wsd, body={"kind": "merge", "theme": "delaktighet", "into": "samverkan"})
    api.call("decide-split", "POST", wsd, body={"kind": "split", "theme": "digitalisering", "term": "journalsystem",
                                                "label": "Journalsystem"})
    first = view["answers"][0]["id"]
    second = view["answers"][1]["id"]
    api.call("decide-move", "POST", wsd, body={"kind": "move", "answer": first, "to": "tillganglighet"})
    api.call("decide-also", "POST", wsd, body={"kind": "also", "answer": second, "theme": "kompetens"})
    api.call("decide-move-none", "POST", wsd, body={"kind": "move", "answer": ids["snapshot-answer-04"], "to": None})
    discovered = first_themes(view, 1, lambda t: t["origin"] == "discovered")
    if discovered:
        api.call("decide-adopt-rename", "POST", wsd, body={"kind": "rename", "theme": discovered[0],
                                                           "label": "Upptäckt tema", "rev": view["rev"]})
    api.call("decide-undo", "POST", wsd, body={"kind": "undo", "decision": merged["decisions"][0]["id"]})
    api.call("err-decide-undo-twice", "POST", wsd, body={"kind": "undo", "decision": merged["decisions"][0]["id"]})
    api.call("err-decide-merge-self", "POST", wsd, body={"kind": "merge", "theme": "samverkan", "into": "samverkan"})
    api.call("err-decide-unknown-theme", "POST", wsd, body={"kind": "rename", "theme": "finns-inte", "label": "X"})
    api.call("err-decide-themes-file", "POST", wsd, body={"kind": "themes", "text": "bara ett ord\n"})

    # Curation on the series: a rename, then a themes file of its own.
    sd = "/api/series/%s/decisions" % sid
    api.call("series-decide-rename", "POST", sd, body={"kind": "rename", "theme": "samverkan", "label": "Samverkan i länet"})
    api.call("series-decide-themes", "POST", sd, body={
        "kind": "themes",
        "text": "kontinuitet | Kontinuitet | kontinuitet, fast läkare, fast läkarkontakt\n"
                "samverkan | Samverkan | samverkan, team, region och kommun\n"
                "digitalt | Digitalt | digital, digitala vårdmöten, journalsystem\n"})

    # Votes: one on chosen themes with ballots, closed; one on the default themes, closed.
    _, view, _ = api.call("themes-for-vote", "GET", "/api/workshops/%s/themes" % ws)
    chosen = first_themes(view, 3)
    _, vote, _ = api.call("vote-open", "POST", "/api/workshops/%s/votes" % ws, body={"dots": 3, "themes": chosen})
    vid = vote["id"]
    api.call("vote-join", "GET", "/api/join/" + code, auth=False)
    ballots = [
        ("ballot-1", "snapshot-phone-01", {chosen[0]: 2, chosen[1]: 1}),
        ("ballot-1-retry", "snapshot-phone-01", {chosen[0]: 2, chosen[1]: 1}),
        ("ballot-2", "snapshot-phone-02", {chosen[1]: 3}),
        ("ballot-3", "snapshot-phone-03", {chosen[2]: 1, chosen[0]: 1}),
        ("err-ballot-changed", "snapshot-phone-01", {chosen[2]: 1}),
        ("err-ballot-too-many", "snapshot-phone-04", {chosen[0]: 4}),
        ("err-ballot-unknown-theme", "snapshot-phone-05", {"finns-inte": 1}),
    ]
    tokens = {}
    for name, client, dots in ballots:
        body = {"code": code, "vote_id": vid, "client_id": client, "dots": dots}
        # One participant token per phone, as a phone keeps the one it joined with.
        tokens.setdefault(client, api.token(code))
        if tokens[client]:
            body["token"] = tokens[client]
        api.call(name, "POST", "/api/ballots", auth=False, body=body)
    api.call("vote-close", "PATCH", "/api/votes/%d" % vid, body={"open": False})
    late = {"code": code, "vote_id": vid, "client_id": "snapshot-phone-06", "dots": {chosen[0]: 1}}
    token = api.token(code)
    if token:
        late["token"] = token
    api.call("err-ballot-closed", "POST", "/api/ballots", auth=False, body=late)
    _, vote2, _ = api.call("vote2-open", "POST", "/api/workshops/%s/votes" % ws, body={})
    api.call("err-vote-dots", "POST", "/api/workshops/%s/votes" % ws, body={"dots": 11})
    api.call("vote2-close", "PATCH", "/api/votes/%d" % vote2["id"], body={"open": False})

    api.settle_words(ws, qids, False)
    reads(api, "after-", ws, sid, code, qids)

    # Reports through the API, every format and language, workshop and series.
    for scope, base in (("workshop", "/api/workshops/" + ws), ("series", "/api/series/" + sid)):
        for fmt in ("html", "md", "csv", "json", "docx"):
            for lang in ("sv", "en"):
                api.call("report-api-%s-%s-%s" % (scope, lang, fmt), "GET",
                         "%s/report?format=%s&lang=%s" % (base, fmt, lang))
        api.call("report-api-%s-default" % scope, "GET", base + "/report")

    # A new series and workshop: generated ids, series membership.
    _, s2, _ = api.call("create-series", "POST", "/api/series", body={"title": "Snapshot-serie"})
    rec.register("series", s2["id"])
    _, w2, _ = api.call("create-workshop", "POST", "/api/workshops",
                        body={"title": "Snapshot-workshop", "template": "primarvard"})
    rec.register("workshop", w2["id"])
    rec.register("code", w2["code"])
    _, w3, _ = api.call("create-workshop-questions", "POST", "/api/workshops", body={
        "title": "Egen workshop", "organisations": ["Region", "Kommun"],
        "questions": [{"section": "Del 1", "text": "Vad fungerar bra?"}, {"text": "Vad saknas?"}]})
    rec.register("workshop", w3["id"])
    rec.register("code", w3["code"])
    api.call("err-create-workshop", "POST", "/api/workshops", body={"title": "", "template": "primarvard"})
    api.call("workshop-into-series", "PATCH", "/api/workshops/" + w2["id"], body={"series": s2["id"]})
    api.call("series2", "GET", "/api/series/" + s2["id"])
    api.call("series-list-last", "GET", "/api/series")
    api.call("workshops-last", "GET", "/api/workshops")
    api.call("workshop-out-of-series", "PATCH", "/api/workshops/" + w2["id"], body={"series": None})
    api.call("err-workshop-series", "PATCH", "/api/workshops/" + w2["id"], body={"series": "aaaaaaaaaaaaaaaa"})

    # Last, so a presenter's stream starts no recomputation while the steps above run.
    api.first_event("events-phone", "/api/workshops/%s/events" % ws)
    api.first_event("events-presenter", "/api/workshops/%s/events?answers=1" % ws, auth=True)
    save_state(st)


def pagestep(api, name, path):
    """A page: status, headers, and the body's size and SHA-256 (the bodies are the web files)."""
    conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        data = resp.read()
        status, hdrs = resp.status, resp.getheaders()
    finally:
        conn.close()
    summary = ("%d bytes, sha256 %s\n" % (len(data), hashlib.sha256(data).hexdigest())).encode()
    api.record(name, "GET", path, None, status, hdrs, summary)


# ---- phase 2: the command line, after the server stopped ----

def phase_cli(binary, seed_status, server_status):
    st = load_state()
    rec = Recorder(st)
    db = os.path.join(TMP, "demo.db")
    rec.write("server-exit", "SIGTERM to the first start (seeding): exit %s\nSIGTERM to the restart: exit %s" % (
        seed_status, server_status), b"")
    for scope, flag, value in (("workshop", "--workshop", st["code"]), ("series", "--series", st["series"])):
        for fmt in ("html", "md", "csv", "json", "docx"):
            for lang in ("sv", "en"):
                out = os.path.join(TMP, "report.out")
                if os.path.exists(out):
                    os.remove(out)
                args = ["report", "--db", db, flag, value, "--format", fmt, "--lang", lang, "--out", out]
                p = subprocess.run([binary] + args, capture_output=True, timeout=TIMEOUT)
                data = b""
                if os.path.exists(out):
                    with open(out, "rb") as f:
                        data = f.read()
                head = "inspel %s\nexit: %d\nstdout: %s\nstderr: %s\nformat: %s" % (
                    " ".join(args).replace(TMP, "TMP"), p.returncode, p.stdout.decode("utf-8", "replace"),
                    p.stderr.decode("utf-8", "replace"), fmt)
                rec.write("report-cli-%s-%s-%s" % (scope, lang, fmt), head, data)
    p = subprocess.run([binary, "keys", "list", "--db", db], capture_output=True, timeout=TIMEOUT)
    rec.write("keys-list", "inspel keys list --db TMP/demo.db\nexit: %d\nstderr: %s" % (
        p.returncode, p.stderr.decode("utf-8", "replace")), p.stdout)
    save_state(st)


# ---- phase 3: normalise ----

def docx_text(data):
    """The parts of a .docx as text, word/document.xml first."""
    import io
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        order = sorted(names, key=lambda n: (n != "word/document.xml", names.index(n)))
        for name in order:
            text = z.read(name).decode("utf-8", "replace")
            if name.endswith(".xml"):
                text = re.sub(r"(</w:p>|</w:tr>)", "\\1\n", text)
            out.append("--- part %s\n%s\n" % (name, text))
    return "".join(out).encode("utf-8")


def phase_normalise(outdir):
    st = load_state()
    counters = {}
    table = []
    names = {"workshop": "WORKSHOP", "series": "SERIES", "code": "CODE", "id": "ID"}
    for kind, value in st["ids"]:
        counters[kind] = counters.get(kind, 0) + 1
        table.append((value, "<%s-%d>" % (names[kind], counters[kind])))
    table.append((st["key"], "<KEY>"))
    table.sort(key=lambda p: -len(p[0]))
    port = re.escape(st["port"]).encode()
    os.makedirs(outdir, exist_ok=True)
    for name in sorted(os.listdir(RAW)):
        with open(os.path.join(RAW, name), "rb") as f:
            data = f.read()
        head, _, body = data.partition(b"\n\n")
        if b"\ncontent-type: application/vnd.openxmlformats" in head or b"\nformat: docx" in head:
            if body:
                body = docx_text(body)
        if b"\ncontent-type: image/svg+xml" in head:
            body = re.sub(rb' d="[^"]*"', b' d="<QR-MODULES>"', body)
        data = head + b"\n\n" + body
        for value, placeholder in table:
            data = data.replace(value.encode(), placeholder.encode())
        data = re.sub(rb"\b[a-z2-7]{16}\.[0-9a-f]{32}\b", b"<TOKEN>", data)
        data = re.sub(rb"#s=[a-z0-9]{32}\b", b"#s=<PRESENTER-SECRET>", data)
        data = re.sub(rb"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"<TIME>", data)
        data = re.sub(rb"\b\d{4}-\d\d-\d\d \d\d:\d\d\b", b"<TIME-MIN>", data)
        data = re.sub(rb"\b\d{4}-\d\d-\d\d\b", b"<DATE>", data)
        data = re.sub(rb"(127\.0\.0\.1|localhost):" + port + rb"\b", rb"\1:<PORT>", data)
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    phase = sys.argv[1]
    if phase == "seed":
        wait_for_demo(sys.argv[2], int(sys.argv[3]))
    elif phase == "api":
        os.makedirs(RAW)
        phase_api(sys.argv[2], sys.argv[3])
    elif phase == "cli":
        phase_cli(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        phase_normalise(sys.argv[2])
PYEOF

export SNAP_TMP="$TMP"

# start_server N: serve the database in the background, stdout to serve-N.out.
start_server() {
	"$BIN" serve --db "$TMP/demo.db" --port 0 --bind 127.0.0.1 --demo >"$TMP/serve-$1.out" 2>"$TMP/serve-$1.err" &
	SERVER_PID=$!
}
# stop_server: SIGTERM and wait; its exit status into $status.
stop_server() {
	kill -TERM "$SERVER_PID"
	status=0
	wait "$SERVER_PID" || status=$?
	SERVER_PID=
}
# py PHASE ARGS...: run a phase of the driver; in the background so that a
# signal to this script is taken at once (the trap runs during `wait`).
py() {
	python3 "$TMP/snapshot.py" "$@" &
	PY_PID=$!
	py_status=0
	wait "$PY_PID" || py_status=$?
	PY_PID=
	return $py_status
}
# fail N WHAT: say what failed with the server's standard error, and exit.
fail() {
	echo "snapshot.sh: $2 failed; server stderr:" >&2
	cat "$TMP/serve-$1.err" >&2
	exit 1
}

# The first start seeds the demo workshop; the restart is the one snapshotted.
start_server 1
py seed "$TMP/serve-1.out" "$SERVER_PID" || fail 1 "seeding the demo"
stop_server
seed_status=$status
start_server 2
py api "$TMP/serve-2.out" "$SERVER_PID" || fail 2 "the requests"
stop_server
py cli "$BIN" "$seed_status" "$status"
mkdir -p "$OUTDIR"
py normalise "$OUTDIR"
echo "snapshot.sh: $(ls "$OUTDIR" | wc -l) files in $OUTDIR"
