"""Address checks: the fast path must give exactly email-validator's verdicts."""

from __future__ import annotations

import itertools
from pathlib import Path

import email_validator
import pytest
from email_validator import EmailNotValidError, rfc_constants, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.contacts import emails
from editor.contacts.emails import check_email, looks_like_email, validate_address
from editor.i18n import set_language

LOCALS = [
    "a",
    "A",
    "jean.dupont",
    "Jean.Dupont",
    "JEAN",
    "j",
    "jean-pierre",
    "jean_pierre",
    "o'brien",
    "a+tag",
    "user+mailbox/department=shipping",
    "!#$%&'*+-/=?^_`{|}~",
    "1234",
    "x" * 64,
    "x" * 65,
    "x" * 200,
    ".a",
    "a.",
    "a..b",
    "",
    " a",
    "a b",
    "a\tb",
    "a\u00a0b",
    "a\u200bb",
    '"quoted"',
    '"a b"',
    '"a@b"',
    'a"b',
    "a(b)",
    "a,b",
    "a;b",
    "a:b",
    "a[b]",
    "a\\b",
    "a<b",
    "a>b",
    "é",
    "élodie",
    "e\u0301lodie",  # decomposed: email-validator NFC-normalises it
    "\u0301a",
    "日本語",
    "ﬁn",
    "postmaster",
    "Postmaster",
    "INFO",
    "Info.Contact",
    "www",
    "a\x00b",
    "a\nb",
    "a\u202eb",
    "a\ud800b",
    "K",  # Kelvin sign
    "ſ",
    "ı",
    "ａ",
]

DOMAINS = [
    "example.fr",
    "EXAMPLE.FR",
    "Exemple.Fr",
    "ex-ample.fr",
    "ex--ample.fr",
    "a--b.fr",
    "ab--cd.fr",
    "xn--caf-dma.fr",
    "XN--CAF-DMA.FR",
    "xn--zz.fr",
    "xn--.fr",
    "-ex.fr",
    "ex-.fr",
    "ex..fr",
    ".ex.fr",
    "ex.fr.",
    "ex.-fr",
    "localhost",
    "x.localhost",
    "a.test",
    "a.TEST",
    "test.fr",
    "a.invalid",
    "a.local",
    "a.onion",
    "in-addr.arpa",
    "example",
    "ex.f",
    "ex.123",
    "ex.fr1",
    "ex.c0m",
    "ex.co.uk",
    "sub.sub.sub.ex.fr",
    "ex.photography",
    "ex." + "a" * 63,
    "ex." + "a" * 64,
    "a" * 63 + ".fr",
    "a" * 64 + ".fr",
    ".".join(["a" * 60] * 4) + ".fr",
    ".".join(["a" * 61] * 4) + ".fr",
    ".".join(["b" * 40] * 5) + ".fr",
    "127.0.0.1",
    "[127.0.0.1]",
    "[IPv6:::1]",
    "café.fr",
    "CAFÉ.fr",
    "bücher.de",
    "münchen.DE",
    "пример.рф",
    "ex.xn--p1ai",
    "例え.テスト",
    "ex。fr",
    "ｅｘ.fr",
    "ex．fr",
    "K.fr",
    "ſ.fr",
    "ı.fr",
    "İ.fr",
    "ex_ample.fr",
    "ex ample.fr",
    "ex.fr ",
    "ex.fr\u200b",
    "ex\u00adample.fr",
    "ex.fr:25",
    "ex.fr/",
    "ex.fr>",
    "ex@fr.fr",
    "",
    "\u0301ex.fr",
    "⒈.fr",
    "1.fr",
    "1.xn--4dbc.com",
    "123.com",
    "x.y",
]

SPECIALS = [
    "",
    "@",
    "@example.fr",
    "jean@",
    "jean",
    "jean.example.fr",
    "jean＠example.fr",
    "jean﹫example.fr",
    "jean@@example.fr",
    "Jean <jean@example.fr>",
    "<jean@example.fr>",
    '"Jean" <jean@example.fr>',
    "jean@example.fr <jean@example.fr>",
    "a@b@c.fr",
    "x" * 64 + "@" + "y" * 63 + "." + "z" * 63 + "." + "w" * 58 + ".fr",
    "x" * 64 + "@" + "y" * 63 + "." + "z" * 63 + "." + "w" * 59 + ".fr",
    "x" * 64 + "@" + "y" * 63 + "." + "z" * 63 + "." + "w" * 60 + ".fr",
    "é" * 60 + "@" + "y" * 63 + "." + "z" * 63 + "." + "w" * 40 + ".fr",
    "a@" + "é" * 60 + "." + "y" * 63 + "." + "z" * 63 + "." + "w" * 40 + ".fr",
    "jean@xn--bcher-kva.de",
    "jean@bücher.de",
    '"jean"@example.fr',
    "jean.dupont@example.fr\n",
    "jean@exa\nmple.fr",
]

CORPUS = [f"{local}@{domain}" for local, domain in itertools.product(LOCALS, DOMAINS)] + SPECIALS


def reference(address: str) -> str | None:
    """email-validator alone, as the brief requires: the normalised form, or None."""
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def test_corpus_is_large_and_mixed() -> None:
    verdicts = [reference(a) for a in CORPUS]
    assert len(CORPUS) > 4000
    assert sum(v is not None for v in verdicts) > 500
    assert sum(v is None for v in verdicts) > 2000


@pytest.mark.parametrize("chunk", range(8))
def test_same_verdicts_as_email_validator(chunk: int) -> None:
    emails._domain_verdict.cache_clear()
    for address in CORPUS[chunk::8]:
        normalised, reason = validate_address(address)
        assert normalised == reference(address), repr(address)
        assert (reason == "") == (normalised is not None), repr(address)
    # A second pass answers from the domain cache: still the same verdicts.
    for address in CORPUS[chunk::8]:
        assert validate_address(address)[0] == reference(address), repr(address)


def test_fast_path_serves_plain_addresses() -> None:
    plain = ["jean.dupont@example.fr", "Marie+news@Orange.FR", "o'brien@ex-ample.co.uk"]
    assert all(emails._fast(a) is not None for a in plain)
    # Punycode, reserved names, role mailboxes and long labels are exactly handled too.
    assert emails._fast("a@xn--caf-dma.fr") is None
    assert emails._fast("a@ab--cd.fr") is None
    assert emails._fast("a@x.localhost") is None
    assert emails._fast("Postmaster@x.fr") == "postmaster@x.fr"
    assert emails._fast("a@" + "b" * 64 + ".fr") is None


TRICKY = ["é", "ü", "ß", "日", "\u0301", "\u00a0", "\u200b", "\u00ad", "。", "．", "ｅ"]
TRICKY += ["K", "ſ", "ı", "İ", "\t", "\n", "\x00", "\u202e", "\ud800", "⒈", "ﬁ"]
ALPHABET = st.sampled_from([*"abcXYZ019.-_+'!#$%&*/=?^`{|}~\"@ <>()[]\\,;:", *TRICKY])
LOCAL = st.text(ALPHABET, min_size=0, max_size=70)
LABEL = st.text(ALPHABET, min_size=0, max_size=12)
TLD = st.sampled_from(["fr", "com", "FR", "test", "local", "c0m", "x", "xn--p1ai", "photography"])


@st.composite
def addresses(draw: st.DrawFn) -> str:
    labels = draw(st.lists(LABEL, min_size=0, max_size=4))
    domain = ".".join([*labels, draw(TLD)]) if draw(st.booleans()) else ".".join(labels)
    return draw(LOCAL) + "@" + domain


@settings(max_examples=1500, deadline=None)
@given(address=addresses())
def test_generated_addresses_same_verdicts(address: str) -> None:
    assert validate_address(address)[0] == reference(address)


ATEXT = "abcXYZ09_!#$%&'*+-/=?^`{|}~"
ATOM = st.text(st.sampled_from(ATEXT), min_size=1, max_size=22)
LDH = st.text(st.sampled_from("aZ09-"), min_size=1, max_size=66)


@st.composite
def plain_addresses(draw: st.DrawFn) -> str:
    """Shapes the fast regex accepts, and their near misses (hyphens, lengths, TLDs)."""
    local = ".".join(draw(st.lists(ATOM, min_size=1, max_size=4)))
    labels = draw(st.lists(LDH, min_size=1, max_size=5))
    tld = draw(st.text(st.sampled_from("aZq"), min_size=1, max_size=64) | TLD)
    return f"{local}@{'.'.join([*labels, tld])}"


@settings(max_examples=2000, deadline=None)
@given(address=plain_addresses())
def test_plain_shapes_same_verdicts(address: str) -> None:
    """Whatever the fast regex lets through, email-validator must accept, identically."""
    assert validate_address(address)[0] == reference(address)


@settings(max_examples=500, deadline=None)
@given(address=st.text(max_size=80))
def test_any_text_same_verdicts(address: str) -> None:
    assert validate_address(address)[0] == reference(address)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jean.dupont@example.fr", "jean.dupont@example.fr"),
        ("  Jean.Dupont@EXAMPLE.FR  ", "Jean.Dupont@example.fr"),
        ("\u00a0jean@example.fr\u202f", "jean@example.fr"),
        ("\u200bjean@exam\u200bple.fr\ufeff", "jean@example.fr"),
        ("\u200ejean@example.fr\u200f", "jean@example.fr"),
        ("jean\u00ad@example.fr", "jean@example.fr"),
        ("\tjean@example.fr\r\n", "jean@example.fr"),
        ("mailto:jean@example.fr", "jean@example.fr"),
        ("MAILTO:jean@example.fr?subject=Bonjour", "jean@example.fr"),
        ("mailto:jean%40example.fr", "jean@example.fr"),
        ("Jean Dupont <jean@example.fr>", "jean@example.fr"),
        ('"Dupont, Jean" <Jean@Example.fr>', "Jean@example.fr"),
        ("<jean@example.fr>", "jean@example.fr"),
        ("Jean <mailto:jean@example.fr>", "jean@example.fr"),
        ("'jean@example.fr'", "jean@example.fr"),
        ('"jean@example.fr"', "jean@example.fr"),
        ("jean@example.fr;", "jean@example.fr"),
        ("jean@example.fr ,", "jean@example.fr"),
        ("jean@café.fr", "jean@café.fr"),
        ("jean@CAFÉ.FR", "jean@café.fr"),
        ("jean@xn--caf-dma.fr", "jean@café.fr"),
        ("élodie@example.fr", "élodie@example.fr"),
        ("Info@Example.fr", "info@example.fr"),
    ],
)
def test_check_email_cleans_cells(raw: str, expected: str) -> None:
    assert check_email(raw) == (expected, "")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty address"),
        ("   \u00a0 ", "empty address"),
        ("mailto:", "empty address"),
        ("a@x.fr; b@y.fr", "several addresses in one cell"),
        ("a@x.fr,b@y.fr", "several addresses in one cell"),
        ("a@x.fr b@y.fr", "several addresses in one cell"),
        ("a@x.fr / b@y.fr", "several addresses in one cell"),
        ("Jean <a@x.fr>, Marie <b@y.fr>", "several addresses in one cell"),
        ("jean.example.fr", "invalid address: An email address must have an @-sign"),
        ("jean@example", "invalid address"),
        ("jean@@example.fr", "invalid address"),
        ("jean..dupont@example.fr", "invalid address: An email address cannot have two periods"),
        ("jean dupont@example.fr", "invalid address"),
        ("jean@exemple.test", "invalid address"),
        ("jean@exemple.fr.", "invalid address"),
        ('=HYPERLINK("http://x")', "invalid address"),
        ("x" * 10_000, "invalid address"),
        ("x" * 10_000 + "@example.fr", "invalid address"),
    ],
)
def test_check_email_reasons(raw: str, reason: str) -> None:
    normalised, why = check_email(raw)
    assert normalised is None
    assert why.startswith(reason)


def test_reasons_are_bilingual() -> None:
    set_language("fr")
    try:
        assert check_email("")[1] == "adresse vide"
        assert check_email("a@x.fr;b@x.fr")[1] == "plusieurs adresses dans une même cellule"
        assert check_email("jean.example.fr")[1] == "adresse invalide : il manque le signe @"
        assert check_email("jean@example")[1].startswith("adresse invalide : il manque le point")
        assert check_email("jean@exa mple.fr")[1].startswith("adresse invalide : caractères")
        assert check_email("a..b@x.fr")[1] == "adresse invalide : deux points de suite"
    finally:
        set_language(None)


def test_domain_verdicts_are_cached() -> None:
    emails._domain_verdict.cache_clear()
    for i in range(50):
        assert check_email(f"user{i}@café.fr")[0] == f"user{i}@café.fr"
    info = emails._domain_verdict.cache_info()
    assert (info.misses, info.hits) == (1, 49)


def test_looks_like_email() -> None:
    assert looks_like_email("jean@example.fr")
    assert looks_like_email("Jean <jean@example.fr>")
    assert not looks_like_email("Adresse e-mail")
    assert not looks_like_email("@jean")
    assert not looks_like_email("jean@")


def test_plain_addresses_never_reach_email_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes imports fast (figures: benchmarks/emails.py): plain addresses are answered
    by the fast path alone, and a list's few distinct domains are checked once each."""
    calls: list[str] = []

    def counting(address: str, **kwargs: object) -> object:
        calls.append(address)
        return validate_email(address, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(emails, "validate_email", counting)
    emails._domain_verdict.cache_clear()
    addresses = [f"prenom{i}.nom@domaine{i % 300}.fr" for i in range(3000)]
    assert [check_email(a)[0] for a in addresses] == addresses
    assert calls == []
    accented = [f"user{i}@café{i % 3}.fr" for i in range(300)]
    assert all(check_email(a)[0] == a for a in accented)
    assert sorted(calls) == ["x@café0.fr", "x@café1.fr", "x@café2.fr"]


# ------------------------------------------------------------- email-validator's own constants


def test_constants_are_email_validators_own() -> None:
    """Imported, not copied: a new email-validator release cannot leave a stale copy here."""
    assert emails.ATEXT is rfc_constants.ATEXT
    assert f"[{rfc_constants.ATEXT}]" in emails._FAST.pattern
    assert emails.DOT_ATOM_TEXT is rfc_constants.DOT_ATOM_TEXT
    assert frozenset(rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES) == emails._ROLE_NAMES
    assert emails.EMAIL_MAX_LENGTH == rfc_constants.EMAIL_MAX_LENGTH
    assert emails._LOCAL_MAX == rfc_constants.LOCAL_PART_MAX_LENGTH
    assert emails.DNS_LABEL_LENGTH_LIMIT == rfc_constants.DNS_LABEL_LENGTH_LIMIT
    source = Path(emails.__file__).read_text(encoding="utf-8")
    for copied in ('"onion"', '"postmaster"', "= 254", "= 64", "= 63"):
        assert copied not in source, copied


def test_special_use_names_are_read_from_email_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path refuses what email-validator's list holds, whatever that list is."""
    monkeypatch.setattr(
        email_validator,
        "SPECIAL_USE_DOMAIN_NAMES",
        [*email_validator.SPECIAL_USE_DOMAIN_NAMES, "corp"],
    )
    emails._plain_domain.cache_clear()
    try:
        assert emails._fast("a@intranet.corp") is None
        assert validate_address("a@intranet.corp")[0] is None
        assert reference("a@intranet.corp") is None
    finally:
        emails._plain_domain.cache_clear()


def test_fast_path_pinned_to_the_checked_major_version() -> None:
    """pyproject pins email-validator>=2.1,<3: the fast path was checked against 2.x only."""
    assert email_validator.__version__.split(".")[0] == emails.CHECKED_MAJOR
    assert emails.FAST_PATH


def test_other_major_version_sends_everything_to_email_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(emails, "FAST_PATH", False)
    calls: list[str] = []

    def counting(address: str, **kwargs: object) -> object:
        calls.append(address)
        return validate_email(address, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(emails, "validate_email", counting)
    emails._domain_verdict.cache_clear()
    assert check_email("jean@example.fr") == ("jean@example.fr", "")
    assert validate_address("Postmaster@café.fr") == ("postmaster@café.fr", "")
    assert calls == ["jean@example.fr", "Postmaster@café.fr"]


TRICKY_ADDRESSES = [
    "Postmaster@Example.FR",  # RFC 2142 name: lowercased
    "WWW@example.fr",
    "postmasters@example.fr",  # not a role name: kept as typed
    "a@x.y.onion",  # subdomain of a special-use name
    "a@onion.fr",  # special-use name as a plain label: fine
    "a@localhost",
    "a@x.arpa",
    "a@x.test",
    "a@example.TEST",
    "x" * 64 + "@example.fr",  # local part at RFC 5321's limit
    "x" * 65 + "@example.fr",  # over it: email-validator still accepts (not strict)
    "a@" + "b" * 63 + ".fr",  # label at RFC 1035's limit
    "a@" + "b" * 64 + ".fr",
    "a@" + ".".join(["b" * 62] * 3) + ".fr" + "r" * 50,  # long top-level label
    "x" * 64 + "@" + ".".join(["d" * 62] * 3) + ".fr",  # 254 octets
    "x" * 64 + "@" + ".".join(["d" * 62] * 3) + ".frr",  # 255 octets
    "a.b.c@ex.fr",
    "a..b@ex.fr",
    "a.@ex.fr",
    "{|}~@ex.fr",
    "a@ex.fr1",
    "a@xn--caf-dma.fr",
    "a@ex--ample.fr",
]


@pytest.mark.parametrize("address", TRICKY_ADDRESSES)
def test_tricky_addresses_same_verdicts(address: str) -> None:
    emails._domain_verdict.cache_clear()
    emails._plain_domain.cache_clear()
    assert validate_address(address)[0] == reference(address)
    assert check_email(address)[0] == reference(address)
