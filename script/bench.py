#!/usr/bin/env python3
"""The timing harness of script/bench (run that instead: it builds the binary and installs the peers).

Each measured command runs as a whole process under /usr/bin/time -v, N times after one warm-up
run; the table gives the median wall time, the sqlite3 shell's median for the equivalent SQL on
the same file in the same run, their ratio, and the peak resident memory of solidarity's runs.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, **kwargs)


# A command whose first run takes longer than this is timed by that run alone: a warm-up would only
# bring the file into the page cache, where the import and the commands before it have left it, and
# repeating a run of a minute would take the whole benchmark past its 20 minutes.
LONG_RUN = 10.0


def run_once(argv, stdin=None):
    """Wall seconds and peak RSS (KiB) of one run of argv under /usr/bin/time -v; a failure stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=open(stdin) if stdin else subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed, int(re.search(rb"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))


def measure(argv, runs, stdin=None):
    """Median wall seconds and peak RSS (KiB) over `runs` runs of argv, after one warm-up run; for a
    command that takes longer than LONG_RUN, its one run."""
    once = lambda: run_once(argv, stdin)
    first = once()
    if first[0] > LONG_RUN:
        return first
    samples = [once() for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def timed(label, argv, what):
    print(f"{label}…", file=sys.stderr, flush=True)
    start = time.perf_counter()
    run(argv, stdout=subprocess.DEVNULL)
    print(f"  {what}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)


def build_database(bin, data, db):
    """Imports the data set once; cached beside it while the data and the migrations are unchanged.
    The seconds the import took, or None if it was cached."""
    migrations = sorted(os.listdir(os.path.join(ROOT, "Migrations")))
    stamp = open(os.path.join(data, "generator.sha256")).read() + "|" + ",".join(migrations)
    stamp_file = db + ".stamp"
    if os.path.exists(db) and os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return None
    for suffix in ("", "-wal", "-shm", ".stamp"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    start = time.perf_counter()
    run([bin, "init", "--db", db], stdout=subprocess.DEVNULL)
    files = ["organizations.json", "base.json"] + sorted(f for f in os.listdir(data) if f.startswith("activities-")) + ["conventions.json"]
    for name in files:
        timed(f"Importing {name}", [bin, "import", os.path.join(data, name), "--db", db, "--no-notify"], "imported")
    with open(stamp_file, "w") as f:
        f.write(stamp)
    return time.perf_counter() - start


def sqlite(db, sql):
    return ["sqlite3", "-bail", "-csv", db, sql]


def scalar(db, sql):
    return subprocess.run(["sqlite3", db, sql], check=True, capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--started", type=float, help="when script/bench began (seconds since the epoch), to count its build too")
    parser.add_argument("--only-import", action="store_true",
                        help="time the import rows alone and print their table (BENCHMARKS.md is left as it is)")
    args = parser.parse_args()
    began = args.started or time.time()

    data = subprocess.run([os.path.join(ROOT, "script", "bench-data"), "--scale", f"{args.scale:g}"], check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout.strip()
    data = os.path.join(ROOT, data)
    work = os.path.join(ROOT, ".bench", f"db-{args.scale:g}")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "bench.sqlite")
    generated = os.path.getmtime(os.path.join(data, "generator.sha256")) >= began
    if args.only_import:
        print(table(imports(args, data, work)))
        return
    imported = build_database(args.bin, data, db)
    rows = commands(args, db) + imports(args, data, work)
    report_table(args, began, db, generated, imported, rows)


def commands(args, db):
    """The rows of the commands on the imported data set, each beside sqlite3."""
    run(["sqlite3", db, "PRAGMA wal_checkpoint(TRUNCATE)"], stdout=subprocess.DEVNULL)

    # What to look up: an ally in tens of thousands of activities (timeline), an employer with a
    # chain of a few dozen sites.
    busiest = scalar(db, """SELECT o.handle FROM activity_organizations ao JOIN organizations o ON o.id = ao.organization_id
                            WHERE o.handle <> 'ue' GROUP BY ao.organization_id ORDER BY abs(count(*) - 30000) LIMIT 1""")
    employer = scalar(db, """SELECT e.handle FROM employers e JOIN sites s ON s.employer_id = e.id
                             GROUP BY e.id HAVING count(*) BETWEEN 20 AND 40 ORDER BY e.id LIMIT 1""")
    org = scalar(db, "SELECT handle FROM organizations WHERE kind = 'union' AND native_name IS NOT NULL ORDER BY id LIMIT 1 OFFSET 100")
    resolution = scalar(db, "SELECT handle FROM resolutions WHERE handle LIKE 'ue-%' ORDER BY handle DESC LIMIT 1")
    counts = {
        "timeline": scalar(db, f"SELECT count(*) FROM activity_organizations ao JOIN organizations o ON o.id = ao.organization_id WHERE o.handle = '{busiest}'"),
        "delegations": scalar(db, "SELECT count(*) FROM activities WHERE kind = 'delegation' AND last_day >= '2024-01-01'"),
        "search": scalar(db, "SELECT count(*) FROM activity_search WHERE activity_search MATCH 'solidarity'"),
        "appendix": scalar(db, "SELECT count(*) FROM activities WHERE last_day >= '2025-01-01' AND first_day <= '2025-12-31'"),
    }
    q = lambda s: s.replace("'", "''")
    # The handles in one role of an activity, in the activity's order: a column of the activities CSV.
    roles = lambda table, records, column, role: (
        f"(SELECT group_concat(r.handle, '; ') FROM (SELECT x.{column} AS id FROM {table} x WHERE x.activity_id = a.id AND x.role = '{role}' "
        f"ORDER BY x.position) JOIN {records} r USING (id))")
    home = "(SELECT organization_id FROM home)"
    bench = [
        # (command, solidarity argv, sqlite3 argv, runs, sqlite-utils SQL or None)
        (f"org show {org}", [args.bin, "org", "show", org], f"""
            SELECT o.handle, o.name, o.acronym, o.native_name, o.kind, o.country, p.handle,
                   (SELECT group_concat(alias, '; ') FROM organization_aliases WHERE organization_id = o.id),
                   (SELECT group_concat(r.kind || ' ' || r.status, '; ') FROM relationships r WHERE r.from_id = o.id OR r.to_id = o.id),
                   (SELECT group_concat(pe.name || ' ' || t.title, '; ') FROM person_titles t JOIN people pe ON pe.id = t.person_id WHERE t.organization_id = o.id)
            FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id WHERE o.handle = '{q(org)}'""", args.runs, True),
        (f"allies --employer {employer}", [args.bin, "allies", "--employer", employer], f"""
            WITH RECURSIVE chain(id) AS (SELECT id FROM employers WHERE handle = '{q(employer)}'
                                         UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id)
            SELECT s.country, s.name, o.handle, r.kind, r.status, r.since,
                   (SELECT max(a.first_day) FROM activity_organizations ao JOIN activities a ON a.id = ao.activity_id
                    WHERE ao.organization_id = o.id AND a.status = 'done'),
                   (SELECT group_concat(pe.name, '; ') FROM person_titles t JOIN people pe ON pe.id = t.person_id WHERE t.organization_id = o.id)
            FROM chain JOIN sites s ON s.employer_id = chain.id
            LEFT JOIN representations rp ON rp.site_id = s.id LEFT JOIN organizations o ON o.id = rp.organization_id
            LEFT JOIN relationships r ON (r.from_id = o.id AND r.to_id = {home}) OR (r.to_id = o.id AND r.from_id = {home})
            ORDER BY s.country, s.name""", args.runs, True),
        (f"timeline {busiest}  ({counts['timeline']} activities)", [args.bin, "timeline", busiest, "--format", "csv"], f"""
            SELECT a.start, a.kind, a.title, a.status, ao.role,
                   (SELECT group_concat(country, '; ') FROM activity_stops WHERE activity_id = a.id)
            FROM organizations o JOIN activity_organizations ao ON ao.organization_id = o.id JOIN activities a ON a.id = ao.activity_id
            WHERE o.handle = '{q(busiest)}' ORDER BY a.first_day IS NULL, a.first_day DESC""", 3, False),
        (f"delegation list --since 2024  ({counts['delegations']} rows)",
         [args.bin, "delegation", "list", "--since", "2024", "--format", "csv"], f"""
            SELECT a.uid, a.kind, a.title, a.status, a.start, a."end",
                   (SELECT group_concat(country, '; ') FROM (SELECT country FROM activity_stops WHERE activity_id = a.id ORDER BY position)),
                   (SELECT group_concat(city || '@' || country, '; ') FROM (SELECT city, country FROM activity_stops
                    WHERE activity_id = a.id AND city IS NOT NULL ORDER BY position)),
                   {", ".join(roles("activity_organizations", "organizations", "organization_id", r) for r in ["host", "sender", "participant", "organizer", "met"])},
                   {", ".join(roles("activity_people", "people", "person_id", r) for r in ["delegate", "speaker"])},
                   a.purpose, a.outcomes, a.notes,
                   (SELECT group_concat(e.handle, '; ') FROM activity_employers x JOIN employers e ON e.id = x.employer_id WHERE x.activity_id = a.id),
                   (SELECT group_concat(c.handle, '; ') FROM activity_campaigns x JOIN campaigns c ON c.id = x.campaign_id WHERE x.activity_id = a.id),
                   (SELECT group_concat(s.uid, '; ') FROM activity_sources x JOIN sources s ON s.id = x.source_id WHERE x.activity_id = a.id),
                   a.hosted, a.virtual, a.sensitive
            FROM activities a WHERE a.kind = 'delegation' AND a.last_day >= '2024-01-01'
            ORDER BY a.first_day IS NULL, a.first_day, length(a.start), a.uid""", 3, False),
        (f"search solidarity --limit 0  ({counts['search']} activities)",
         [args.bin, "search", "solidarity", "--limit", "100000", "--format", "csv"], """
            SELECT a.uid, a.title, bm25(activity_search) FROM activity_search JOIN activities a ON a.id = activity_search.rowid
            WHERE activity_search MATCH 'solidarity' ORDER BY rank""", 3, False),
        (f"appendix {resolution} 2025  ({counts['appendix']} activities)",
         [args.bin, "appendix", resolution, "--since", "2025", "--until", "2025", "--output", "/dev/null"], f"""
            SELECT a.kind = 'delegation', a.start, a.title, a.purpose, a.outcomes,
                   (SELECT group_concat(country, '; ') FROM activity_stops WHERE activity_id = a.id),
                   (SELECT group_concat(coalesce(o.acronym, o.name), '; ') FROM activity_organizations ao JOIN organizations o ON o.id = ao.organization_id WHERE ao.activity_id = a.id AND ao.role = 'host'),
                   (SELECT group_concat(p.name, '; ') FROM activity_people ap JOIN people p ON p.id = ap.person_id WHERE ap.activity_id = a.id AND ap.role = 'delegate')
            FROM activities a WHERE a.last_day >= '2025-01-01' AND a.first_day <= '2025-12-31' AND a.sensitive = 0
            ORDER BY a.kind <> 'delegation', a.first_day, length(a.start);
            -- Part C: the chain of every employer the period's activities concern, each site with its
            -- unions, their relationship to home, last contact and current contacts.
            WITH RECURSIVE concerned(id) AS (
                SELECT DISTINCT ae.employer_id FROM activities a JOIN activity_employers ae ON ae.activity_id = a.id
                WHERE a.last_day >= '2025-01-01' AND a.first_day <= '2025-12-31'),
            chain(root, id) AS (SELECT id, id FROM concerned UNION SELECT chain.root, e.id FROM employers e JOIN chain ON e.parent_id = chain.id)
            SELECT chain.root, s.country, s.name, o.handle, r.kind, r.status,
                   (SELECT max(a.first_day) FROM activity_organizations ao JOIN activities a ON a.id = ao.activity_id
                    WHERE ao.organization_id = o.id AND a.status = 'done' AND a.first_day <= '2025-12-31'),
                   (SELECT group_concat(pe.name, '; ') FROM person_titles t JOIN people pe ON pe.id = t.person_id
                    WHERE t.organization_id = o.id AND t.until IS NULL)
            FROM chain JOIN sites s ON s.employer_id = chain.id
            LEFT JOIN representations rp ON rp.site_id = s.id LEFT JOIN organizations o ON o.id = rp.organization_id
            LEFT JOIN relationships r ON (r.from_id = o.id AND r.to_id = {home}) OR (r.to_id = o.id AND r.from_id = {home})
            ORDER BY chain.root, s.country, s.name""", 3, False),
        ("export (everything)", [args.bin, "export", "--output", "/dev/null", "--include-sensitive"], """
            SELECT json_object('handle', handle, 'name', name, 'acronym', acronym, 'country', country,
                               'aliases', (SELECT json_group_array(alias) FROM organization_aliases WHERE organization_id = o.id)) FROM organizations o;
            SELECT json_object('handle', handle, 'name', name, 'email', email,
                               'titles', (SELECT json_group_array(json_object('organization', t.organization_id, 'title', t.title)) FROM person_titles t WHERE t.person_id = p.id)) FROM people p;
            SELECT json_object('id', uid, 'employer', employer_id, 'name', name, 'country', country,
                               'unions', (SELECT json_group_array(organization_id) FROM representations WHERE site_id = s.id)) FROM sites s;
            SELECT json_object('id', uid, 'kind', kind, 'title', title, 'status', status, 'start', start, 'purpose', purpose, 'outcomes', outcomes,
                               'itinerary', (SELECT json_group_array(json_object('country', country, 'city', city)) FROM activity_stops WHERE activity_id = a.id),
                               'organizations', (SELECT json_group_array(json_object('organization', o.handle, 'role', role)) FROM activity_organizations ao JOIN organizations o ON o.id = ao.organization_id WHERE ao.activity_id = a.id),
                               'people', (SELECT json_group_array(json_object('person', p.handle, 'role', role)) FROM activity_people ap JOIN people p ON p.id = ap.person_id WHERE ap.activity_id = a.id))
            FROM activities a ORDER BY uid""", 1, False),
    ]

    rows = []
    for label, ours, sql, runs, peer in bench:
        print(f"Timing {label}…", file=sys.stderr, flush=True)
        ours_time, rss = measure(ours + ["--db", db], runs)
        theirs_time, _ = measure(sqlite(db, sql), runs)
        peer_time = measure([os.path.join(ROOT, ".venv", "bin", "sqlite-utils"), "query", db, sql], runs)[0] if peer else None
        rows.append((label, ours_time, theirs_time, rss, peer_time))
        print(f"  {ours_time * 1000:.0f} ms, sqlite3 {theirs_time * 1000:.0f} ms, {rss / 1024:.0f} MiB", file=sys.stderr, flush=True)
    return rows


def imports(args, data, work):
    """The import rows: the organizations file into an empty database, beside sqlite3 .import of the
    same rows; then, into the same database, the data set's largest files (base.json, the first
    activities file), whose peak memory is the import's bound (a small multiple of the largest
    record, plus the file's own pages, which are mapped: the page cache's, counted in the RSS)."""
    rows = []
    csv = os.path.join(data, "csv")
    fresh = os.path.join(work, "import.sqlite")
    template = os.path.join(work, "empty.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(template + suffix):
            os.remove(template + suffix)
    run([args.bin, "init", "--db", template], stdout=subprocess.DEVNULL)
    run(["sqlite3", template, "PRAGMA wal_checkpoint(TRUNCATE)"], stdout=subprocess.DEVNULL)
    import_script = os.path.join(work, "import.sql")
    with open(import_script, "w") as f:
        f.write(f"""
.bail on
CREATE TEMP TABLE s(id, uid, url, title, publisher, published);
CREATE TEMP TABLE o(id, handle, name, acronym, native_name, native_name_lang, kind, country, city, parent_id, members, members_as_of, notes, sensitive);
CREATE TEMP TABLE a(organization_id, position, alias, lang);
CREATE TEMP TABLE os(organization_id, source_id);
.import --csv {csv}/sources.csv s
.import --csv {csv}/organizations.csv o
.import --csv {csv}/organization_aliases.csv a
.import --csv {csv}/organization_sources.csv os
BEGIN;
INSERT INTO sources (id, uid, url, title, publisher, published) SELECT * FROM s;
INSERT INTO organizations (id, handle, name, name_key, acronym, acronym_key, native_name, native_name_key, native_name_lang, kind, country,
                           city, parent_id, members, members_as_of, notes, sensitive)
    SELECT id, handle, name, lower(name), nullif(acronym, ''), lower(nullif(acronym, '')), nullif(native_name, ''),
           lower(nullif(native_name, '')), nullif(native_name_lang, ''), kind, nullif(country, ''), nullif(city, ''),
           nullif(parent_id, ''), nullif(members, ''), nullif(members_as_of, ''), nullif(notes, ''), sensitive FROM o;
INSERT INTO organization_aliases (organization_id, position, alias, alias_key, lang) SELECT organization_id, position, alias, lower(alias), lang FROM a;
INSERT INTO organization_sources (organization_id, source_id) SELECT * FROM os;
INSERT INTO home (singleton, organization_id) VALUES (1, 1);
COMMIT;
""")

    def fresh_copy():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(fresh + suffix):
                os.remove(fresh + suffix)
        shutil.copyfile(template, fresh)
        os.chmod(fresh, 0o600)

    def import_run(argv, stdin=None):
        # Each run imports into a fresh copy of an empty database; one run each, as an import of
        # 100,000 organizations is long enough not to need a median.
        fresh_copy()
        return run_once(argv, stdin)

    print("Timing import…", file=sys.stderr, flush=True)
    ours_time, rss = import_run([args.bin, "import", os.path.join(data, "organizations.json"), "--db", fresh, "--no-notify"])
    theirs_time, _ = import_run(["sqlite3", fresh], stdin=import_script)
    count = scalar(fresh, "SELECT count(*) FROM organizations")
    rows.append((f"import organizations.json  ({count} organizations)", ours_time, theirs_time, rss, None))
    # sqlite3's run left its own rows (no campaigns): the organizations file again, untimed.
    fresh_copy()
    run([args.bin, "import", os.path.join(data, "organizations.json"), "--db", fresh, "--no-notify"], stdout=subprocess.DEVNULL)
    for name in ["base.json", min(f for f in os.listdir(data) if f.startswith("activities-"))]:
        path = os.path.join(data, name)
        print(f"Timing import of {name}…", file=sys.stderr, flush=True)
        ours_time, rss = run_once([args.bin, "import", path, "--db", fresh, "--no-notify"])
        rows.append((f"import {name} into it  ({os.path.getsize(path) / 2**20:.0f} MiB file)", ours_time, None, rss, None))
        print(f"  {ours_time * 1000:.0f} ms, {rss / 1024:.0f} MiB", file=sys.stderr, flush=True)
    return rows


def table(rows):
    """The Markdown table of the rows; a row without sqlite3's time (an import with no .import peer) has no ratio."""
    lines = [
        "| command | solidarity (median) | sqlite3 (median) | ratio | peak memory | sqlite-utils ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, ours_time, theirs_time, rss, peer_time in rows:
        peer = f"{peer_time / ours_time:.0f}× slower than solidarity" if peer_time else ""
        theirs = f"{theirs_time * 1000:.0f} ms" if theirs_time else ""
        ratio = f"{ours_time / theirs_time:.2f}×" if theirs_time else ""
        lines.append(f"| `{label}` | {ours_time * 1000:.0f} ms | {theirs} | {ratio} | {rss / 1024:.0f} MiB | {peer} |")
    return "\n".join(lines)


def report_table(args, began, db, generated, imported, rows):
    """Writes the table, with the machine and what the run did, into BENCHMARKS.md."""
    # The machine and the table.
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.machine())
    sqlite_version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    records = {t: scalar(db, f"SELECT count(*) FROM {t}") for t in
               ["organizations", "organization_aliases", "people", "employers", "sites", "representations", "activities",
                "activity_organizations", "conventions", "resolutions"]}
    markdown = table(rows)
    total = time.time() - began
    steps = (["the release build"] if args.started else []) + (["generating the data"] if generated else []) + \
            ([f"importing it ({imported / 60:.1f} minutes)"] if imported is not None else []) + ["the timing"]
    cached = [what for what, fresh in (("the data", generated), ("its database", imported is not None)) if not fresh]
    report = f"""# Benchmarks

Measured by `script/bench --scale {args.scale:g}` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores ({cpu}),
{platform.system()} {platform.release()}, SQLite {sqlite_version}, a release build with the static Swift standard library.
The whole run took {total / 60:.1f} minutes: {", ".join(steps)}{f" ({' and '.join(cached)} cached from an earlier run)" if cached else ""}.

Data ({", ".join(f"{int(v):,} {k.replace('_', ' ')}" for k, v in records.items())}), generated by
`script/bench-data` with a fixed seed. Each command runs as a whole process, the median of its runs after one warm-up
(a command whose first run takes over {LONG_RUN:g} s: that one run, for solidarity and for sqlite3 alike); beside it the `sqlite3` shell runs the equivalent SQL on the same file in the same run (for import: `.import` of the
same rows as CSV into the same schema; the data set's base.json and first activities file, imported after it, have no
such peer). Peak memory is the maximum resident set size from `/usr/bin/time -v`; an import's counts the pages of its
file, which it maps rather than reads.
The sqlite-utils column times `sqlite-utils query` with the same SQL, the peer a user would otherwise pick.

{markdown}
"""
    print(markdown)
    marker = "<!-- bench:table -->"
    if os.path.exists(args.output) and marker in open(args.output).read():
        text = open(args.output).read()
        head, _, rest = text.partition(marker)
        _, _, tail = rest.partition("<!-- /bench:table -->")
        report = head + marker + "\n" + report + "<!-- /bench:table -->" + tail
    else:
        report = marker + "\n" + report + "<!-- /bench:table -->\n"
    with open(args.output, "w") as f:
        f.write(report)
    print(f"Wrote {args.output} ({total / 60:.1f} minutes).", file=sys.stderr)


if __name__ == "__main__":
    main()
