"""DNS checks of the sender's domain: SPF, DKIM, DMARC and MX, as mailbox providers read them.

Since February 2024 Gmail and Yahoo require every sender to authenticate with SPF or DKIM, and
senders of more than 5,000 messages a day to Gmail to have SPF *and* DKIM *and* a DMARC record
(``p=none`` is enough), the From domain aligned with SPF or DKIM, one-click unsubscription
(RFC 8058) and a spam-complaint rate under 0.3 %. Mail that fails is rejected (Gmail's 5.7.26
and 5.7.27 errors) or sent to spam. The last three are the message's business (the rules and
the sending code); this module looks at what the domain publishes.

Each problem is a :class:`~editor.spam.model.ScoredFinding` with a registered ``dns.<id>``
code; what passes is reported too, as 0-point information, so the owner sees what was checked.
The SPF walk follows ``include:`` and ``redirect=`` like RFC 7208, stopping at its limit of
10 DNS lookups, so a check makes at most about twenty queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver

from editor import findings
from editor.findings import Finding, Params, Severity
from editor.i18n import _
from editor.spam.model import ScoredFinding

CODE_PREFIX = "dns."
SPF_LOOKUP_LIMIT = 10  # RFC 7208 §4.6.4


class DnsCheckError(Exception):
    """Nothing could be checked (no such domain, no DNS server answering), worded for the owner."""


# ------------------------------------------------------------------------------------ services


@dataclass(frozen=True)
class Service:
    """A sending service: the host names of its SMTP servers, the ``include:`` its customers
    put in their SPF record, and the DKIM selectors it usually has them publish."""

    name: str
    hosts: tuple[str, ...]
    spf_includes: tuple[str, ...]
    dkim_selectors: tuple[str, ...] = ()


# Includes and selectors from each provider's setup guide (December 2026). Amazon SES's DKIM
# records are three account-specific tokens: they are only checked when the owner gives them.
SERVICES: tuple[Service, ...] = (
    Service("SendGrid", ("sendgrid.net",), ("sendgrid.net",), ("s1", "s2")),
    Service(
        "Brevo",
        ("brevo.com", "sendinblue.com"),
        ("spf.brevo.com", "spf.sendinblue.com"),
        ("brevo1", "brevo2", "mail"),
    ),
    Service("Mailjet", ("mailjet.com",), ("spf.mailjet.com",), ("mailjet",)),
    Service("Amazon SES", ("amazonaws.com", "amazonses.com"), ("amazonses.com",)),
    Service(
        "Google", ("gmail.com", "google.com", "googlemail.com"), ("_spf.google.com",), ("google",)
    ),
    Service(
        "Microsoft 365",
        ("office365.com", "outlook.com"),
        ("spf.protection.outlook.com",),
        ("selector1", "selector2"),
    ),
    Service("OVH", ("ovh.net", "ovh.com", "ovhcloud.com"), ("mx.ovh.com",)),
    Service(
        "IONOS",
        ("ionos.fr", "ionos.de", "ionos.com", "ionos.co.uk", "ionos.es", "1and1.com", "1and1.fr"),
        ("_spf-eu.ionos.com", "_spf-us.ionos.com", "_spf.perfora.net", "_spf.kundenserver.de"),
    ),
    Service("Infomaniak", ("infomaniak.com", "infomaniak.ch"), ("spf.infomaniak.ch",)),
    Service("Gandi", ("gandi.net",), ("_mailcust.gandi.net",)),
    Service("Mailgun", ("mailgun.org", "mailgun.net"), ("mailgun.org",)),
    Service("Postmark", ("postmarkapp.com",), ("spf.mtasv.net",)),
)


def service_for_host(host: str) -> Service | None:
    """The service whose SMTP server ``host`` is (by domain suffix), None when unknown."""
    host = host.strip().lower().rstrip(".")
    for service in SERVICES:
        if any(host == h or host.endswith("." + h) for h in service.hosts):
            return service
    return None


# -------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class DnsRule:
    """One DNS finding: its points (0 for information) and severity."""

    id: str
    points: float
    severity: Severity

    @property
    def code(self) -> str:
        return CODE_PREFIX + self.id

    def hit(self, **params: str | int) -> ScoredFinding:
        finding = Finding(self.code, self.severity, None, tuple(sorted(params.items())))
        return ScoredFinding(finding, self.points, "dns_" + self.id)


RULES: dict[str, DnsRule] = {}


def _rule(
    rule_id: str,
    points: float,
    severity: Severity,
    message: Callable[[Params], str],
    fix: Callable[[Params], str],
) -> DnsRule:
    found = DnsRule(rule_id, points, severity)
    findings.register(found.code, severity, lambda p: message(_Shown(p)), lambda p: fix(_Shown(p)))
    RULES[rule_id] = found
    return found


class _Shown(dict[str, str | int]):
    """A finding's parameters as worded: one that is missing reads "…" rather than failing
    (a finding built elsewhere, say from an older cache, still shows)."""

    def __missing__(self, key: str) -> str:
        return "…"


def _nothing_to_do(_p: Params) -> str:
    return _("Nothing to do.")


WARN, INFO = Severity.WARNING, Severity.INFO

SPF_OK = _rule(
    "spf_ok",
    0.0,
    INFO,
    lambda p: (
        _("The domain {domain} has an SPF record.").format(domain=p["domain"])
        if not p.get("service")
        else _("The SPF record of {domain} allows {service} to send for it.").format(
            domain=p["domain"], service=p["service"]
        )
    ),
    _nothing_to_do,
)
SPF_MISSING = _rule(
    "spf_missing",
    2.0,
    WARN,
    lambda p: _(
        "The domain {domain} has no SPF record: receivers cannot tell which servers may send "
        "its mail. Gmail and Yahoo require SPF or DKIM from every sender."
    ).format(domain=p["domain"]),
    lambda p: _(
        'Ask whoever manages the domain to add a TXT record to {domain}, for example "{example}" '
        "(your sending service's help pages give the exact value)."
    ).format(domain=p["domain"], example=p["example"]),
)
SPF_MULTIPLE = _rule(
    "spf_multiple",
    2.0,
    WARN,
    lambda p: _(
        "The domain {domain} has {count} SPF records: receivers then ignore them all, as if "
        "there were none."
    ).format(domain=p["domain"], count=p["count"]),
    lambda _p: _(
        "Merge them into one record: keep one v=spf1 at the start and one ~all at the end, "
        "with every include: in between."
    ),
)
SPF_INVALID = _rule(
    "spf_invalid",
    2.0,
    WARN,
    lambda p: _(
        "The SPF record of {domain} has a mistake ({problem}): receivers ignore it, as if "
        "there were none."
    ).format(domain=p["domain"], problem=_spf_problem(p)),
    lambda p: _('Correct the record; the part to look at is "{item}".').format(item=p["item"]),
)
SPF_TOO_MANY_LOOKUPS = _rule(
    "spf_too_many_lookups",
    2.0,
    WARN,
    lambda p: _(
        "The SPF record of {domain} needs more than {limit} DNS lookups (with its include: "
        "records): receivers stop there and treat it as broken."
    ).format(domain=p["domain"], limit=SPF_LOOKUP_LIMIT),
    lambda _p: _(
        "Remove the include: of services you no longer use, or replace some of them by the "
        "ip4: addresses they stand for."
    ),
)
SPF_PASS_ALL = _rule(
    "spf_pass_all",
    1.5,
    WARN,
    lambda p: _(
        'The SPF record of {domain} ends with "+all": it lets any server in the world send '
        "as your domain, so it proves nothing and filters distrust it."
    ).format(domain=p["domain"]),
    lambda _p: _('Replace "+all" by "~all" (or "-all" once everything that sends is listed).'),
)
SPF_NEUTRAL_ALL = _rule(
    "spf_neutral_all",
    0.5,
    WARN,
    lambda p: (
        _(
            'The SPF record of {domain} ends with "{ending}": it does not say what to do with '
            "mail from servers it does not list, so forged mail is not stopped."
        )
        if p["ending"]
        else _(
            'The SPF record of {domain} has no "all" ending: it does not say what to do with '
            "mail from servers it does not list, so forged mail is not stopped."
        )
    ).format(domain=p["domain"], ending=p["ending"]),
    lambda _p: _('End the record with "~all" (or "-all" once everything that sends is listed).'),
)
SPF_SERVICE_MISSING = _rule(
    "spf_service_missing",
    1.0,
    WARN,
    lambda p: _(
        "The SPF record of {domain} does not list {service}, which sends your newsletters: "
        "unless {service} signs them with DKIM for your domain, they fail the check."
    ).format(domain=p["domain"], service=p["service"]),
    lambda p: _('Add "include:{include}" to the record, before its "all" ending.').format(
        include=p["include"]
    ),
)
SPF_PARTLY_UNANSWERED = _rule(
    "spf_partly_unanswered",
    0.0,
    INFO,
    lambda p: _(
        "The SPF record of {domain} could not be checked to the end: the DNS server did not "
        'answer for "{item}", which it includes.'
    ).format(domain=p["domain"], item=p["item"]),
    lambda _p: _("Check again later."),
)
DKIM_OK = _rule(
    "dkim_ok",
    0.0,
    INFO,
    lambda p: _('The DKIM key "{selector}" of {domain} is published.').format(
        selector=p["selector"], domain=p["domain"]
    ),
    _nothing_to_do,
)
DKIM_MISSING = _rule(
    "dkim_missing",
    2.0,
    WARN,
    lambda p: _(
        'No DKIM key "{selector}" is published for {domain}: messages signed with it fail '
        "the check. Gmail and Yahoo require DKIM from bulk senders."
    ).format(selector=p["selector"], domain=p["domain"]),
    lambda p: _(
        "Copy the DKIM record your sending service gives you into the domain's DNS, as a "
        "record named {name}."
    ).format(name=p["name"]),
)
DKIM_INVALID = _rule(
    "dkim_invalid",
    2.0,
    WARN,
    lambda p: _(
        'The DKIM record "{selector}" of {domain} has no usable key (the p= part is empty '
        "or missing): signatures cannot be checked."
    ).format(selector=p["selector"], domain=p["domain"]),
    lambda p: _("Copy the DKIM record again, whole, from your sending service into {name}.").format(
        name=p["name"]
    ),
)
DKIM_NOT_FOUND = _rule(
    "dkim_not_found",
    1.0,
    WARN,
    lambda p: _(
        "No DKIM key of {service} was found for {domain} (looked for: {selectors}). Gmail and "
        "Yahoo require DKIM from bulk senders."
    ).format(service=p["service"], domain=p["domain"], selectors=p["selectors"]),
    lambda p: _(
        "Turn on domain authentication in {service} and copy the records it gives into the "
        "domain's DNS; if it uses another selector, give that name instead."
    ).format(service=p["service"]),
)
DKIM_UNCHECKED = _rule(
    "dkim_unchecked",
    0.0,
    INFO,
    lambda p: _(
        "DKIM was not checked: the name of the key (the selector) used for {domain} is not "
        "known. Gmail and Yahoo require DKIM from bulk senders."
    ).format(domain=p["domain"]),
    lambda _p: _(
        'Give the selector: it is the first part of the DKIM record\'s name, "s1" in '
        "s1._domainkey.example.com, as your sending service shows it."
    ),
)
DMARC_OK = _rule(
    "dmarc_ok",
    0.0,
    INFO,
    lambda p: _('The domain {domain} has a DMARC record with the policy "{policy}".').format(
        domain=p["domain"], policy=p["policy"]
    ),
    _nothing_to_do,
)
DMARC_NONE = _rule(
    "dmarc_none",
    0.0,
    INFO,
    lambda p: _(
        'The DMARC record of {domain} has the policy "none": receivers only watch. It is a '
        "fine start and meets Gmail and Yahoo's rule for bulk senders."
    ).format(domain=p["domain"]),
    lambda _p: _(
        'Once the reports show all your mail passes, move to "p=quarantine" so forged mail '
        "goes to spam."
    ),
)
DMARC_MISSING = _rule(
    "dmarc_missing",
    1.0,
    WARN,
    lambda p: _(
        "The domain {domain} has no DMARC record. Gmail and Yahoo require one from senders of "
        "more than 5,000 messages a day, and filters trust domains that have one."
    ).format(domain=p["domain"]),
    lambda p: _(
        'Add a TXT record named _dmarc.{domain} with the value "v=DMARC1; p=none" (add '
        '"rua=mailto:" and an address to receive reports).'
    ).format(domain=p["domain"]),
)
DMARC_INVALID = _rule(
    "dmarc_invalid",
    1.0,
    WARN,
    lambda p: _(
        "The DMARC record of {domain} has a mistake ({problem}): receivers ignore it, as if "
        "there were none."
    ).format(domain=p["domain"], problem=_dmarc_problem(p)),
    lambda p: _(
        'Correct the TXT record _dmarc.{domain}: it must start with "v=DMARC1; p=" and a '
        "policy (none, quarantine or reject), and be the only one."
    ).format(domain=p["domain"]),
)
MX_MISSING = _rule(
    "mx_missing",
    1.0,
    WARN,
    lambda p: _(
        "The domain {domain} has no MX record: replies and bounce messages cannot come back, "
        "and some filters distrust senders whose domain cannot receive mail."
    ).format(domain=p["domain"]),
    lambda _p: _(
        "Ask whoever hosts your mail for the domain's MX records, or send from an address of "
        "a domain that receives mail."
    ),
)
MX_NULL = _rule(
    "mx_null",
    2.0,
    WARN,
    lambda p: _(
        'The domain {domain} declares it receives no mail (a "null MX"): many receivers '
        "refuse mail from such a domain."
    ).format(domain=p["domain"]),
    lambda _p: _(
        "Send from an address of a domain that receives mail, or replace the null MX by your "
        "mail host's MX records."
    ),
)
UNANSWERED = _rule(
    "unanswered",
    0.0,
    INFO,
    lambda p: _("{what} could not be checked: the DNS server did not answer.").format(
        what=_what(p)
    ),
    lambda _p: _("Check again later."),
)


def _spf_problem(p: Params) -> str:
    reason = p["reason"]
    if reason == "include_missing":
        return _('the included domain "{item}" has no SPF record').format(item=p["item"])
    if reason == "include_multiple":
        return _('the included domain "{item}" has several SPF records').format(item=p["item"])
    return _('"{item}" is not understood').format(item=p["item"])


def _dmarc_problem(p: Params) -> str:
    reason = p["reason"]
    if reason == "several":
        return _("there are several DMARC records")
    if reason == "no_policy":
        return _("the policy p= is missing")
    return _('the policy "{item}" is not none, quarantine or reject').format(item=p["item"])


def _what(p: Params) -> str:
    return {"spf": "SPF", "dkim": "DKIM", "dmarc": "DMARC", "mx": "MX"}.get(str(p["what"]), "DNS")


# -------------------------------------------------------------------------------------- lookups


class _Unanswered(Exception):
    """The DNS server did not answer this query (timeout, refusal, server failure)."""


@dataclass
class _Dns:
    resolver: dns.resolver.Resolver
    timeout: float
    asked: int = 0
    unanswered: int = 0

    def records(self, name: str, rdtype: str) -> list[str] | None:
        """The records' texts (TXT strings joined), [] when there are none, None on NXDOMAIN."""
        self.asked += 1
        try:
            answer = self.resolver.resolve(
                name, rdtype, search=False, raise_on_no_answer=False, lifetime=self.timeout
            )
        except dns.resolver.NXDOMAIN:
            return None
        except dns.exception.DNSException as exc:  # timeout, refusal, server failure, garbage
            self.unanswered += 1
            raise _Unanswered from exc
        if answer.rrset is None:
            return []
        if answer.rdtype == dns.rdatatype.TXT:
            return [b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer.rrset]
        return [rdata.to_text() for rdata in answer.rrset]

    def txt(self, name: str) -> list[str]:
        return self.records(name, "TXT") or []


# ---------------------------------------------------------------------------------------- SPF

_SPF_START = re.compile(r"^v=spf1(\s|$)", re.IGNORECASE)
_MECHANISM = re.compile(
    r"^([+\-~?]?)(all|include|a|mx|ptr|ip4|ip6|exists)(?:([:/])(.*))?$", re.IGNORECASE
)
_MODIFIER = re.compile(r"^([a-z][a-z0-9_.\-]*)=(.*)$", re.IGNORECASE)
_LOOKUP_MECHANISMS = {"include", "a", "mx", "ptr", "exists"}


def spf_records(texts: Sequence[str]) -> list[str]:
    """The SPF records among a name's TXT records."""
    return [t.strip() for t in texts if _SPF_START.match(t.strip())]


@dataclass
class SpfWalk:
    """What following an SPF record through its includes found."""

    lookups: int = 0
    domains: set[str] = field(default_factory=set)  # every include:/redirect= target seen
    problem: tuple[str, str] | None = None  # (reason, item) of the first error
    ending: str = ""  # the top record's "all" term ("" when it has none)
    unanswered: list[str] = field(default_factory=list)  # included domains the DNS left unanswered


def walk_spf(record: str, dns_: _Dns, walk: SpfWalk | None = None, *, top: bool = True) -> SpfWalk:
    """Follow ``include:`` and ``redirect=`` from ``record``, counting lookups (RFC 7208)."""
    walk = walk or SpfWalk()
    redirect = ""
    for term in record.split()[1:]:
        mechanism = _MECHANISM.match(term)
        if mechanism:
            qualifier, name, sep, value = mechanism.groups()
            name = name.lower()
            if name in _LOOKUP_MECHANISMS:
                walk.lookups += 1
            if name == "all" and top:
                walk.ending = (qualifier or "+") + "all"
            if name == "include" and (sep != ":" or not value):
                walk.problem = walk.problem or ("syntax", term)
            elif name == "include":
                _follow(value.lower().rstrip("."), dns_, walk)
            continue
        modifier = _MODIFIER.match(term)
        if modifier is None:
            walk.problem = walk.problem or ("syntax", term)
        elif modifier.group(1).lower() == "redirect":
            redirect = modifier.group(2).lower().rstrip(".")
    if redirect and not (top and walk.ending):  # an "all" term makes redirect= ignored
        walk.lookups += 1
        _follow(redirect, dns_, walk, redirect=top)
    return walk


def _follow(domain: str, dns_: _Dns, walk: SpfWalk, *, redirect: bool = False) -> None:
    walk.domains.add(domain)
    if walk.lookups > SPF_LOOKUP_LIMIT or walk.problem or "%" in domain:
        return  # past the limit receivers stop; macros depend on the message
    try:
        found = spf_records(dns_.txt(domain))
    except _Unanswered:
        walk.unanswered.append(domain)  # the verdicts that depend on it are withheld
        return
    if len(found) != 1:
        reason = "include_missing" if not found else "include_multiple"
        walk.problem = (reason, domain)
        return
    if redirect:  # the redirected-to record's "all" is the domain's
        sub = walk_spf(found[0], dns_, SpfWalk(), top=True)
        walk.lookups += sub.lookups
        walk.domains |= sub.domains
        walk.problem = walk.problem or sub.problem
        walk.ending = sub.ending
        walk.unanswered += sub.unanswered
    else:
        walk_spf(found[0], dns_, walk, top=False)


def _check_spf(domain: str, service: Service | None, dns_: _Dns) -> list[ScoredFinding]:
    records = spf_records(dns_.txt(domain))
    if not records:
        include = service.spf_includes[0] if service else ""
        example = f"v=spf1 include:{include} ~all" if include else "v=spf1 mx ~all"
        return [SPF_MISSING.hit(domain=domain, example=example)]
    if len(records) > 1:
        return [SPF_MULTIPLE.hit(domain=domain, count=len(records))]
    walk = walk_spf(records[0], dns_)
    out: list[ScoredFinding] = []
    if walk.problem:
        reason, item = walk.problem
        out.append(SPF_INVALID.hit(domain=domain, reason=reason, item=item))
    if walk.lookups > SPF_LOOKUP_LIMIT:
        out.append(SPF_TOO_MANY_LOOKUPS.hit(domain=domain))
    if walk.ending == "+all":
        out.append(SPF_PASS_ALL.hit(domain=domain))
    elif walk.ending in ("?all", ""):
        out.append(SPF_NEUTRAL_ALL.hit(domain=domain, ending=walk.ending))
    listed = service is None or any(
        d == inc or d.endswith("." + inc) for d in walk.domains for inc in service.spf_includes
    )
    if walk.unanswered:
        # Part of the chain is unknown: the lookup count and the service's place in it may be
        # wrong, so say what was not checked instead of « all right » or « missing ».
        out.append(SPF_PARTLY_UNANSWERED.hit(domain=domain, item=walk.unanswered[0]))
        return out
    if service is not None and not listed:
        out.append(
            SPF_SERVICE_MISSING.hit(
                domain=domain, service=service.name, include=service.spf_includes[0]
            )
        )
    if not out:
        out.append(SPF_OK.hit(domain=domain, service=service.name if service else ""))
    return out


# --------------------------------------------------------------------------------------- DKIM

_DKIM_TAG = re.compile(r"(?:^|;)\s*([a-z]+)\s*=\s*([^;]*)", re.IGNORECASE)


def dkim_key(text: str) -> str | None:
    """The public key (``p=``) of a DKIM record, "" when revoked, None when not a DKIM record."""
    tags = {m.group(1).lower(): m.group(2).strip() for m in _DKIM_TAG.finditer(text)}
    if "v" in tags and tags["v"].upper() != "DKIM1":
        return None
    if "p" not in tags:
        return None
    return re.sub(r"\s+", "", tags["p"])


def _check_selector(domain: str, selector: str, dns_: _Dns) -> ScoredFinding:
    name = f"{selector}._domainkey.{domain}"
    texts = dns_.records(name, "TXT") or []
    keys = [key for key in map(dkim_key, texts) if key is not None]
    if not texts:
        return DKIM_MISSING.hit(domain=domain, selector=selector, name=name)
    if not any(keys):
        return DKIM_INVALID.hit(domain=domain, selector=selector, name=name)
    return DKIM_OK.hit(domain=domain, selector=selector)


def _check_dkim(
    domain: str, selectors: Sequence[str], service: Service | None, dns_: _Dns
) -> list[ScoredFinding]:
    if selectors:
        return [_check_selector(domain, s, dns_) for s in selectors]
    if service is None or not service.dkim_selectors:
        return [DKIM_UNCHECKED.hit(domain=domain)]
    results = [_check_selector(domain, s, dns_) for s in service.dkim_selectors]
    found = [r for r in results if r.finding.code == DKIM_OK.code]
    if found:
        return found
    return [
        DKIM_NOT_FOUND.hit(
            domain=domain, service=service.name, selectors=", ".join(service.dkim_selectors)
        )
    ]


# -------------------------------------------------------------------------------------- DMARC

_DMARC_START = re.compile(r"^v\s*=\s*DMARC1\s*(;|$)", re.IGNORECASE)
_POLICIES = ("none", "quarantine", "reject")


def parse_dmarc(text: str) -> dict[str, str]:
    """A DMARC record's tags in order (lower-case names)."""
    tags: dict[str, str] = {}
    for part in text.split(";"):
        name, eq, value = part.partition("=")
        if eq:
            tags[name.strip().lower()] = value.strip()
    return tags


def _check_dmarc(domain: str, dns_: _Dns) -> list[ScoredFinding]:
    """The domain's DMARC record, else its parents' (receivers walk up to the organisational
    domain; without the public-suffix list we stop at two labels, which covers the usual
    ``news.example.fr`` and ``example.co.uk``), whose ``sp=`` then applies."""
    labels = domain.split(".")
    for start in range(max(1, len(labels) - 1)):
        name = ".".join(labels[start:])
        records = [t.strip() for t in dns_.txt("_dmarc." + name) if _DMARC_START.match(t.strip())]
        if not records:
            continue
        if len(records) > 1:
            return [DMARC_INVALID.hit(domain=name, reason="several", item="")]
        tags = parse_dmarc(records[0])
        if "p" not in tags:  # RFC 7489 wants it second; receivers accept it anywhere
            return [DMARC_INVALID.hit(domain=name, reason="no_policy", item="")]
        policy = tags["p"].lower()
        if start > 0 and tags.get("sp", "").lower() in _POLICIES:
            policy = tags["sp"].lower()
        if policy not in _POLICIES:
            return [DMARC_INVALID.hit(domain=name, reason="policy", item=tags["p"])]
        if policy == "none":
            return [DMARC_NONE.hit(domain=name)]
        return [DMARC_OK.hit(domain=name, policy=policy)]
    return [DMARC_MISSING.hit(domain=domain)]


# ----------------------------------------------------------------------------------------- MX


def _mx_findings(domain: str, mx: list[str]) -> list[ScoredFinding]:
    hosts = [text.split()[-1] for text in mx if text.split()]
    if not hosts:
        return [MX_MISSING.hit(domain=domain)]
    if hosts == ["."]:
        return [MX_NULL.hit(domain=domain)]
    return []


# -------------------------------------------------------------------------------------- entry


def normalise_domain(domain: str) -> str:
    """The domain in ASCII (IDNA), lower case, without the final dot; an address's domain
    when given an address. Raises :class:`DnsCheckError` when it is not a domain name."""
    text = domain.strip().rsplit("@", 1)[-1].strip().rstrip(".")
    try:
        name = dns.name.from_text(text) if text else None
    except (dns.exception.DNSException, UnicodeError, ValueError):
        name = None
    if name is None or len(name.labels) < 3:  # at least "example", "fr" and the root
        raise DnsCheckError(
            _('"{domain}" is not a domain name, like example.fr.').format(domain=domain.strip())
        )
    return name.to_text(omit_final_dot=True).lower()


def check_sender_domain(
    domain: str,
    *,
    smtp_host: str = "",
    dkim_selectors: Sequence[str] = (),
    resolver: dns.resolver.Resolver | None = None,
    timeout: float = 5.0,
) -> list[ScoredFinding]:
    """SPF, DKIM, DMARC and MX findings for the sender's ``domain`` (or address).

    ``smtp_host`` is the SMTP server the newsletters go through: when it belongs to a known
    service, the SPF record must include it and its usual DKIM selectors are looked for.
    ``dkim_selectors`` are checked instead when given. Each DNS query gives up after
    ``timeout`` seconds. Raises :class:`DnsCheckError` when nothing can be checked: the domain
    does not exist or no DNS server answers.
    """
    name = normalise_domain(domain)
    if resolver is None:
        try:
            resolver = dns.resolver.Resolver()
        except dns.exception.DNSException:
            raise DnsCheckError(
                _("No DNS server is configured on this computer: the domain cannot be checked.")
            ) from None
    dns_ = _Dns(resolver, timeout)
    service = service_for_host(smtp_host) if smtp_host else None
    try:
        mx = dns_.records(name, "MX")
    except _Unanswered:
        raise DnsCheckError(
            _(
                "No DNS server answered about {domain}: check the Internet connection, "
                "then try again."
            ).format(domain=name)
        ) from None
    if mx is None:
        raise DnsCheckError(
            _(
                "The domain {domain} does not exist: check the sender address's spelling, "
                "or whether the domain has expired."
            ).format(domain=name)
        )
    out = _mx_findings(name, mx)
    checks: list[tuple[str, Callable[[], list[ScoredFinding]]]] = [
        ("spf", lambda: _check_spf(name, service, dns_)),
        (
            "dkim",
            lambda: _check_dkim(
                name, [s.strip() for s in dkim_selectors if s.strip()], service, dns_
            ),
        ),
        ("dmarc", lambda: _check_dmarc(name, dns_)),
    ]
    for what, check in checks:
        try:
            out += check()
        except _Unanswered:
            out.append(UNANSWERED.hit(what=what))
    out.sort(key=lambda f: -f.points)
    return out
