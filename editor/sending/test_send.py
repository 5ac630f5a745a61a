""" "Send a test": the newsletter as a recipient will get it, to a few of the user's addresses.

The message is made exactly as a campaign's (the frozen copy and :class:`MessageFactory`), with
the subject prefixed « [TEST] » and the merge values of a chosen contact (a sample person when
none is chosen), over one SMTP connection for all the addresses. Nothing is stored: no
campaign, no delivery, no quota use. The unsubscribe token is the sample one, so a tester who
follows the link unsubscribes nobody.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from editor.contacts.emails import validate_address
from editor.feeds import FeedCache
from editor.i18n import _
from editor.merge import sample_values
from editor.package import BulletinFile
from editor.sending.accounts import Account
from editor.sending.connect import (
    Diagnosis,
    close_quietly,
    failure_from,
    open_connection,
    quit_quietly,
)
from editor.sending.frozen import FrozenNewsletter, freeze
from editor.sending.message import MessageFactory, Recipient, make_list_id, make_message_id
from editor.sending.tokens import SAMPLE_TOKEN

__all__ = ["TEST_PREFIX", "TestSendResult", "parse_addresses", "send_test"]

TEST_PREFIX = "[TEST]"
MAX_ADDRESSES = 20  # a test, not a way around campaigns and their consent checks


@dataclass(frozen=True)
class TestSendResult:
    """What happened for one address: ``kind`` is "ok", "invalid" or a SmtpFailure kind."""

    __test__ = False  # not a pytest test class

    address: str
    kind: str
    detail: str = ""
    code: int | None = None
    account: Account | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    @property
    def message(self) -> str:
        """One sentence in the UI language, with the fix when there is one."""
        if self.ok:
            return _("Sent to {address}.").format(address=self.address)
        if self.kind == "invalid":
            return _("{address} is not a valid email address.").format(address=self.address)
        account = self.account
        diagnosis = Diagnosis(
            False,
            self.kind,
            host=account.host if account else "",
            port=account.port if account else 0,
            security=account.security if account else "",
            sender=account.sender if account else "",
            detail=self.detail,
            code=self.code,
        )
        return _("{address}: {problem}").format(address=self.address, problem=diagnosis)


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """Addresses separated by commas, semicolons, spaces or lines: (valid ones, invalid ones).

    Each address once, in the order given; ``"Name <a@b>"`` is not accepted (only addresses).
    """
    valid: list[str] = []
    invalid: list[str] = []
    for raw in text.replace(";", ",").replace("\n", ",").replace(" ", ",").split(","):
        address = raw.strip()
        if not address or address in valid or address in invalid:
            continue
        (valid if validate_address(address)[0] is not None else invalid).append(address)
    return valid, invalid


def send_test(
    file_or_frozen: BulletinFile | FrozenNewsletter,
    account: Account,
    password: str | None,
    to: Sequence[str],
    contact: Mapping[str, Any] | None = None,
    *,
    ssl_context: ssl.SSLContext | None = None,
    feeds: FeedCache | None = None,
    progress: Callable[[TestSendResult], None] | None = None,
) -> list[TestSendResult]:
    """Send the test to each address of ``to``; one result per address, in order.

    ``contact``: the merge values to use (``first_name``, ``last_name``, ``email`` and custom
    fields, directly or under ``"fields"``); None uses a sample person. ``progress`` is called
    after each address. A newsletter that cannot be rendered raises (MergeTagError,
    FrozenError, DocumentError); SMTP problems become results, never exceptions.
    """
    if not to:
        return []
    account.validate()  # AccountError: a sentence the caller shows as it is
    if len(to) > MAX_ADDRESSES:
        raise ValueError(_("A test goes to {count} addresses at most.").format(count=MAX_ADDRESSES))
    frozen = (
        file_or_frozen
        if isinstance(file_or_frozen, FrozenNewsletter)
        else freeze(file_or_frozen, feeds if feeds is not None else FeedCache())
    )
    values = _merge_values(frozen, contact)
    domain = account.from_email.rpartition("@")[2]
    factory = MessageFactory(
        frozen,
        from_name=account.from_name or frozen.sender_name,
        from_email=account.from_email,
        reply_to=account.reply_to or frozen.reply_to,
        list_id=make_list_id(account.from_name or frozen.sender_name or "Newsletter", domain),
        campaign_uid="test",
        subject_prefix=TEST_PREFIX,
    )
    results: list[TestSendResult] = []

    def done(result: TestSendResult) -> None:
        results.append(result)
        if progress is not None:
            progress(result)

    smtp: smtplib.SMTP | None = None
    for index, address in enumerate(to, start=1):
        if validate_address(address)[0] is None:
            done(TestSendResult(address, "invalid", account=account))
            continue
        recipient = Recipient(
            delivery_id=index,
            contact_id=0,
            email=address,
            first_name=str(values.get("first_name", "")),
            last_name=str(values.get("last_name", "")),
            token=SAMPLE_TOKEN,
        )
        message = factory.build(recipient, make_message_id("test", index, domain), values=values)
        try:
            if smtp is None:
                smtp = open_connection(account, password, ssl_context=ssl_context)
            smtp.sendmail(account.sender, [address], message)
        except Exception as exc:  # classified: the user reads why, per address
            failure = failure_from(exc)
            done(TestSendResult(address, failure.kind, failure.reply, failure.code, account))
            if smtp is None:  # could not connect or log in: the same for every address
                for rest in to[index:]:
                    kind = "invalid" if validate_address(rest)[0] is None else failure.kind
                    done(TestSendResult(rest, kind, failure.reply, failure.code, account))
                break
            if failure.kind in ("dropped", "timeout"):
                close_quietly(smtp)
                smtp = None  # the next address gets a new connection
            continue
        done(TestSendResult(address, "ok", account=account))
    if smtp is not None:
        quit_quietly(smtp)
    return results


def _merge_values(frozen: FrozenNewsletter, contact: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values the test is personalised with: the contact's, else a sample person's."""
    if contact is None:
        return dict(sample_values(frozen.merge_fields()))
    values: dict[str, Any] = {}
    nested = contact.get("fields")
    if isinstance(nested, Mapping):
        values.update({str(k): str(v) for k, v in nested.items()})
    values.update({k: v for k, v in contact.items() if k != "fields"})
    for name in ("first_name", "last_name", "email"):
        values[name] = str(values.get(name) or "")
    return values
