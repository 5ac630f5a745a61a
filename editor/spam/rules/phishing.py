"""Phishing patterns: forms, requests for passwords or bank details, login wording."""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.findings import Severity
from editor.i18n import _
from editor.spam.lists import normalise
from editor.spam.registry import Hit, rule
from editor.spam.rules.content import block_of
from editor.spam.view import MessageView

_CREDENTIALS = re.compile(
    r"\b(?:(?:your|votre|vos)\s+(?:password|mot de passe|codes? (?:pin|secret|d'accès)|"
    r"iban|bic|rib|card number|numéro de carte|card details|coordonnées bancaires|"
    r"cvv|cryptogramme|security code|identifiants?|login details|bank details|"
    r"bank account (?:details|number))|"
    r"(?:enter|confirm|update|provide|send|saisissez|confirmez|mettez à jour|envoyez|"
    r"communiquez|indiquez)\s+(?:your |votre |vos )?(?:password|mot de passe|iban|rib|"
    r"card number|numéro de carte|bank details|bank account (?:details|number)|"
    r"coordonnées bancaires|pin))|"
    r"\b(?:and|with|et|avec)\s+(?:your\s+|vos\s+)?(?:bank account details|coordonnées bancaires)",
    re.IGNORECASE,
)
_BITCOIN = re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{25,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b")
_LOGIN = re.compile(
    r"\b(?:verify your (?:account|identity|email)|confirm your (?:account|identity)|"
    r"your account (?:has been|will be) (?:suspended|locked|closed|limited|disabled)|"
    r"unusual (?:sign-in|login) activity|log ?in (?:now )?to (?:avoid|restore|keep)|"
    r"re-?activate your account|"
    r"vérifiez votre (?:compte|identité)|confirmez votre (?:compte|identité)|"
    r"votre compte (?:a été|sera) (?:suspendu|bloqué|fermé|désactivé|limité)|"
    r"activité inhabituelle|connectez-vous (?:dès maintenant )?pour (?:éviter|réactiver|"
    r"débloquer|conserver)|réactivez votre compte)",
    re.IGNORECASE,
)


@rule(
    "form",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin HTML_FORMACTION_MAILTO, FILL_THIS_FORM_*; rspamd phishing checks",
    message=lambda p: _("The message contains a form."),
    fix=lambda p: _("Link to a form on your site instead: mail clients disable forms."),
)
def form(view: MessageView) -> Iterator[Hit]:
    """A <form> (or a password field): Gmail and Outlook disable them and warn, and forms in
    mail are a phishing hallmark (SpamAssassin FILL_THIS_FORM_* up to 3.8). Password fields
    cost more (4.0)."""
    for found in view.forms[:1]:
        yield Hit(found.block, points=4.0 if found.has_password else 2.0)


@rule(
    "credentials_request",
    2.5,
    Severity.ERROR,
    mirrors="SpamAssassin FILL_THIS_FORM_FRAUD_PHISH, TVD_PH_*, BANKING_LAWS",
    message=lambda p: _('The text asks for credentials or bank details: "{text}".').format(
        text=p["text"]
    ),
    fix=lambda p: _(
        "Never ask for passwords or bank details by email; readers are taught not to give them."
    ),
)
def credentials_request(view: MessageView) -> Iterator[Hit]:
    """Asking for a password, PIN, card number, IBAN/RIB… in English or French (SpamAssassin
    FILL_THIS_FORM_FRAUD_PHISH and the TVD_PH_* phishing rules)."""
    m = _CREDENTIALS.search(normalise(view.visible_text or view.plain or ""))
    if m:
        yield Hit(block_of(view, m.group(0)), {"text": m.group(0)})


@rule(
    "login_wording",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin TVD_PH_SEC, TVD_PH_REC, TVD_PH_BODY_ACCOUNTS_PRE",
    message=lambda p: _('Account-alert wording: "{text}".').format(text=p["text"]),
    fix=lambda p: _("Newsletters should not sound like a security alert; rephrase."),
)
def login_wording(view: MessageView) -> Iterator[Hit]:
    """ "Verify your account", "votre compte sera suspendu"…: the wording of credential
    phishing, in English and French (SpamAssassin's TVD_PH_* rules cover the English)."""
    m = _LOGIN.search(normalise(view.visible_text or view.plain or ""))
    if m:
        yield Hit(block_of(view, m.group(0)), {"text": m.group(0)})


@rule(
    "visible_url_elsewhere",
    3.0,
    Severity.ERROR,
    mirrors="rspamd PHISHING",
    message=lambda p: _('A link reads "{shown}" but opens another site: {host}.').format(
        shown=p["shown"], host=p["host"]
    ),
    fix=lambda p: _('Show the real address, or words such as "Read the article".'),
)
def visible_url_elsewhere(view: MessageView) -> Iterator[Hit]:
    """A link whose visible text is a full URL (http://… or www.…) of another site: the
    strongest phishing signal (rspamd PHISHING up to 4.0; Gmail shows a warning banner).
    Stacks on :func:`~editor.spam.rules.links.link_text_domain` on purpose: a whole URL is
    more deceptive than a bare domain name."""
    from editor.spam.lists import domain_in_text, host_of, registrable

    for link in view.links:
        text = link.text.strip().lower()
        if not text.startswith(("http://", "https://", "www.")):
            continue
        host = host_of(link.href)
        shown = domain_in_text(text)
        if host and shown and registrable(shown) != registrable(host):
            yield Hit(link.block, {"shown": link.text[:80], "host": host})
            return


@rule(
    "crypto_address",
    3.0,
    Severity.ERROR,
    mirrors="SpamAssassin PDS_BTC_ID; rspamd BITCOIN_ADDR, LEAKED_PASSWORD_SCAM",
    message=lambda p: _("The message contains a bitcoin address: {address}.").format(
        address=p["address"]
    ),
    fix=lambda p: _("Take payments through your site: a wallet address in a mail is a scam sign."),
)
def crypto_address(view: MessageView) -> Iterator[Hit]:
    """A bitcoin address in the text: extortion and investment scams ask for payment that way
    (SpamAssassin PDS_BTC_ID, rspamd BITCOIN_ADDR and LEAKED_PASSWORD_SCAM up to 7.0)."""
    m = _BITCOIN.search(view.visible_text or view.plain or "")
    if m:
        yield Hit(block_of(view, m.group(0).lower()), {"address": m.group(0)})
