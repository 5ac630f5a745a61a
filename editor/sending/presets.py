"""Ready-made settings for the usual sending services: host, port, security and safe limits.

Hosts and ports are the providers' documented ones (checked December 2026):
- SendGrid: smtp.sendgrid.net, 587 STARTTLS (465 TLS), user name ``apikey`` + an API key
  (docs.sendgrid.com, "Integrating with the SMTP API").
- Brevo: smtp-relay.brevo.com, 587 STARTTLS (465 TLS), login + an SMTP key, not the account
  password; free plan 300 emails/day (developers.brevo.com/docs/smtp-integration).
- Mailjet: in-v3.mailjet.com, 587 STARTTLS (465 TLS), API key + secret key; free plan
  200/day, 6,000/month (dev.mailjet.com, "SMTP relay").
- Amazon SES: email-smtp.<region>.amazonaws.com, 587 STARTTLS (465 TLS), SMTP credentials made
  in the SES console; a new account is in the sandbox: 200 messages/day, 1 per second
  (docs.aws.amazon.com/ses/latest/dg/smtp-connect.html).
- Gmail and Google Workspace: smtp.gmail.com, 465 TLS (587 STARTTLS), an app password (2-step
  verification on); about 500 recipients/day for Gmail, 2,000/day for Workspace
  (support.google.com/a/answer/166852).
- Outlook.com: smtp-mail.outlook.com, 587 STARTTLS; Microsoft 365: smtp.office365.com, 587
  STARTTLS, 30 messages/minute and 10,000 recipients/day (learn.microsoft.com, "Exchange Online
  limits"). Outlook.com's personal accounts allow far less (300/day used here).
- OVH: ssl0.ovh.net, 465 TLS (587 STARTTLS); the certificate is for ssl0.ovh.net, so aliases
  fail the check (OVH guide "SMTP, POP3 and IMAP"); about 200 messages/hour on shared mail.
- Orange: smtp.orange.fr, 465 TLS; Free: smtp.free.fr, 465 TLS; IONOS: smtp.ionos.fr, 465 TLS
  (the sender must be on a domain of the IONOS contract); Infomaniak: mail.infomaniak.com, 465
  TLS, 1,440 messages per 24 h on paid mail plans (infomaniak.com FAQ "Email service").
- Gandi: mail.gandi.net, 465 TLS; its mailboxes are "designed for standard email use", mass
  campaigns may get them suspended (docs.gandi.net/en/gandimail/limitations.html), hence the
  low rate and the note.

Limits are deliberately below the providers' maximums: going over them gets an account
suspended, while being a little slower costs nothing. The user can change them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from editor.i18n import N_, _
from editor.sending.accounts import Account, Security

SES_REGIONS: tuple[str, ...] = (
    "eu-west-3",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "eu-south-1",
    "eu-north-1",
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-south-1",
    "sa-east-1",
)
"""Amazon SES regions offering SMTP (Paris first: most users are French)."""
SES_DEFAULT_REGION = "eu-west-3"


@dataclass(frozen=True)
class Preset:
    """A sending service's settings; ``label`` and ``note`` are translated when shown."""

    key: str
    label_text: str
    host: str
    port: int
    security: Security
    note_text: str = ""
    username: str = ""  # a fixed user name (SendGrid's "apikey"), "" = the user's own
    rate_per_minute: int = 0
    rate_per_hour: int = 0
    connections: int = 1
    daily_quota: int = 0
    monthly_quota: int = 0
    needs_region: bool = False

    @property
    def label(self) -> str:
        return _(self.label_text)

    @property
    def note(self) -> str:
        return _(self.note_text) if self.note_text else ""

    def host_for(self, region: str = SES_DEFAULT_REGION) -> str:
        """The host name, with ``region`` filled in for Amazon SES."""
        return self.host.format(region=region) if self.needs_region else self.host

    def apply(self, account: Account, region: str = SES_DEFAULT_REGION) -> Account:
        """``account`` with this preset's connection settings and limits (sender kept)."""
        return replace(
            account,
            host=self.host_for(region) if self.host else account.host,
            port=self.port,
            security=self.security,
            username=self.username or account.username,
            rate_per_minute=self.rate_per_minute,
            rate_per_hour=self.rate_per_hour,
            connections=self.connections,
            daily_quota=self.daily_quota,
            monthly_quota=self.monthly_quota,
            preset=self.key,
        )


PRESETS: tuple[Preset, ...] = (
    Preset(
        "sendgrid",
        N_("SendGrid"),
        "smtp.sendgrid.net",
        587,
        "starttls",
        N_("The user name is apikey; the password is an API key with the Mail Send permission."),
        username="apikey",
        rate_per_minute=600,
        connections=3,
    ),
    Preset(
        "brevo",
        N_("Brevo"),
        "smtp-relay.brevo.com",
        587,
        "starttls",
        N_("Use the SMTP login and an SMTP key (Settings, SMTP & API), not your Brevo password."),
        rate_per_minute=300,
        connections=2,
        daily_quota=300,
    ),
    Preset(
        "mailjet",
        N_("Mailjet"),
        "in-v3.mailjet.com",
        587,
        "starttls",
        N_("The user name is the API key and the password the secret key."),
        rate_per_minute=300,
        connections=2,
        daily_quota=200,
        monthly_quota=6000,
    ),
    Preset(
        "ses",
        N_("Amazon SES"),
        "email-smtp.{region}.amazonaws.com",
        587,
        "starttls",
        N_(
            "Use the SMTP credentials made in the SES console (not your AWS keys). A new "
            "account may send 200 messages a day, one per second, until AWS lifts the sandbox."
        ),
        rate_per_minute=60,
        connections=1,
        daily_quota=200,
        needs_region=True,
    ),
    Preset(
        "gmail",
        N_("Gmail"),
        "smtp.gmail.com",
        465,
        "tls",
        N_("Use an app password (Google account, Security, 2-Step Verification, App passwords)."),
        rate_per_minute=20,
        connections=1,
        daily_quota=500,
    ),
    Preset(
        "workspace",
        N_("Google Workspace"),
        "smtp.gmail.com",
        465,
        "tls",
        N_("Use an app password; Google allows about 2,000 recipients a day."),
        rate_per_minute=30,
        connections=1,
        daily_quota=2000,
    ),
    Preset(
        "outlook",
        N_("Outlook.com"),
        "smtp-mail.outlook.com",
        587,
        "starttls",
        N_("Use an app password; personal accounts may send only a few hundred messages a day."),
        rate_per_minute=10,
        connections=1,
        daily_quota=300,
    ),
    Preset(
        "microsoft365",
        N_("Microsoft 365"),
        "smtp.office365.com",
        587,
        "starttls",
        N_("SMTP AUTH must be enabled for the mailbox; 30 messages a minute at most."),
        rate_per_minute=30,
        connections=1,
        daily_quota=10000,
    ),
    Preset(
        "ovh",
        N_("OVH"),
        "ssl0.ovh.net",
        465,
        "tls",
        N_("The user name is the full email address."),
        rate_per_hour=200,
        connections=1,
    ),
    Preset(
        "orange",
        N_("Orange"),
        "smtp.orange.fr",
        465,
        "tls",
        N_("The user name is the full Orange email address."),
        rate_per_minute=10,
        connections=1,
        daily_quota=500,
    ),
    Preset(
        "free",
        N_("Free"),
        "smtp.free.fr",
        465,
        "tls",
        N_("The user name is the full Free email address."),
        rate_per_minute=10,
        connections=1,
        daily_quota=500,
    ),
    Preset(
        "ionos",
        N_("IONOS"),
        "smtp.ionos.fr",
        465,
        "tls",
        N_("The user name is the full email address."),
        rate_per_minute=20,
        connections=1,
    ),
    Preset(
        "infomaniak",
        N_("Infomaniak"),
        "mail.infomaniak.com",
        465,
        "tls",
        N_("The user name is the full email address; 1,440 messages a day on paid plans."),
        rate_per_minute=20,
        connections=1,
        daily_quota=1440,
    ),
    Preset(
        "gandi",
        N_("Gandi"),
        "mail.gandi.net",
        465,
        "tls",
        N_(
            "The user name is the full email address. Gandi mailboxes are not meant for mass "
            "mailing: keep to small lists."
        ),
        rate_per_minute=10,
        connections=1,
    ),
    Preset(
        "custom",
        N_("Custom"),
        "",
        587,
        "starttls",
        N_("Enter the settings your provider gives."),
    ),
)

_BY_KEY = {preset.key: preset for preset in PRESETS}


def preset(key: str) -> Preset:
    """The preset named ``key`` (case-insensitive); KeyError if there is none."""
    return _BY_KEY[key.lower()]


def keys() -> list[str]:
    return [p.key for p in PRESETS]
