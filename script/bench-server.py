#!/usr/bin/env python3
"""The harness of script/bench-server (run that instead: it builds the binary and installs wrk and datasette).

On a copy of the benchmark's imported database it makes accounts and tokens with `solidarity
account`, starts `solidarity serve` and `datasette serve` (canned queries giving the same data as
JSON) on free loopback ports, checks that both answer what `org show --format json` and `allies
--format json` say, runs wrk against each (requests per second, p99 latency, and the server
process's processor time per request, which a shared machine disturbs less), then 8 writers
creating organizations over the API, and counts afterwards that no write was lost.
"""
import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in script/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, build_database, run, scalar  # noqa: E402  (the data set's database, made once for both benchmarks)

# wrk's settings, as issue 19 asks: 2 threads, 32 connections, each run `--seconds` long. A
# response slower than wrk's default 2 s would count as a timeout, not in the latencies: it gets 10 s.
THREADS = 2
CONNECTIONS = 32
TIMEOUT = "10s"
WRITERS = 8
START_TIMEOUT = 120.0

# ---------------------------------------------------------------------------------------------
# The SQL Datasette answers: what `org show REF --format json` and `allies --employer REF --format
# json` read (Sources/SolidarityCore/Directory/Organizations.swift `profile`, Employers/Allies.swift
# and Activities/LastContact.swift), as one query each. JSON columns nest with json(): a value keeps
# its JSON type only as long as it comes straight from a JSON function.

ORGANIZATION_SQL = """
SELECT o.handle, o.name, o.acronym, o.native_name, o.native_name_lang, o.kind, o.country, o.region, o.city,
       parent.handle AS parent, o.members, o.members_as_of, o.website, o.notes, o.sensitive,
       (SELECT json_group_array(json_object('name', alias, 'lang', lang))
        FROM (SELECT alias, lang FROM organization_aliases WHERE organization_id = o.id ORDER BY position)) AS aliases,
       (SELECT json_group_array(handle)
        FROM (SELECT c.handle FROM organization_campaigns x JOIN campaigns c ON c.id = x.campaign_id
              WHERE x.organization_id = o.id ORDER BY c.handle)) AS campaigns,
       (SELECT json_group_array(uid)
        FROM (SELECT s.uid FROM organization_sources x JOIN sources s ON s.id = x.source_id
              WHERE x.organization_id = o.id ORDER BY s.uid)) AS sources,
       (SELECT json_group_array(handle) FROM (SELECT handle FROM organizations WHERE parent_id = o.id ORDER BY handle)) AS parts,
       -- Listed from the organization's side: a symmetric link (ally, partner) names it first.
       (SELECT json_group_array(json_object('from', f, 'to', t, 'kind', kind, 'status', status, 'since', since,
                                            'until', until, 'notes', notes, 'sources', json(sources)))
        FROM (SELECT CASE WHEN r.kind IN ('ally', 'partner') AND r.to_id = o.id THEN b.handle ELSE a.handle END AS f,
                     CASE WHEN r.kind IN ('ally', 'partner') AND r.to_id = o.id THEN a.handle ELSE b.handle END AS t,
                     r.kind, r.status, r.since, r.until, r.notes,
                     (SELECT json_group_array(uid)
                      FROM (SELECT s.uid FROM relationship_sources rs JOIN sources s ON s.id = rs.source_id
                            WHERE rs.relationship_id = r.id ORDER BY s.uid)) AS sources
              FROM relationships r JOIN organizations a ON a.id = r.from_id JOIN organizations b ON b.id = r.to_id
              WHERE r.from_id = o.id OR r.to_id = o.id
              ORDER BY a.handle, r.kind, b.handle)) AS relationships,
       (SELECT json_group_array(json_object('person', handle, 'name', name, 'title', title, 'since', since, 'until', until,
                                            'as_of', as_of, 'source', source, 'sensitive', sensitive))
        FROM (SELECT p.handle, p.name, t.title, t.since, t.until, t.as_of, s.uid AS source, p.sensitive
              FROM person_titles t JOIN people p ON p.id = t.person_id LEFT JOIN sources s ON s.id = t.source_id
              WHERE t.organization_id = o.id ORDER BY t.until IS NOT NULL, p.name)) AS people,
       EXISTS (SELECT 1 FROM home WHERE organization_id = o.id) AS home
FROM organizations o LEFT JOIN organizations parent ON parent.id = o.parent_id
WHERE o.handle = :ref
"""
ORGANIZATION_JSON = ["aliases", "campaigns", "sources", "parts", "relationships", "people"]

ALLIES_SQL = """
WITH RECURSIVE
-- The employer and every employer below it; their sites; the unions representing each site now.
chain(id) AS (SELECT id FROM employers WHERE handle = :employer
              UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id),
represented AS MATERIALIZED (
    SELECT s.id AS site, rp.organization_id AS organization, rp.since, rp.until
    FROM chain CROSS JOIN sites s ON s.employer_id = chain.id CROSS JOIN representations rp ON rp.site_id = s.id AND rp.until IS NULL),
unions(id) AS (SELECT DISTINCT organization FROM represented),
home_id(id) AS (SELECT organization_id FROM home),
-- The home organization and its units; the withheld organizations (sensitive, or part of one).
ours(id) AS (SELECT id FROM home_id UNION SELECT o.id FROM organizations o JOIN ours ON o.parent_id = ours.id),
withheld(id) AS (SELECT id FROM organizations WHERE sensitive = 1
                 UNION SELECT o.id FROM organizations o JOIN withheld w ON o.parent_id = w.id),
-- Each union and the bodies it is part of, nearest first.
ancestry(organization, id, depth) AS (
    SELECT id, id, 0 FROM unions
    UNION SELECT ancestry.organization, o.parent_id, ancestry.depth + 1 FROM organizations o JOIN ancestry ON o.id = ancestry.id
    WHERE o.parent_id IS NOT NULL),
-- Our last contact with each union: the last done activity in which the union (or a unit of it)
-- and we (the home organization, a unit of ours, or a person holding a title at one) took part.
theirs(id, organization, withheld) AS (
    SELECT id, id, 0 FROM unions
    UNION SELECT o.id, theirs.organization, theirs.withheld OR o.sensitive FROM organizations o JOIN theirs ON o.parent_id = theirs.id),
met AS MATERIALIZED (
    SELECT theirs.organization, theirs.id AS their_unit, theirs.withheld AS their_withheld,
        a.id, a.uid, a.title, a.start, a."end", a.sensitive, a.first_day, a.last_day,
        (SELECT us.organization_id FROM activity_organizations us
         WHERE us.activity_id = a.id AND +us.organization_id IN (SELECT id FROM ours)
         ORDER BY us.organization_id <> (SELECT id FROM home_id), us.position LIMIT 1) AS our_unit
    -- CROSS JOIN keeps this order (the unions' rows, then their activities): left to choose, SQLite
    -- reads every activity before today (0.7 s, not 0.03 s, at scale 0.1); `represented` likewise.
    FROM theirs CROSS JOIN activity_organizations ao ON ao.organization_id = theirs.id CROSS JOIN activities a ON a.id = ao.activity_id
    WHERE a.status = 'done' AND a.first_day <= date('now')),
withus AS (
    SELECT met.*, CASE WHEN our_unit IS NULL THEN
        (SELECT ap.person_id FROM activity_people ap JOIN person_titles t ON t.person_id = ap.person_id
         WHERE ap.activity_id = met.id AND +t.organization_id IN (SELECT id FROM ours)
             AND (t.since IS NULL OR t.since <= substr(met.last_day, 1, length(t.since)))
             AND (t.until IS NULL OR t.until >= substr(met.first_day, 1, length(t.until)))
         ORDER BY ap.position LIMIT 1) END AS our_person
    FROM met),
ranked AS (
    SELECT withus.*, row_number() OVER (PARTITION BY organization
        ORDER BY last_day DESC, length(coalesce("end", start)) DESC, uid DESC,
            their_unit <> organization, their_withheld, their_unit) AS rank
    FROM withus WHERE our_unit IS NOT NULL OR our_person IS NOT NULL),
contact AS (
    SELECT r.organization, r.uid, r.title, coalesce(r."end", r.start) AS date,
        -- Through which units or person: a unit of ours (not the home organization itself, nor the
        -- very unit of theirs), else our person; then their unit, when not the union itself.
        CASE WHEN r.our_unit IS NOT NULL THEN
            CASE WHEN r.our_unit <> (SELECT id FROM home_id) AND r.our_unit <> r.their_unit THEN coalesce(ou.acronym, ou.name) END
        ELSE p.name END AS our_via,
        CASE WHEN r.their_unit <> r.organization THEN coalesce(tu.acronym, tu.name) END AS their_via,
        r.sensitive
            OR (r.our_unit IS NOT NULL AND r.our_unit IN (SELECT id FROM withheld))
            OR (r.our_unit IS NULL AND p.sensitive)
            OR (r.their_unit <> r.organization AND r.their_unit IN (SELECT id FROM withheld)) AS sensitive
    FROM ranked r JOIN organizations tu ON tu.id = r.their_unit
        LEFT JOIN organizations ou ON ou.id = r.our_unit LEFT JOIN people p ON p.id = r.our_person
    WHERE r.rank = 1),
-- Each union as the home organization sees it: ours, our relationship with it (the closest in
-- force), else a prospect's tie to one of our allies; its current contacts, its federation.
linked AS MATERIALIZED (
    SELECT u.id, o.handle, o.name, o.acronym, o.country,
        u.id IN (SELECT id FROM ours) AS ours,
        u.id IN (SELECT id FROM withheld) AS sensitive,
        CASE WHEN u.id NOT IN (SELECT id FROM ours) THEN
            (SELECT json_object('kind', r.kind, 'status', r.status, 'since', r.since) FROM relationships r, home_id h
             WHERE ((r.from_id = h.id AND r.to_id = u.id) OR (r.from_id = u.id AND r.to_id = h.id)) AND r.status <> 'ended'
             ORDER BY CASE r.status WHEN 'close' THEN 0 WHEN 'active' THEN 1 WHEN 'dormant' THEN 2 ELSE 3 END LIMIT 1)
        END AS relationship
    FROM unions u JOIN organizations o ON o.id = u.id),
described AS MATERIALIZED (
    SELECT l.*,
        NOT l.ours AND l.relationship IS NULL AND EXISTS (SELECT 1 FROM home_id) AS prospect,
        CASE WHEN NOT l.ours AND l.relationship IS NULL THEN
            (SELECT json_object('kind', m.kind, 'organization', o.handle, 'name', coalesce(o.acronym, o.name),
                                'our_relationship', a.kind, 'sensitive', o.id IN (SELECT id FROM withheld))
             FROM home_id h, relationships m JOIN organizations o ON o.id = m.to_id
             JOIN relationships a ON a.kind IN ('ally', 'partner') AND ((a.from_id = h.id AND a.to_id = o.id) OR (a.to_id = h.id AND a.from_id = o.id))
             WHERE m.from_id = l.id AND m.kind IN ('member_of', 'affiliate_of') AND m.status <> 'ended' AND a.status <> 'ended'
             ORDER BY CASE a.status WHEN 'close' THEN 0 WHEN 'active' THEN 1 WHEN 'dormant' THEN 2 ELSE 3 END, o.handle, m.kind LIMIT 1)
        END AS ally_link,
        (SELECT json_object('date', c.date, 'title', c.title, 'activity', c.uid,
                            'via', CASE WHEN c.our_via IS NOT NULL AND c.their_via IS NOT NULL THEN c.our_via || ' and ' || c.their_via
                                        ELSE coalesce(c.our_via, c.their_via) END,
                            'sensitive', c.sensitive)
         FROM contact c WHERE c.organization = l.id) AS last_contact,
        (SELECT json_group_array(json_object('person', handle, 'name', name, 'title', title))
         FROM (SELECT p.handle, p.name, t.title FROM person_titles t JOIN people p ON p.id = t.person_id
               WHERE t.organization_id = l.id AND t.until IS NULL ORDER BY p.name_key)) AS contacts,
        (SELECT g.handle FROM ancestry an JOIN relationships r ON r.from_id = an.id JOIN organizations g ON g.id = r.to_id
         WHERE an.organization = l.id AND r.kind IN ('member_of', 'affiliate_of') AND r.status <> 'ended'
             AND g.kind = 'global_union_federation'
         ORDER BY an.depth, g.handle LIMIT 1) AS federation
    FROM linked l)
SELECT s.country, s.uid AS id, s.name, e.handle AS employer, s.city,
       NOT EXISTS (SELECT 1 FROM represented r WHERE r.site = s.id) AS gap,
       (SELECT json_group_array(json_object('organization', handle, 'name', name, 'acronym', acronym, 'country', country,
                                            'since', since, 'until', until, 'ours', ours, 'prospect', prospect,
                                            'relationship', json(relationship), 'ally_link', json(ally_link),
                                            'last_contact', json(last_contact), 'contacts', json(contacts),
                                            'federation', federation, 'sensitive', sensitive))
        FROM (SELECT d.*, r.since, r.until FROM represented r JOIN described d ON d.id = r.organization
              WHERE r.site = s.id ORDER BY d.handle)) AS unions
FROM chain JOIN sites s ON s.employer_id = chain.id JOIN employers e ON e.id = s.employer_id
ORDER BY s.country, e.handle, s.name, s.uid
"""
ALLIES_JSON = ["unions"]


# ---------------------------------------------------------------------------------------------
# What each side answers, brought to one shape to compare.

def allies_sites(report):
    """The allies report's sites, each with its country, in the report's order: the rows Datasette gives."""
    return [dict(site, country=group["country"]) for group in report["countries"] for site in group["sites"]]


def same(ours, theirs):
    """Whether two JSON values are the same data: equal, where a boolean equals SQLite's 0 or 1."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(same(a, b) for a, b in zip(ours, theirs))
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours in (True, False, 0, 1) and theirs in (True, False, 0, 1) and bool(ours) == bool(theirs)
    return type(ours) is type(theirs) and ours == theirs


def first_difference(ours, theirs, path="$"):
    """Where two JSON values first differ, for the message of a failed check."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if ours.keys() != theirs.keys():
            return f"{path}: keys {sorted(ours.keys() ^ theirs.keys())} on one side only"
        return next((d for k in ours if (d := first_difference(ours[k], theirs[k], f"{path}.{k}"))), None)
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} entries against {len(theirs)}"
        return next((d for i, (a, b) in enumerate(zip(ours, theirs)) if (d := first_difference(a, b, f"{path}[{i}]"))), None)
    return None if same(ours, theirs) else f"{path}: {json.dumps(ours)} against {json.dumps(theirs)}"


# ---------------------------------------------------------------------------------------------
# wrk, and its report.

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text):
    """wrk's latency ("812.00us", "4.52ms", "1.02s") in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output):
    """Requests per second, p99 latency (ms), requests, non-2xx responses and socket errors from `wrk --latency`."""
    def count(pattern):
        match = re.search(pattern, output)
        return int(match.group(1)) if match else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": count(r"(\d+) requests in"),
        "non2xx": count(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def wrk(url, token, seconds, server):
    """One wrk run against url with the reader's token: its figures, and the server's processor time
    per request (which other work on a shared machine changes far less than requests per second)."""
    argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", TIMEOUT, "--latency",
            "-H", f"Authorization: Bearer {token}", url]
    cpu = server.cpu_seconds()
    result = subprocess.run(argv, capture_output=True, text=True)
    server.settle()
    cpu = server.cpu_seconds() - cpu
    if result.returncode != 0:
        sys.exit(f"wrk failed ({result.returncode}) on {url}:\n{result.stderr}")
    figures = parse_wrk(result.stdout)
    figures["cpu_ms"] = cpu * 1000 / max(figures["requests"], 1)
    return figures


# ---------------------------------------------------------------------------------------------
# The servers.

def free_port():
    """A loopback port no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, token=None):
    """The status and body of a GET (an HTTP error's too)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """A server process on loopback, its output in a log file; ready once `probe` answers 200."""

    def __init__(self, name, argv, probe, log):
        self.name, self.probe, self.log = name, probe, log
        self.port = urllib.parse.urlsplit(probe).port
        self.process = subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                sys.exit(f"{name} stopped ({self.process.returncode}) before it answered; its log:\n{self.tail()}")
            try:
                if get(probe)[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                sys.exit(f"{name} did not answer {probe} within {START_TIMEOUT:.0f} s; its log:\n{self.tail()}")
            time.sleep(0.2)

    def cpu_seconds(self):
        """The processor time (user and system) the server has used so far, from /proc."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self):
        """Waits until the server has worked off what a wrk run left queued (its probe answers again),
        so that one run's backlog does not slow the next."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if get(self.probe)[0] == 200:
                    time.sleep(1)
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit(f"{self.name} did not answer {self.probe} again within {START_TIMEOUT:.0f} s after wrk")

    def tail(self):
        with open(self.log, errors="replace") as f:
            return f.read()[-3000:]

    def stop(self):
        """SIGTERM, then its exit status (it is killed if it has not stopped within 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        return self.process.returncode


# ---------------------------------------------------------------------------------------------
# The writers.

def write_for(seconds, port, tokens):
    """Each token's writer creates organizations over the API for `seconds`, one request at a time on
    its own kept-alive connection. Returns (201 responses, other responses and failures, elapsed s)."""
    created = [0] * len(tokens)
    failed = [0] * len(tokens)
    start = time.monotonic()
    deadline = start + seconds

    def writer(w, token):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            body = json.dumps({"name": f"Bench union {w + 1}-{n}", "kind": "union", "country": "US"})
            try:
                connection.request("POST", "/api/organizations", body=body,
                                   headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                if response.status == 201:
                    created[w] += 1
                else:
                    failed[w] += 1
            except (OSError, http.client.HTTPException):
                failed[w] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=writer, args=(w, token)) for w, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(created), sum(failed), time.monotonic() - start


# ---------------------------------------------------------------------------------------------

def solidarity(bin, *argv, db):
    """The standard output of one solidarity command on db; a failure stops the benchmark."""
    result = subprocess.run([bin, *argv, "--db", db], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"solidarity {' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def token_for(bin, account, db):
    """A new API token of the account: the last line of `account token add`."""
    return solidarity(bin, "account", "token", "add", account, "--label", "bench", db=db).strip().splitlines()[-1].strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seconds", type=int, default=30, help="how long each wrk run and the writers last")
    parser.add_argument("--check-only", action="store_true",
                        help="start both servers and check their answers against the command line's, without timing")
    parser.add_argument("--output", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--started", type=float, help="when script/bench-server began (seconds since the epoch)")
    args = parser.parse_args()
    began = args.started or time.time()

    data = subprocess.run([os.path.join(ROOT, "script", "bench-data"), "--scale", f"{args.scale:g}"], check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout.strip()
    data = os.path.join(ROOT, data)
    cached = os.path.join(ROOT, ".bench", f"db-{args.scale:g}", "bench.sqlite")
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    build_database(args.bin, data, cached)

    # The servers write (accounts, tokens, the writers' organizations): they get a copy, made anew each run.
    work = os.path.join(ROOT, ".bench", f"server-{args.scale:g}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    run(["sqlite3", cached, "PRAGMA wal_checkpoint(TRUNCATE)"], stdout=subprocess.DEVNULL)
    db = os.path.join(work, "bench.sqlite")
    shutil.copyfile(cached, db)

    home = solidarity(args.bin, "home", db=db).split("\t")[0].strip()
    if not home:
        sys.exit("The bench database has no home organization: the accounts need one.")
    # What to ask for: a union with relationships, people and aliases; an employer owning other
    # employers, whose chain has some tens of sites.
    org = scalar(db, """
        SELECT o.handle FROM organizations o
        WHERE o.kind = 'union' AND o.sensitive = 0 AND o.parent_id IS NULL
            AND (SELECT count(*) FROM relationships r WHERE r.from_id = o.id OR r.to_id = o.id) >= 2
            AND (SELECT count(*) FROM person_titles t WHERE t.organization_id = o.id) >= 3
            AND EXISTS (SELECT 1 FROM organization_aliases a WHERE a.organization_id = o.id)
            AND EXISTS (SELECT 1 FROM organizations part WHERE part.parent_id = o.id)
        ORDER BY o.id LIMIT 1""")
    employer = scalar(db, """
        WITH RECURSIVE chain(root, id) AS (SELECT id, id FROM employers WHERE parent_id IS NULL
                                           UNION SELECT chain.root, e.id FROM employers e JOIN chain ON e.parent_id = chain.id)
        SELECT e.handle FROM chain JOIN employers e ON e.id = chain.root JOIN sites s ON s.employer_id = chain.id
        GROUP BY chain.root HAVING count(DISTINCT chain.id) > 1 AND count(*) BETWEEN 20 AND 40 ORDER BY chain.root LIMIT 1""")
    if not org or not employer:
        sys.exit(f"No organization ({org!r}) or employer chain ({employer!r}) of the wanted shape in {db}.")

    print(f"Accounts for {home}…", file=sys.stderr, flush=True)
    solidarity(args.bin, "account", "add", "bench-reader", "--org", home, "--role", "viewer", "--sensitive", db=db)
    reader = token_for(args.bin, "bench-reader", db)
    writers = []
    for n in range(1, WRITERS + 1):
        solidarity(args.bin, "account", "add", f"bench-writer-{n}", "--org", home, "--role", "editor", db=db)
        writers.append(token_for(args.bin, f"bench-writer-{n}", db))
    profile = json.loads(solidarity(args.bin, "org", "show", org, "--format", "json", db=db))
    allies = json.loads(solidarity(args.bin, "allies", "--employer", employer, "--format", "json", db=db))

    ours_port, theirs_port = free_port(), free_port()
    while theirs_port == ours_port:
        theirs_port = free_port()
    ours_base = f"http://127.0.0.1:{ours_port}"
    theirs_base = f"http://127.0.0.1:{theirs_port}"
    metadata = os.path.join(work, "metadata.json")
    with open(metadata, "w") as f:
        json.dump({"databases": {"bench": {"queries": {
            "organization": {"sql": ORGANIZATION_SQL, "title": "org show REF --format json"},
            "allies": {"sql": ALLIES_SQL, "title": "allies --employer REF --format json"},
        }}}}, f, indent=2)
    datasette = os.path.join(ROOT, ".venv", "bin", "datasette")
    version = "Datasette " + subprocess.run([datasette, "--version"], capture_output=True, text=True).stdout.split()[-1]

    print(f"Starting solidarity serve on {ours_base} and {version} on {theirs_base}…", file=sys.stderr, flush=True)
    ours = Server("solidarity serve", [args.bin, "serve", "--bind", f"127.0.0.1:{ours_port}", "--db", db],
                  f"{ours_base}/openapi.json", os.path.join(work, "serve.log"))
    theirs = None
    try:
        # Datasette opens the file read-only (not immutable: the other server writes to it), and
        # may take up to 10 s for a query where its default is 1 s, so that a slow answer is timed
        # rather than refused.
        theirs = Server("datasette", [datasette, "serve", db, "--host", "127.0.0.1", "--port", str(theirs_port),
                                      "--metadata", metadata, "--setting", "sql_time_limit_ms", "10000"],
                        f"{theirs_base}/-/versions.json", os.path.join(work, "datasette.log"))
        quote = urllib.parse.quote
        urls = {
            "organization": (f"{ours_base}/api/organizations/{quote(org)}",
                             f"{theirs_base}/bench/organization.json?_shape=array&ref={quote(org)}"
                             + "".join(f"&_json={c}" for c in ORGANIZATION_JSON)),
            "allies": (f"{ours_base}/api/allies?employer={quote(employer)}",
                       f"{theirs_base}/bench/allies.json?_shape=array&employer={quote(employer)}"
                       + "".join(f"&_json={c}" for c in ALLIES_JSON)),
        }
        expected = {"organization": (profile, [profile]), "allies": (allies, allies_sites(allies))}
        check(urls, expected, reader)
        print(f"Both servers answer the same data as `org show {org}` and `allies --employer {employer}`.", file=sys.stderr)
        measured = None if args.check_only else timings(args, db, urls, reader, writers, ours, theirs)
    finally:
        ours_exit = ours.stop()
        if theirs:
            theirs.stop()
    if ours_exit != 0:
        sys.exit(f"solidarity serve exited with {ours_exit} on SIGTERM (0 expected); its log:\n{ours.tail()}")
    if measured:
        report(args, began, db, org, employer, version, *measured)


def timings(args, db, urls, reader, writers, ours, theirs):
    """wrk against each URL of each server, then the writers: the records before the writes, the
    reads' figures by (request, side), and the writers' counts."""
    reads = {}
    for what, (our_url, their_url) in urls.items():
        for side, url, server in (("ours", our_url, ours), ("datasette", their_url, theirs)):
            print(f"wrk {what} on {side} ({args.seconds} s)…", file=sys.stderr, flush=True)
            reads[what, side] = wrk(url, reader, args.seconds, server)
            r = reads[what, side]
            print(f"  {r['rps']:.0f} requests/s, p99 {r['p99']:.1f} ms, {r['cpu_ms']:.2f} ms of processor time per request, "
                  f"{r['non2xx']} non-2xx, {r['socket_errors']} socket errors", file=sys.stderr, flush=True)

    records = {t: scalar(db, f"SELECT count(*) FROM {t}") for t in ["organizations", "people", "employers", "sites", "activities"]}
    count = lambda: int(scalar(db, "SELECT count(*) FROM organizations"))
    before = count()
    print(f"{WRITERS} writers for {args.seconds} s…", file=sys.stderr, flush=True)
    cpu = ours.cpu_seconds()
    created, failed, elapsed = write_for(args.seconds, ours.port, writers)
    cpu = ours.cpu_seconds() - cpu
    after = count()
    written = {"created": created, "failed": failed, "elapsed": elapsed, "grew": after - before, "cpu_ms": cpu * 1000 / max(created, 1),
               "named": int(scalar(db, "SELECT count(*) FROM organizations WHERE name LIKE 'Bench union %'"))}
    print(f"  {created} created ({created / elapsed:.0f}/s), {failed} errors; organizations grew by {after - before}",
          file=sys.stderr, flush=True)
    return records, reads, written


def check(urls, expected, token):
    """Stops the benchmark unless each server answers 200 with the command line's data."""
    for what, (our_url, their_url) in urls.items():
        for side, url, want in (("solidarity serve", our_url, expected[what][0]), ("datasette", their_url, expected[what][1])):
            status, body = get(url, token)
            if status != 200:
                sys.exit(f"{side} answered {status} to {url}:\n{body[:2000].decode(errors='replace')}")
            got = json.loads(body)
            if not same(want, got):
                sys.exit(f"{side}'s answer to {url} is not what the command line says: {first_difference(want, got)}")


def report(args, began, db, org, employer, version, records, reads, written):
    """Writes the section "The server beside Datasette" into BENCHMARKS.md (its tables between markers;
    what follows the end marker is kept)."""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.machine())
    sqlite_version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_version = ((wrk_version.stdout + wrk_version.stderr).split() or ["", "?"])[1]
    load = os.getloadavg()[1]
    chain = scalar(db, f"""WITH RECURSIVE chain(id) AS (SELECT id FROM employers WHERE handle = '{employer}'
                                                        UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id)
                           SELECT count(DISTINCT chain.id) || ' employers, ' || count(s.id) || ' sites' FROM chain LEFT JOIN sites s ON s.employer_id = chain.id""")
    labels = {"organization": f"`GET /api/organizations/{org}`", "allies": f"`GET /api/allies?employer={employer}` ({chain})"}
    rows, ratios = [], []
    for what in ("organization", "allies"):
        ours, theirs = reads[what, "ours"], reads[what, "datasette"]
        ratios.append(ours["rps"] / theirs["rps"])
        errors = ours["non2xx"] + ours["socket_errors"] + theirs["non2xx"] + theirs["socket_errors"]
        rows.append(f"| {labels[what]} | {ours['rps']:,.0f} | {ours['p99']:,.1f} ms | {ours['cpu_ms']:.2f} ms "
                    f"| {theirs['rps']:,.0f} | {theirs['p99']:,.1f} ms | {theirs['cpu_ms']:.2f} ms "
                    f"| {ratios[-1]:.2f}× | {theirs['cpu_ms'] / ours['cpu_ms']:.2f}× | {errors} |")
    lost = written["created"] - written["grew"]
    total = time.time() - began
    goal = "met" if min(ratios) >= 3 else "missed"
    section = f"""Measured by `script/bench-server --scale {args.scale:g}` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores ({cpu}),
{platform.system()} {platform.release()}, SQLite {sqlite_version}, a release build with the static Swift standard library,
{version}, wrk {wrk_version}; the machine's load average over the last 5 minutes of the run was {load:.1f}
(other work shares its cores). The whole run took {total / 60:.1f} minutes.

Data ({", ".join(f"{int(v):,} {k}" for k, v in records.items())}), the data set of
`script/bench-data` as `script/bench` imports it, copied for the run, with 9 accounts made by
`solidarity account add` and their tokens. `solidarity serve` and `datasette serve` (the file
opened read-only, two canned queries with the equivalent SQL, in script/bench-server.py, answering
JSON with `_shape=array`) run side by side on the same file; before the timing, each answer is
checked to be the data that `org show --format json` and `allies --format json` give. Each row is
`wrk -t{THREADS} -c{CONNECTIONS} -d{args.seconds}s --timeout {TIMEOUT} --latency` with a viewer's token (it sees
sensitive records) against each server in turn, in the same run. Processor time per request is the
server process's user and system time during its run (from /proc) over the requests answered;
errors are non-2xx responses and socket errors.

| request | solidarity req/s | p99 | CPU per request | Datasette req/s | p99 | CPU per request | req/s ratio | CPU ratio (Datasette ÷ ours) | errors |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

Goal (issue 19): at least 3× Datasette's requests per second: {goal} ({" and ".join(f"{v:.2f}×" for v in ratios)}).

{WRITERS} writers, each with its own editor's token and kept-alive connection, `POST /api/organizations` one
after another for {args.seconds} s; afterwards the sqlite3 shell counts the organizations:

| writes (201) | per second | CPU per write | errors | organizations added | lost |
|---:|---:|---:|---:|---:|---:|
| {written['created']:,} | {written['created'] / written['elapsed']:,.0f} | {written['cpu_ms']:.2f} ms | {written['failed']} | {written['grew']:,} | {lost} |
"""
    print(section)
    heading = "## The server beside Datasette"
    start, end = "<!-- bench-server:table -->", "<!-- /bench-server:table -->"
    text = open(args.output).read() if os.path.exists(args.output) else ""
    if start in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + start + "\n" + section + end + tail
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n{start}\n{section}{end}\n"
    with open(args.output, "w") as f:
        f.write(text)
    print(f"Wrote {args.output} ({total / 60:.1f} minutes).", file=sys.stderr)
    if lost != 0 or written["named"] != written["created"]:
        sys.exit(f"Writes were lost: {written['created']} created (201), the organizations grew by {written['grew']}, "
                 f"{written['named']} are named 'Bench union …'.")


if __name__ == "__main__":
    main()
