"""Score the validation corpus with two real filters, fully offline, into ``filters.json``.

- **SpamAssassin** (Debian ``spamassassin``): ``spamassassin -L -t`` per message — local tests
  only, the rules the package ships (no ``sa-update``), Bayes off and an empty user-prefs file so
  no learnt state or personal setting moves the scores between machines or runs.
- **rspamd** (Debian ``rspamd``): our own instance on 127.0.0.1 with its own config in a temporary
  folder (the system service is never touched). The stock modules and scores are loaded from
  ``/etc/rspamd``; the modules that only look at the connection, DNS, stored state or the network
  are switched off, and rspamd's resolver points at a closed loopback port, so nothing leaves the
  machine. Each message goes to the worker's ``/checkv2`` HTTP API; its *content score* is the sum
  of the symbol scores except :data:`RSPAMD_EXCLUDED` (symbols about the connection, DNS or the
  moment of the scan, which a newsletter's author does not control and which we cannot give a
  meaningful value offline), averaged over :data:`RSPAMD_RUNS` checks (see :func:`rspamd_mean`).

Writes ``tests/data/spam_corpus/filters.json`` — ``{file: {"spamassassin": score, "sa_rules":
[names], "sa_rule_points": {name: points}, "rspamd": content score, "rspamd_symbols": {name:
score}}}``, sorted and pretty so a re-run shows as a small diff — and prints the two filters'
Spearman correlation.

    uv run python tools/score_corpus.py [--only NAME.eml ...]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "spam_corpus"
RESULTS = CORPUS / "filters.json"

# ----------------------------------------------------------------------------- SpamAssassin

SA_ARGS = ["-L", "-t", "-p", os.devnull, "--cf=use_bayes 0"]
_SA_TOTAL = re.compile(r"Content analysis details:\s+\((-?\d+(?:\.\d+)?) points")
_SA_ROW = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Za-z0-9_]+)\s")


def parse_spamassassin(report: str) -> tuple[float, dict[str, float]]:
    """The total score and ``{rule: points}`` from ``spamassassin -t``'s report."""
    total = _SA_TOTAL.search(report)
    if total is None:
        raise ValueError("no SpamAssassin report in the output")
    rules: dict[str, float] = {}
    in_table = False
    for line in report[total.end() :].splitlines():
        if line.startswith("----"):
            in_table = True
            continue
        if in_table:
            row = _SA_ROW.match(line)
            if row:
                rules[row.group(2)] = float(row.group(1))
            elif line.strip() and not line.startswith(" "):
                break  # the end of the report (the message follows in some modes)
    return float(total.group(1)), rules


def spamassassin(path: Path, program: str = "spamassassin") -> tuple[float, dict[str, float]]:
    """Score one message with SpamAssassin's local tests."""
    done = subprocess.run(
        [program, *SA_ARGS],
        input=path.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    return parse_spamassassin(done.stdout.decode("utf-8", "replace"))


# ----------------------------------------------------------------------------- rspamd

# Modules switched off: each needs DNS, the network, Redis or the SMTP session, not the content.
RSPAMD_DISABLED_MODULES = [
    "antivirus",  # external scanners
    "arc",  # ARC signatures: DNS keys
    "asn",  # the client IP's AS number: DNS
    "bimi",  # DNS and HTTP
    "clickhouse",  # statistics export
    "dcc",  # external hash service
    "dkim",  # signatures checked against DNS keys
    "dkim_signing",
    "dmarc",  # DNS policy of the From domain
    "elastic",  # statistics export
    "emails",  # addresses in the body against DNS blocklists
    "external_services",
    "fuzzy_check",  # hashes shared with rspamd.com's fuzzy servers
    "greylist",  # connection state (Redis)
    "history_redis",
    "metadata_exporter",
    "multimap",  # its stock maps (freemail lists…) are fetched from maps.rspamd.com
    "mx_check",  # DNS
    "neural",  # learnt state (Redis)
    "p0f",  # the client's TCP fingerprint
    "ratelimit",  # sending rate (Redis)
    "rbl",  # DNS blocklists of IPs, HELO, URLs (SURBL, Spamhaus DBL…)
    "replies",  # Redis
    "reputation",  # Redis/DNS
    "rspamd_update",  # downloads rule updates
    "spamtrap",
    "spf",  # DNS policy of the envelope domain
    "surbl",
    "url_redirector",  # follows redirects over HTTP
    "whitelist",  # trusts senders that passed SPF/DKIM/DMARC
]

# Symbols left out of the content score, and why (prefixes end with "_").
RSPAMD_EXCLUDED: dict[str, str] = {
    "HFILTER_HOSTNAME_": "the connecting host's name and its DNS (none offline)",
    "HFILTER_HELO_": "the SMTP HELO and its DNS (none offline)",
    "HFILTER_FROMHOST_": "DNS lookups of the From domain",
    "HFILTER_RCPT_": "the SMTP envelope recipients",
    "RCVD_": "Received headers: the relay path, added by servers, not by the author",
    "ONCE_RECEIVED": "the relay path",
    "DATE_IN_PAST": "compares Date with the moment of the scan (the corpus has fixed dates)",
    "DATE_IN_FUTURE": "compares Date with the moment of the scan",
    "R_SPF_": "SPF is DNS",
    "R_DKIM_": "DKIM is DNS",
    "DMARC_": "DMARC is DNS",
    "ARC_": "ARC is DNS",
    "ASN": "the client IP",
    "RBL_": "DNS blocklists",
    "URIBL_": "DNS blocklists",
    "SURBL_": "DNS blocklists",
    "DBL_": "DNS blocklists",
    "RECEIVED_": "DNS blocklists of the relays",
    "DWL_": "DNS allowlists",
    "FUZZY_": "shared hash servers",
    "NEURAL_": "learnt state",
    "BAYES_": "learnt state",
    "GREYLIST": "connection state",
    "FORGED_SENDER": "compares From with the SMTP envelope sender, which a file has none of",
    "FORGED_RECIPIENTS": "compares To with the SMTP envelope recipients",
    "PREVIOUSLY_DELIVERED": "the SMTP envelope recipients",
    "DNSWL_": "DNS allowlists",
    "MX_": "DNS",
    "LOCAL_CL_": "connection",
}


def rspamd_excluded(symbol: str) -> bool:
    """Whether ``symbol`` depends on the connection, DNS or the time of the scan."""
    return any(
        symbol.startswith(key) if key.endswith("_") else symbol == key for key in RSPAMD_EXCLUDED
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _write_config(folder: Path, port: int) -> Path:
    local = folder / "local.d"
    local.mkdir()
    for module in RSPAMD_DISABLED_MODULES:
        (local / f"{module}.conf").write_text("enabled = false;\n")
    # phishtank is a DNS lookup; the link-text/href comparison (PHISHING) stays.
    (local / "phishing.conf").write_text("phishtank_enabled = false;\nopenphish_enabled = false;\n")
    # Every DNS query goes to a closed loopback port and fails at once: nothing leaves here.
    (local / "options.inc").write_text(
        'dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 1; }\n'
        'filters = "chartable,regexp";\n'
    )
    conf = folder / "rspamd.conf"
    conf.write_text(
        '.include "$CONFDIR/common.conf"\n'
        "options {\n"
        '    pidfile = "$RUNDIR/rspamd.pid";\n'
        '    .include "$CONFDIR/options.inc"\n'
        '    .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/options.inc"\n'
        "}\n"
        'logging { type = "console"; level = "error"; }\n'
        'worker "normal" {\n'
        f'    bind_socket = "127.0.0.1:{port}";\n'
        '    .include "$CONFDIR/worker-normal.inc"\n'
        "    count = 1;\n"
        "}\n"
    )
    return conf


@contextmanager
def rspamd_server(program: str = "rspamd") -> Iterator[int]:
    """Our own rspamd on loopback for the duration; yields its port."""
    with tempfile.TemporaryDirectory(prefix="bulletin-rspamd-") as tmp:
        folder = Path(tmp)
        port = _free_port()
        conf = _write_config(folder, port)
        (folder / "db").mkdir()
        (folder / "run").mkdir()
        variables = {
            "CONFDIR": "/etc/rspamd",
            "LOCAL_CONFDIR": str(folder),
            "DBDIR": str(folder / "db"),
            "RUNDIR": str(folder / "run"),
            "LOGDIR": str(folder),
        }
        args = [program, "-f", "-c", str(conf)]
        if os.geteuid() == 0:
            args += ["-u", "root", "-g", "root", "-i"]
        for key, value in variables.items():
            args += ["--var", f"{key}={value}"]
        log = (folder / "rspamd.out").open("wb")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(port, proc, folder / "rspamd.out")
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
            log.close()


def _wait_ready(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):  # up to a minute: the first start compiles its regexps
        if proc.poll() is not None:
            raise RuntimeError("rspamd stopped:\n" + log.read_text(errors="replace")[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/ping")
            if conn.getresponse().read().strip() == b"pong":
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"rspamd did not answer on 127.0.0.1:{port}")


def rspamd_check(port: int, path: Path) -> dict[str, float]:
    """``{symbol: score}`` for one message, every symbol rspamd reported."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/checkv2", body=path.read_bytes())
    reply = conn.getresponse()
    data = json.loads(reply.read())
    if reply.status != 200:
        raise RuntimeError(f"rspamd: {reply.status} {data}")
    return {name: float(sym.get("score", 0.0)) for name, sym in data.get("symbols", {}).items()}


RSPAMD_RUNS = 10


def rspamd_mean(port: int, path: Path, runs: int = RSPAMD_RUNS) -> dict[str, float]:
    """Each symbol's mean score over ``runs`` checks of the same message (absent counts 0).

    rspamd is not deterministic here: its language detector samples words at random, and
    R_MIXED_CHARSET (chartable) comes and goes between two checks of one French message
    (0 or up to 5 points). The mean is the score to expect and barely moves between re-runs.
    """
    totals: dict[str, float] = {}
    for _ in range(runs):
        for name, score in rspamd_check(port, path).items():
            totals[name] = totals.get(name, 0.0) + score
    return {name: total / runs for name, total in totals.items()}


def content_score(symbols: dict[str, float]) -> float:
    return sum(score for name, score in symbols.items() if not rspamd_excluded(name))


# ----------------------------------------------------------------------------- statistics


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's on average ranks (right with ties)."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("need two sequences of the same length, at least 2")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return 0.0
    return float(cov / (vx * vy) ** 0.5)


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="re-score these files only")
    args = parser.parse_args(argv)
    sa = shutil.which("spamassassin")
    rs = shutil.which("rspamd") or shutil.which("rspamd", path="/usr/sbin:/sbin")
    if not sa or not rs:
        print("needs spamassassin and rspamd: apt-get install spamassassin rspamd")
        return 1
    files = sorted(CORPUS.glob("*.eml"))
    if args.only:
        files = [f for f in files if f.name in set(args.only)]
    results: dict[str, dict[str, object]] = {}
    if RESULTS.exists() and args.only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    with rspamd_server(rs) as port:
        for path in files:
            sa_score, sa_rules = spamassassin(path, sa)
            symbols = rspamd_mean(port, path)
            results[path.name] = {
                "spamassassin": sa_score,
                "sa_rules": sorted(sa_rules),
                "sa_rule_points": dict(sorted(sa_rules.items())),
                "rspamd": round(content_score(symbols), 3),
                "rspamd_symbols": {k: round(v, 3) for k, v in sorted(symbols.items())},
            }
            print(f"{path.name:45} SA {sa_score:6.1f}   rspamd {results[path.name]['rspamd']:6.2f}")
    known = {p.name for p in CORPUS.glob("*.eml")}
    results = {k: v for k, v in sorted(results.items()) if k in known}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    names = sorted(results)
    rho = spearman(
        [float(results[n]["spamassassin"]) for n in names],  # type: ignore[arg-type]
        [float(results[n]["rspamd"]) for n in names],  # type: ignore[arg-type]
    )
    print(f"{len(names)} messages; Spearman(SpamAssassin, rspamd content) = {rho:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
