"""The sender-domain checks against a real DNS server on loopback serving test records."""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence

import pytest

from editor import findings
from editor.spam.dns_checks import (
    RULES,
    SPF_LOOKUP_LIMIT,
    DnsCheckError,
    check_sender_domain,
    dkim_key,
    normalise_domain,
    service_for_host,
)
from editor.spam.model import ScoredFinding
from tests.dns_server import DnsServer, Records, resolver_for, txt

# A 4096-bit key's record is over 512 bytes: its answer is truncated over UDP and the resolver
# asks again over TCP, as with real domains.
KEY = "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEA" + "q" * 680 + "IDAQAB"
DKIM = txt(f"v=DKIM1; k=rsa; p={KEY}")
MX = ["10 mx1.mail.example.", "20 mx2.mail.example."]

RECORDS: Records = {
    # Providers' own SPF records, reduced to one address each.
    "sendgrid.net": {"TXT": [txt("v=spf1 ip4:167.89.0.0/17 ~all")]},
    "spf.mailjet.com": {"TXT": [txt("v=spf1 ip4:87.253.232.0/21 ~all")]},
    "_spf.google.com": {"TXT": [txt("v=spf1 ip4:35.190.247.0/24 ~all")]},
    "spf.brevo.com": {"TXT": [txt("v=spf1 ip4:1.179.112.0/20 ~all")]},
    "s2.domainkey.u123.wl.sendgrid.net": {"TXT": [DKIM]},
    # A domain doing everything right for SendGrid.
    "good.example": {
        "MX": MX,
        "TXT": [txt("google-site-verification=abc"), txt("v=spf1 include:sendgrid.net ~all")],
    },
    "s1._domainkey.good.example": {"TXT": [DKIM]},
    "s2._domainkey.good.example": {"CNAME": ["s2.domainkey.u123.wl.sendgrid.net."]},
    "_dmarc.good.example": {"TXT": [txt("v=DMARC1; p=quarantine; rua=mailto:d@good.example")]},
    "news.good.example": {"MX": MX, "TXT": [txt("v=spf1 include:sendgrid.net -all")]},
    "s1._domainkey.news.good.example": {"TXT": [DKIM]},
    "silent.good.example": {"MX": MX},  # its _dmarc name gets no answer (the fixture)
    # An include the DNS server never answers for (the fixture's silent names).
    "slowinclude.example": {"MX": MX, "TXT": [txt("v=spf1 include:_spf.slow.example ~all")]},
    # SPF problems.
    "nospf.example": {"MX": MX, "TXT": [txt("hello")]},
    "_dmarc.nospf.example": {"TXT": [txt("v=DMARC1; p=none")]},
    "mailjet-missing.example": {"MX": MX, "TXT": [txt("v=spf1 mx include:_spf.google.com ~all")]},
    "nested.example": {"MX": MX, "TXT": [txt("v=spf1 include:_spf.nested.example -all")]},
    "_spf.nested.example": {"TXT": [txt("v=spf1 ip4:192.0.2.1 include:spf.mailjet.com ~all")]},
    "redirect.example": {"MX": MX, "TXT": [txt("v=spf1 redirect=_spf.redirect.example")]},
    "_spf.redirect.example": {"TXT": [txt("v=spf1 include:spf.brevo.com -all")]},
    "passall.example": {"MX": MX, "TXT": [txt("v=spf1 a mx all")]},
    "plusall.example": {"MX": MX, "TXT": [txt("v=spf1 ip4:192.0.2.1 +all")]},
    "neutral.example": {"MX": MX, "TXT": [txt("v=spf1 mx ?all")]},
    "noall.example": {"MX": MX, "TXT": [txt("v=spf1 mx")]},
    "twospf.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all"), txt("v=spf1 a -all")]},
    "badinclude.example": {"MX": MX, "TXT": [txt("v=spf1 include:gone.example ~all")]},
    "gone.example": {"A": ["192.0.2.9"]},
    "syntax.example": {"MX": MX, "TXT": [txt("v=spf1 mx include ip4 ~all")]},
    "loop.example": {"MX": MX, "TXT": [txt("v=spf1 include:loop.example ~all")]},
    "chain.example": {"MX": MX, "TXT": [txt("v=spf1 include:c1.chain.example ~all")]},
    **{
        f"c{i}.chain.example": {"TXT": [txt(f"v=spf1 include:c{i + 1}.chain.example ~all")]}
        for i in range(1, SPF_LOOKUP_LIMIT + 2)
    },
    # DKIM problems.
    "revoked.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    "s1._domainkey.revoked.example": {"TXT": [txt("v=DKIM1; k=rsa; p=")]},
    # DMARC problems.
    "nodmarc.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    "twodmarc.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    "_dmarc.twodmarc.example": {"TXT": [txt("v=DMARC1; p=none"), txt("v=DMARC1; p=reject")]},
    "badpolicy.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    "_dmarc.badpolicy.example": {"TXT": [txt("v=DMARC1; p=maybe")]},
    "nopolicy.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    "_dmarc.nopolicy.example": {"TXT": [txt("v=DMARC1; rua=mailto:d@nopolicy.example")]},
    "sub.example": {"TXT": [txt("v=DMARC1; p=reject; sp=none")]},
    "_dmarc.sub.example": {"TXT": [txt("v=DMARC1; p=reject; sp=none")]},
    "news.sub.example": {"MX": MX, "TXT": [txt("v=spf1 mx ~all")]},
    # MX problems.
    "nomx.example": {"A": ["192.0.2.10"], "TXT": [txt("v=spf1 a ~all")]},
    "nullmx.example": {"MX": ["0 ."], "TXT": [txt("v=spf1 -all")]},
}


@pytest.fixture(scope="module")
def server() -> Iterator[DnsServer]:
    with DnsServer(RECORDS, silent=["_dmarc.silent.good.example", "_spf.slow.example"]) as running:
        yield running


def check(
    server: DnsServer,
    domain: str,
    smtp_host: str = "",
    selectors: Sequence[str] = (),
) -> list[ScoredFinding]:
    """Run the checks; every finding must also word itself (message and fix) without error."""
    out = check_sender_domain(
        domain, smtp_host=smtp_host, dkim_selectors=selectors, resolver=server.resolver()
    )
    for scored in out:
        assert findings.message(scored.finding)
        assert findings.fix(scored.finding)
        assert scored.to_json()["id"] == scored.rule
    return out


def codes(found: list[ScoredFinding]) -> list[str]:
    return [f.finding.code for f in found]


def only(found: list[ScoredFinding], code: str) -> ScoredFinding:
    matches = [f for f in found if f.finding.code == code]
    assert len(matches) == 1, codes(found)
    return matches[0]


def problems(found: list[ScoredFinding]) -> list[str]:
    return [f.finding.code for f in found if f.points > 0]


# ----------------------------------------------------------------------------------- good domain


def test_good_domain_is_all_ok(server: DnsServer) -> None:
    found = check(server, "good.example", smtp_host="smtp.sendgrid.net")
    assert sorted(codes(found)) == ["dns.dkim_ok", "dns.dkim_ok", "dns.dmarc_ok", "dns.spf_ok"]
    assert all(f.points == 0 and f.finding.severity == "info" for f in found)
    assert only(found, "dns.spf_ok").finding.values["service"] == "SendGrid"
    assert only(found, "dns.dmarc_ok").finding.values["policy"] == "quarantine"
    # s1 is a long key fetched over TCP, s2 a CNAME to SendGrid's own zone.
    assert {f.finding.values["selector"] for f in found if f.rule == "dns_dkim_ok"} == {"s1", "s2"}


def test_an_address_is_checked_by_its_domain(server: DnsServer) -> None:
    found = check(server, " news@Good.Example. ", smtp_host="smtp.sendgrid.net")
    assert problems(found) == []


def test_a_subdomain_uses_its_parents_dmarc_record(server: DnsServer) -> None:
    found = check(server, "news.good.example", smtp_host="smtp.sendgrid.net")
    assert only(found, "dns.dmarc_ok").finding.values["domain"] == "good.example"
    assert problems(found) == []


def test_a_subdomain_follows_the_parents_sp_policy(server: DnsServer) -> None:
    found = check(server, "news.sub.example")
    assert only(found, "dns.dmarc_none").finding.values["domain"] == "sub.example"


# ------------------------------------------------------------------------------------------ SPF


def test_missing_spf(server: DnsServer) -> None:
    found = check(server, "nospf.example", smtp_host="smtp.sendgrid.net")
    spf = only(found, "dns.spf_missing")
    assert spf.points > 0 and spf.rule == "dns_spf_missing"
    assert spf.finding.values["example"] == "v=spf1 include:sendgrid.net ~all"
    assert "Gmail and Yahoo require SPF or DKIM" in findings.message(spf.finding)


def test_spf_without_the_services_include(server: DnsServer) -> None:
    found = check(server, "mailjet-missing.example", smtp_host="in-v3.mailjet.com")
    missing = only(found, "dns.spf_service_missing")
    assert missing.finding.values == {
        "domain": "mailjet-missing.example",
        "include": "spf.mailjet.com",
        "service": "Mailjet",
    }
    assert 'Add "include:spf.mailjet.com"' in findings.fix(missing.finding)


def test_spf_with_the_services_include_through_a_nested_include(server: DnsServer) -> None:
    found = check(server, "nested.example", smtp_host="in-v3.mailjet.com")
    assert only(found, "dns.spf_ok").finding.values["service"] == "Mailjet"
    assert "dns.spf_service_missing" not in codes(found)


def test_spf_redirect_is_followed_and_its_ending_counts(server: DnsServer) -> None:
    found = check(server, "redirect.example", smtp_host="smtp-relay.brevo.com")
    assert only(found, "dns.spf_ok").finding.values["service"] == "Brevo"


@pytest.mark.parametrize("domain", ["passall.example", "plusall.example"])
def test_spf_passing_all(server: DnsServer, domain: str) -> None:
    found = check(server, domain)
    assert only(found, "dns.spf_pass_all").points > 0


@pytest.mark.parametrize(("domain", "ending"), [("neutral.example", "?all"), ("noall.example", "")])
def test_spf_neutral_or_no_ending(server: DnsServer, domain: str, ending: str) -> None:
    found = only(check(server, domain), "dns.spf_neutral_all")
    assert found.finding.values["ending"] == ending
    assert "forged mail is not stopped" in findings.message(found.finding)


def test_several_spf_records(server: DnsServer) -> None:
    assert only(check(server, "twospf.example"), "dns.spf_multiple").finding.values["count"] == 2


def test_include_without_spf_record(server: DnsServer) -> None:
    found = only(check(server, "badinclude.example"), "dns.spf_invalid")
    assert found.finding.values["reason"] == "include_missing"
    assert '"gone.example" has no SPF record' in findings.message(found.finding)


def test_spf_syntax_error(server: DnsServer) -> None:
    found = only(check(server, "syntax.example"), "dns.spf_invalid")
    assert found.finding.values == {
        "domain": "syntax.example",
        "item": "include",
        "reason": "syntax",
    }


@pytest.mark.parametrize("domain", ["chain.example", "loop.example"])
def test_more_than_ten_lookups_stops_there(server: DnsServer, domain: str) -> None:
    found = check(server, domain)
    assert "dns.spf_too_many_lookups" in codes(found)


# ----------------------------------------------------------------------------------------- DKIM


def test_missing_dkim_for_a_given_selector(server: DnsServer) -> None:
    found = check(server, "good.example", selectors=["s1", "mail2025"])
    missing = only(found, "dns.dkim_missing")
    assert missing.finding.values["name"] == "mail2025._domainkey.good.example"
    assert only(found, "dns.dkim_ok").finding.values["selector"] == "s1"


def test_revoked_dkim_key(server: DnsServer) -> None:
    found = check(server, "revoked.example", selectors=["s1"])
    assert only(found, "dns.dkim_invalid").finding.values["selector"] == "s1"


def test_services_usual_selectors_not_found(server: DnsServer) -> None:
    found = only(check(server, "nodmarc.example", "smtp-relay.brevo.com"), "dns.dkim_not_found")
    assert found.finding.values["selectors"] == "brevo1, brevo2, mail"


def test_dkim_unchecked_without_selector_or_known_service(server: DnsServer) -> None:
    found = check(server, "good.example", smtp_host="mail.example.net")
    assert only(found, "dns.dkim_unchecked").points == 0
    assert "dns.spf_service_missing" not in codes(found)


@pytest.mark.parametrize(
    ("record", "key"),
    [
        ("v=DKIM1; k=rsa; p=MIGf MA0G", "MIGfMA0G"),
        ("k=rsa;p=ABC", "ABC"),
        ("v=DKIM1; p=", ""),
        ("v=DKIM1; k=rsa", None),
        ("v=spf1 -all", None),
        ("v=DKIM2; p=ABC", None),
    ],
)
def test_dkim_key(record: str, key: str | None) -> None:
    assert dkim_key(record) == key


# ---------------------------------------------------------------------------------------- DMARC


def test_missing_dmarc(server: DnsServer) -> None:
    found = only(check(server, "nodmarc.example"), "dns.dmarc_missing")
    assert found.points > 0
    assert "more than 5,000 messages a day" in findings.message(found.finding)
    assert "_dmarc.nodmarc.example" in findings.fix(found.finding)


def test_dmarc_policy_none_is_information(server: DnsServer) -> None:
    found = only(check(server, "nospf.example"), "dns.dmarc_none")
    assert found.points == 0 and found.finding.severity == "info"
    assert "fine start" in findings.message(found.finding)


@pytest.mark.parametrize(
    ("domain", "reason"),
    [
        ("twodmarc.example", "several"),
        ("badpolicy.example", "policy"),
        ("nopolicy.example", "no_policy"),
    ],
)
def test_malformed_dmarc(server: DnsServer, domain: str, reason: str) -> None:
    found = only(check(server, domain), "dns.dmarc_invalid")
    assert found.finding.values["reason"] == reason and found.points > 0


# ------------------------------------------------------------------------------------------- MX


def test_no_mx(server: DnsServer) -> None:
    assert only(check(server, "nomx.example"), "dns.mx_missing").points > 0


def test_null_mx(server: DnsServer) -> None:
    assert only(check(server, "nullmx.example"), "dns.mx_null").points > 0


# ------------------------------------------------------------------------------------- failures


def test_nxdomain_is_an_error(server: DnsServer) -> None:
    with pytest.raises(DnsCheckError, match="does not exist"):
        check(server, "no-such-domain.example")


def test_server_not_answering_is_an_error_after_the_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # receives, never answers
        silent.bind(("127.0.0.1", 0))
        resolver = resolver_for(silent.getsockname()[1], timeout=0.3)
        with pytest.raises(DnsCheckError, match="No DNS server answered"):
            check_sender_domain("good.example", resolver=resolver, timeout=0.3)


def test_one_check_unanswered_is_reported_and_the_others_run(server: DnsServer) -> None:
    found = check_sender_domain(
        "silent.good.example", resolver=resolver_for(server.port, 0.3), timeout=0.3
    )
    assert only(found, "dns.unanswered").finding.values["what"] == "dmarc"
    assert "dns.spf_missing" in codes(found)


def test_an_include_left_unanswered_withholds_the_spf_verdict(server: DnsServer) -> None:
    found = check_sender_domain(
        "slowinclude.example",
        smtp_host="smtp.sendgrid.net",
        resolver=resolver_for(server.port, 0.3),
        timeout=0.3,
    )
    partial = only(found, "dns.spf_partly_unanswered").finding.values
    assert partial["item"] == "_spf.slow.example"
    # Neither « all right » nor « SendGrid is missing »: that part of the chain is unknown.
    assert not {"dns.spf_ok", "dns.spf_service_missing"} & set(codes(found))


@pytest.mark.parametrize("domain", ["", "localhost", "not a domain", "a..b.example", "@"])
def test_not_a_domain_name(domain: str) -> None:
    with pytest.raises(DnsCheckError, match="is not a domain name"):
        check_sender_domain(domain, resolver=resolver_for(9, 0.1))


def test_international_domain_is_checked_in_ascii() -> None:
    assert normalise_domain("news@Boulangerie-Élise.FR") == "xn--boulangerie-lise-mqb.fr"


# ------------------------------------------------------------------------------------- services


@pytest.mark.parametrize(
    ("host", "service"),
    [
        ("smtp.sendgrid.net", "SendGrid"),
        ("smtp-relay.brevo.com", "Brevo"),
        ("smtp-relay.sendinblue.com", "Brevo"),
        ("in-v3.mailjet.com", "Mailjet"),
        ("email-smtp.eu-west-3.amazonaws.com", "Amazon SES"),
        ("smtp.gmail.com", "Google"),
        ("smtp.office365.com", "Microsoft 365"),
        ("ssl0.ovh.net", "OVH"),
        ("smtp.ionos.fr", "IONOS"),
        ("mail.infomaniak.com", "Infomaniak"),
        ("mail.gandi.net", "Gandi"),
        ("SMTP.SENDGRID.NET.", "SendGrid"),
    ],
)
def test_service_for_host(host: str, service: str) -> None:
    found = service_for_host(host)
    assert found is not None and found.name == service


@pytest.mark.parametrize("host", ["mail.example.net", "notsendgrid.net", ""])
def test_unknown_host_has_no_service(host: str) -> None:
    assert service_for_host(host) is None


def test_every_rule_is_registered_with_points_by_severity() -> None:
    for rule in RULES.values():
        assert rule.code in findings.CATALOGUE
        assert (rule.points == 0) == (rule.severity == "info"), rule.id
