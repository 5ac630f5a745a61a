"""The signup form snippet for the user's own website, and the GDPR information notice behind it.

Bulletin has no web server: the snippet either posts to a form handler the user already runs
(``action``), or opens a message to the subscribe address ``local+subscribe@domain`` (mailto
mode), which the inbox answers with a double opt-in confirmation. Either way the visitor sees an
unticked, required consent checkbox saying what they agree to, and the information notice the
GDPR (articles 13 and 14) requires: controller, purpose, legal basis, recipients, retention,
rights, transfers outside the EU, the right to complain to the supervisory authority.

The notice is written in the language of the *website* (``SignupSettings.language``), not of
the UI, so its wording lives here in both languages rather than in the UI catalog; errors are UI
messages and are translated. Every user value is HTML-escaped; the form action goes through the
project's URL check (:func:`editor.urls.web_uri`), so ``javascript:`` and friends are refused.
The snippet needs no JavaScript and loads nothing from elsewhere.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass, replace

from editor.i18n import _
from editor.sending.tokens import ascii_domain
from editor.urls import web_uri

__all__ = [
    "NOTICE_LANGUAGES",
    "SUBSCRIBE_TAG",
    "SignupError",
    "SignupSettings",
    "check_settings",
    "privacy_notice",
    "privacy_notice_text",
    "signup_form",
    "subscribe_address",
    "subscribe_mailto_url",
]

SUBSCRIBE_TAG = "subscribe"  # local+subscribe@domain
NOTICE_LANGUAGES = ("fr", "en")
FIELD_MAX = 2000  # a notice paragraph, not a book: keeps a pasted file out of the snippet
_ADDRESS = re.compile(r"[^@\s<>\"'(),;:\\\[\]]+@[^@\s<>\"'(),;:\\\[\]]+")


class SignupError(ValueError):
    """Settings that cannot make a safe, complete snippet; the message is for the user."""


@dataclass(frozen=True)
class SignupSettings:
    """What the notice and form say. Empty optional texts get the standard wording.

    Attributes:
        organisation: the controller (person or organisation) collecting the addresses.
        contact_email: where people send access, erasure… requests.
        address: the controller's postal address (recommended by the CNIL).
        purpose: why the addresses are collected; default: sending the newsletter.
        retention_months: kept this long after the last contact from the person, at most;
            always erased (bar the suppression entry) on unsubscribe.
        recipients: who receives or processes the data (e.g. the SMTP service's name).
        transfers: transfers outside the EU and their safeguards; "" means none.
        dpo: the data protection officer's contact, if there is one.
        language: the website's language, ``fr`` or ``en``.
        action: the user's own form handler (http/https); exclusive with ``mailto``.
        mailto: the sender address ``local@domain``: the form opens a message to
            ``local+subscribe@domain`` instead of posting.
        list_name: the newsletter's name, shown in the consent wording.
        ask_measurement: also ask for the optional consent to measuring opens and clicks
            (a second, unticked box; in mailto mode a second button), and say so in the notice.
    """

    organisation: str
    contact_email: str
    address: str = ""
    purpose: str = ""
    retention_months: int = 36
    recipients: str = ""
    transfers: str = ""
    dpo: str = ""
    language: str = "fr"
    action: str = ""
    mailto: str = ""
    list_name: str = ""
    ask_measurement: bool = False


def subscribe_address(sender: str) -> str:
    """``local+subscribe@domain`` for the sender address ``local@domain``.

    As for unsubscribe addresses (:func:`editor.sending.tokens.unsubscribe_mailto`), a sender that
    already has a ``+tag`` keeps it (``news+fr@x`` → ``news+fr+subscribe@x``) and the domain is
    written in its ASCII form. Raises :class:`SignupError` for something that is not an address.
    """
    text = sender.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or not _ADDRESS.fullmatch(text):
        raise SignupError(_("{value} is not an email address.").format(value=sender.strip()))
    try:
        domain = ascii_domain(domain)
    except ValueError as exc:
        raise SignupError(
            _("{value} is not an email address.").format(value=sender.strip())
        ) from exc
    return f"{local}+{SUBSCRIBE_TAG}@{domain}"


def check_settings(settings: SignupSettings, *, form: bool = True) -> SignupSettings:
    """``settings`` checked, with the form action in its clean ASCII form.

    ``form=False`` checks only what the notice needs (no action or mailto address).

    Raises :class:`SignupError` with a sentence for the user: missing controller or contact,
    both or neither of action and mailto, an action that is not http(s) (``javascript:``,
    ``data:``…), a language other than French or English, an absurd retention.
    """
    s = settings
    if not s.organisation.strip():
        raise SignupError(_("The notice needs the name of the organisation or person."))
    if not _ADDRESS.fullmatch(s.contact_email.strip()):
        raise SignupError(
            _("{value} is not an email address.").format(value=s.contact_email.strip())
        )
    if s.language not in NOTICE_LANGUAGES:
        raise SignupError(
            _("The notice can be written in French (fr) or English (en), not {value}.").format(
                value=s.language
            )
        )
    if not 1 <= s.retention_months <= 120:
        raise SignupError(_("The retention period must be between 1 and 120 months."))
    for value in (s.organisation, s.address, s.purpose, s.recipients, s.transfers, s.dpo):
        if len(value) > FIELD_MAX:
            raise SignupError(
                _("A text of the notice is longer than {count} characters.").format(count=FIELD_MAX)
            )
    if not form:
        return s
    if bool(s.action.strip()) == bool(s.mailto.strip()):
        raise SignupError(
            _("Give either the address of your form handler or the sender address, not both.")
            if s.action.strip()
            else _("Give the address of your form handler or the sender address.")
        )
    if s.mailto.strip():
        subscribe_address(s.mailto)  # raises for a bad address
        return s
    action = web_uri(s.action)
    if not action:
        raise SignupError(
            _("The form can only post to a web address (http or https), not {value}.").format(
                value=s.action.strip()[:200]
            )
        )
    return replace(s, action=action)


# ------------------------------------------------------------------------------ the wording
# The website's language, not the UI's: both versions live here (see the module docstring).

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "How we use your personal data",
        "h_controller": "Who is responsible",
        "controller": "Your data is processed by {org}, the data controller.",
        "postal": "Postal address: {address}.",
        "dpo": "Data protection officer: {dpo}.",
        "h_purpose": "Why, and on what basis",
        "purpose": "to send you our newsletter{list}",
        "purpose_line": "Your email address and first name are used {purpose}. "
        "The legal basis is your consent (GDPR article 6.1.a), "
        "which you can withdraw at any time.",
        "h_recipients": "Who receives it",
        "recipients_default": "the people at {org} in charge of the newsletter",
        "recipients_custom": "{org}; {recipients}",
        "recipients_line": "Your data is accessible only to: {recipients}. "
        "It is never sold or rented.",
        "h_retention": "How long",
        "retention_line": "We keep your data until you unsubscribe, and at most "
        "{months} months after your last contact with us (for example, opening a link or "
        "replying). When you unsubscribe, only your address is kept, on a suppression list, "
        "so that we never write to you again.",
        "h_rights": "Your rights",
        "rights_line": "You have the right to access, rectify and erase your data, "
        "to object to its processing, to restrict it and to data portability. "
        "To exercise them, write to {contact}. You can unsubscribe at any time "
        "with the link at the bottom of every newsletter.",
        "complaint": "If you believe your rights are not respected, you may lodge a complaint "
        "with your data protection authority (in France, the CNIL: www.cnil.fr).",
        "h_transfers": "Transfers outside the European Union",
        "no_transfers": "Your data is not transferred outside the European Union.",
        "transfers_line": "Your data is transferred outside the European Union: {transfers}",
        "short": "{org} uses your email address to send you the newsletter{list}, with your "
        "consent. You can unsubscribe at any time with the link in every email, and access, "
        "rectify or erase your data by writing to {contact}.",
        "more": "More about your data and your rights",
        "email": "Email address",
        "first_name": "First name (optional)",
        "consent": "I agree to receive the newsletter{list} from {org} by email, "
        "and I have read the information below.",
        "submit": "Subscribe",
        "mail_submit": "Subscribe by email",
        "mail_hint": "Your mail program opens a message to send: you are subscribed from the "
        "address you send it from, after confirming by replying to our confirmation email.",
        "mail_fallback": "If nothing opens, write to {address}.",
        "subject": "Subscribe",
        "body": "I agree to receive the newsletter{list} from {org} by email.\n"
        "First name (optional): ",
        "required": "required",
        "h_measurement": "Measuring opens and clicks (optional)",
        "measurement_line": "If you agree to it, and only then, we measure for each newsletter "
        "whether you opened it and which of its links you clicked, for you personally: the hour "
        "of the first time and how many times, nothing more. We look at the results only as "
        "totals, to know what interests our readers. The legal basis is your consent (GDPR "
        "article 6.1.a; article 82 of the French Data Protection Act), which is optional: "
        "refusing it changes nothing to your subscription. You can withdraw it at any time, "
        "without unsubscribing, by writing to {contact}; measuring stops from the next "
        "newsletter.",
        "measure_consent": "Optional: I also agree that {org} measures, for me personally, "
        "whether I open its newsletters and which of their links I click. I can withdraw this "
        "consent at any time.",
        "measure_submit": "Subscribe and accept measurement",
        "measure_hint": "The second button also gives your optional consent to measuring, for "
        "you personally, whether you open our newsletters and which of their links you click; "
        "you can withdraw it at any time.",
        "measure_fallback": "To also accept the measurement, use this link instead: {address}.",
        "measure_line": "Measure my opens and clicks: yes",
    },
    "fr": {
        "title": "Comment nous utilisons vos données personnelles",
        "h_controller": "Responsable du traitement",
        "controller": "Vos données sont traitées par {org}, responsable du traitement.",
        "postal": "Adresse postale : {address}.",
        "dpo": "Délégué à la protection des données : {dpo}.",
        "h_purpose": "Finalité et base légale",
        "purpose": "à vous envoyer notre lettre d’information{list}",
        "purpose_line": "Votre adresse électronique et votre prénom servent {purpose}. "
        "Ce traitement repose sur votre consentement (article 6.1.a du RGPD), "
        "que vous pouvez retirer à tout moment.",
        "h_recipients": "Destinataires",
        "recipients_default": "les personnes de {org} chargées de la lettre",
        "recipients_custom": "{org} ; {recipients}",
        "recipients_line": "Seuls ont accès à vos données : {recipients}. "
        "Elles ne sont jamais vendues ni louées.",
        "h_retention": "Durée de conservation",
        "retention_line": "Nous conservons vos données jusqu’à votre désabonnement, et au plus "
        "{months} mois après votre dernier contact avec nous (par exemple l’ouverture d’un "
        "lien ou une réponse). Lorsque vous vous désabonnez, seule votre adresse est conservée, "
        "dans une liste d’opposition, pour ne plus jamais vous écrire.",
        "h_rights": "Vos droits",
        "rights_line": "Vous disposez d’un droit d’accès, de rectification et d’effacement de "
        "vos données, d’un droit d’opposition, d’un droit à la limitation du traitement et "
        "d’un droit à la portabilité. Pour les exercer, écrivez à {contact}. Vous pouvez vous "
        "désabonner à tout moment grâce au lien présent en bas de chaque lettre.",
        "complaint": "Si vous estimez que vos droits ne sont pas respectés, vous pouvez "
        "adresser une réclamation à la CNIL (www.cnil.fr).",
        "h_transfers": "Transferts hors de l’Union européenne",
        "no_transfers": "Vos données ne sont pas transférées hors de l’Union européenne.",
        "transfers_line": "Vos données sont transférées hors de l’Union européenne : {transfers}",
        "short": "{org} utilise votre adresse électronique pour vous envoyer la lettre "
        "d’information{list}, avec votre consentement. Vous pouvez vous désabonner à tout "
        "moment grâce au lien présent dans chaque courriel, et accéder à vos données, les "
        "rectifier ou les effacer en écrivant à {contact}.",
        "more": "En savoir plus sur vos données et vos droits",
        "email": "Adresse électronique",
        "first_name": "Prénom (facultatif)",
        "consent": "J’accepte de recevoir par courriel la lettre d’information{list} envoyée "
        "par {org}, "
        "et j’ai pris connaissance des informations ci-dessous.",
        "submit": "S’abonner",
        "mail_submit": "S’abonner par courriel",
        "mail_hint": "Votre messagerie ouvre un message à envoyer : l’adresse qui l’envoie sera "
        "abonnée dès que vous aurez répondu à notre courriel de confirmation.",
        "mail_fallback": "Si rien ne s’ouvre, écrivez à {address}.",
        "subject": "Abonnement",
        "body": "J’accepte de recevoir par courriel la lettre d’information{list} envoyée "
        "par {org}.\n"
        "Prénom (facultatif) : ",
        "required": "obligatoire",
        "h_measurement": "Mesure des ouvertures et des clics (facultative)",
        "measurement_line": "Si vous l’acceptez, et seulement dans ce cas, nous mesurons pour "
        "chaque lettre si vous l’avez ouverte et sur quels liens vous avez cliqué, pour vous "
        "personnellement : l’heure de la première fois et le nombre de fois, rien de plus. Nous "
        "n’en consultons que les totaux, pour savoir ce qui intéresse nos lecteurs. Ce "
        "traitement repose sur votre consentement (article 6.1.a du RGPD et article 82 de la "
        "loi Informatique et Libertés), qui est facultatif : le refuser ne change rien à votre "
        "abonnement. Vous pouvez le retirer à tout moment, sans vous désabonner, en écrivant à "
        "{contact} ; la mesure cesse dès la lettre suivante.",
        "measure_consent": "Facultatif : j’accepte aussi que {org} mesure, pour moi "
        "personnellement, si j’ouvre ses lettres et sur quels liens je clique. Je peux retirer "
        "cet accord à tout moment.",
        "measure_submit": "S’abonner et accepter la mesure",
        "measure_hint": "Le second bouton donne aussi votre accord, facultatif, à la mesure "
        "personnelle de l’ouverture de nos lettres et des liens sur lesquels vous cliquez ; "
        "vous pouvez le retirer à tout moment.",
        "measure_fallback": "Pour accepter aussi la mesure, utilisez plutôt ce lien : {address}.",
        "measure_line": "Mesure des ouvertures et des clics : oui",
    },
}


def _list_suffix(settings: SignupSettings) -> str:
    name = settings.list_name.strip()
    if not name:
        return ""
    return f" « {name} »" if settings.language == "fr" else f" “{name}”"


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (a user's free text may or may not have one)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _sections(settings: SignupSettings) -> list[tuple[str, list[str]]]:
    """The notice as (heading, paragraphs) in plain text, shared by the HTML and text forms."""
    s = settings
    w = _WORDS[s.language]
    org = s.organisation.strip()
    lst = _list_suffix(s)
    controller = [w["controller"].format(org=org)]
    if s.address.strip():
        controller.append(w["postal"].format(address=s.address.strip().rstrip(".")))
    if s.dpo.strip():
        controller.append(w["dpo"].format(dpo=s.dpo.strip().rstrip(".")))
    purpose = s.purpose.strip().rstrip(".") or w["purpose"].format(list=lst)
    if s.recipients.strip():
        recipients = w["recipients_custom"].format(
            org=org, recipients=s.recipients.strip().rstrip(".")
        )
    else:
        recipients = w["recipients_default"].format(org=org)
    transfers = (
        w["transfers_line"].format(transfers=_sentence(s.transfers))
        if s.transfers.strip()
        else w["no_transfers"]
    )
    contact = s.contact_email.strip()
    measurement = (
        [(w["h_measurement"], [w["measurement_line"].format(contact=contact)])]
        if s.ask_measurement
        else []
    )
    return [
        (w["h_controller"], controller),
        (w["h_purpose"], [w["purpose_line"].format(purpose=purpose)]),
        *measurement,
        (w["h_recipients"], [w["recipients_line"].format(recipients=recipients)]),
        (w["h_retention"], [w["retention_line"].format(months=s.retention_months)]),
        (
            w["h_rights"],
            [w["rights_line"].format(contact=contact), w["complaint"]],
        ),
        (w["h_transfers"], [transfers]),
    ]


def privacy_notice_text(settings: SignupSettings) -> str:
    """The full information notice as plain text (for an email, a printed page, a paste)."""
    s = check_settings(settings, form=False)
    lines = [_WORDS[s.language]["title"], ""]
    for heading, paragraphs in _sections(s):
        lines += [heading, *paragraphs, ""]
    return "\n".join(lines)


def privacy_notice(settings: SignupSettings) -> str:
    """The full information notice as an HTML fragment (headings and paragraphs, escaped)."""
    s = check_settings(settings, form=False)
    e = html.escape
    parts = [f'<section class="bulletin-notice" lang="{s.language}">']
    parts.append(f"<h2>{e(_WORDS[s.language]['title'])}</h2>")
    for heading, paragraphs in _sections(s):
        parts.append(f"<h3>{e(heading)}</h3>")
        parts += [f"<p>{_linked(p, s.contact_email.strip())}</p>" for p in paragraphs]
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def _linked(text: str, contact: str) -> str:
    """``text`` escaped, with the contact address made a mailto link."""
    escaped = html.escape(text)
    address = html.escape(contact)
    href = html.escape("mailto:" + urllib.parse.quote(contact, safe="@+"))
    return escaped.replace(address, f'<a href="{href}">{address}</a>')


def _mail_body(settings: SignupSettings, measurement: bool) -> str:
    """The request's body: the consent wording, the measurement line if asked for (the inbox
    reads it: :func:`editor.inbox.subscribe_mail.measurement_line`), the first-name line last
    so the person types right after it."""
    w = _WORDS[settings.language]
    consent, first_name = w["body"].split("\n")
    lines = [consent.format(list=_list_suffix(settings), org=settings.organisation.strip())]
    if measurement:
        lines.append(w["measure_line"])
    return "\n".join([*lines, first_name])


def subscribe_mailto_url(settings: SignupSettings, *, measurement: bool = False) -> str:
    """``mailto:local+subscribe@domain?subject=…&body=…`` (percent-encoded), for mailto mode;
    ``measurement``: the body also says yes to measuring opens and clicks."""
    s = check_settings(settings)
    w = _WORDS[s.language]
    body = _mail_body(s, measurement)
    query = urllib.parse.urlencode(
        {"subject": w["subject"], "body": body.replace("\n", "\r\n")},
        quote_via=urllib.parse.quote,
    )
    return f"mailto:{subscribe_address(s.mailto)}?{query}"


_CSS = (
    ".bulletin-signup{max-width:32rem;font:inherit}"
    ".bulletin-signup label{display:block;margin:.6em 0 .2em}"
    ".bulletin-signup input[type=email],.bulletin-signup input[type=text]"
    "{width:100%;box-sizing:border-box;padding:.4em;font:inherit}"
    ".bulletin-signup .bulletin-consent{display:flex;gap:.5em;align-items:flex-start}"
    ".bulletin-signup .bulletin-consent input{margin-top:.25em}"
    ".bulletin-signup button{margin:.8em 0;padding:.5em 1.2em;font:inherit;cursor:pointer}"
    ".bulletin-signup small{display:block}"
    ".bulletin-signup :focus-visible{outline:2px solid currentColor;outline-offset:2px}"
)


def signup_form(settings: SignupSettings) -> str:
    """The signup snippet to paste into a web page: form, short notice, full notice.

    An email field (``type=email required``; not in mailto mode, where the sender's address is
    the subscriber), an optional first name, an unticked required consent checkbox saying what
    is agreed to, the short notice and the full one in a ``<details>``. In mailto mode the form
    is a GET to the ``mailto:`` address with the subject and body as fields — browsers turn it
    into the same URL as :func:`subscribe_mailto_url`, and refuse to open it until the box is
    ticked — plus a plain link for visitors whose browser opens nothing.

    With ``ask_measurement``, the optional consent to measuring opens and clicks: a second,
    unticked, not required box ``measurement_consent=yes`` posted to the handler; in mailto
    mode, where a box cannot add a line to the message, a second button whose body carries the
    measurement line (each button sends its own ``body``: only the one clicked is submitted),
    and a second fallback link.
    """
    s = check_settings(settings)
    w = _WORDS[s.language]
    e = html.escape
    org = s.organisation.strip()
    required = f'<abbr title="{e(w["required"])}">*</abbr>'
    out = [
        f"<!-- Bulletin signup form: {e(org).replace('--', '- -')} -->",
        f'<div class="bulletin-signup" lang="{s.language}">',
        f"<style>{_CSS}</style>",
    ]
    out += _mail_fields(s) if s.mailto.strip() else _handler_fields(s, required)
    consent = w["consent"].format(list=_list_suffix(s), org=org)
    # Unnamed in mailto mode: a named box would become a header of the mailto: URL.
    name = "" if s.mailto.strip() else ' name="consent" value="yes"'
    out += [
        '<p class="bulletin-consent">',
        f'<input id="bulletin-consent"{name} type="checkbox" required'
        ' aria-describedby="bulletin-short-notice">',
        f'<label for="bulletin-consent">{e(consent)} {required}</label>',
        "</p>",
    ]
    if s.ask_measurement and not s.mailto.strip():
        out += [
            '<p class="bulletin-consent">',
            '<input id="bulletin-measurement" name="measurement_consent" value="yes"'
            ' type="checkbox">',
            f'<label for="bulletin-measurement">{e(w["measure_consent"].format(org=org))}</label>',
            "</p>",
        ]
    out += _mail_buttons(s) if s.mailto.strip() else [_button("", w["submit"]), "</form>"]
    short = w["short"].format(list=_list_suffix(s), org=org, contact=s.contact_email.strip())
    out += [
        f'<p id="bulletin-short-notice"><small>{_linked(short, s.contact_email.strip())}'
        "</small></p>",
        f"<details><summary>{e(w['more'])}</summary>",
        privacy_notice(s).rstrip("\n"),
        "</details>",
        "</div>",
    ]
    return "\n".join(out) + "\n"


def _handler_fields(s: SignupSettings, required: str) -> list[str]:
    """The form posting to the user's handler, its email and first-name fields."""
    w = _WORDS[s.language]
    e = html.escape
    return [
        f'<form action="{e(s.action)}" method="post">',
        f'<label for="bulletin-email">{e(w["email"])} {required}</label>',
        '<input id="bulletin-email" name="email" type="email" required'
        ' autocomplete="email" maxlength="254">',
        f'<label for="bulletin-first-name">{e(w["first_name"])}</label>',
        '<input id="bulletin-first-name" name="first_name" type="text"'
        ' autocomplete="given-name" maxlength="100">',
    ]


def _mail_fields(s: SignupSettings) -> list[str]:
    """The GET form to the subscribe address, with its subject; the body is a hidden field,
    or each button's own when there are two (see :func:`_mail_buttons`)."""
    w = _WORDS[s.language]
    e = html.escape
    out = [
        f'<form action="mailto:{e(subscribe_address(s.mailto))}" method="get">',
        f'<input type="hidden" name="subject" value="{e(w["subject"])}">',
    ]
    if not s.ask_measurement:
        out.append(f'<input type="hidden" name="body" value="{_attribute(_mail_body(s, False))}">')
    return out


def _mail_buttons(s: SignupSettings) -> list[str]:
    """The mailto form's button(s), its hint and the fallback link(s)."""
    w = _WORDS[s.language]
    e = html.escape
    address = subscribe_address(s.mailto)
    if s.ask_measurement:
        out = [
            _button(_mail_body(s, False), w["mail_submit"]),
            _button(_mail_body(s, True), w["measure_submit"]),
            f"<small>{e(w['mail_hint'])}</small>",
            f"<small>{e(w['measure_hint'])}</small>",
            "</form>",
        ]
    else:
        out = [_button("", w["mail_submit"]), f"<small>{e(w['mail_hint'])}</small>", "</form>"]
    link = f'<a href="{e(subscribe_mailto_url(s))}">{e(address)}</a>'
    out.append(f"<p><small>{e(w['mail_fallback']).replace(e('{address}'), link)}</small></p>")
    if s.ask_measurement:
        # Named by what it does: the same address text twice would leave the choice unclear.
        link = (
            f'<a href="{e(subscribe_mailto_url(s, measurement=True))}">{e(w["measure_submit"])}</a>'
        )
        fallback = e(w["measure_fallback"]).replace(e("{address}"), link)
        out.append(f"<p><small>{fallback}</small></p>")
    return out


def _button(body: str, text: str) -> str:
    """A submit button; with ``body``, it submits that as the form's ``body`` field."""
    value = f' name="body" value="{_attribute(body)}"' if body else ""
    return f'<button type="submit"{value}>{html.escape(text)}</button>'


def _attribute(text: str) -> str:
    """``text`` escaped for an attribute value, line breaks kept as ``&#10;``."""
    return html.escape(text).replace("\n", "&#10;")
