"""Reading what comes back after a campaign: bounces, complaints, unsubscribe replies, auto-replies.

:mod:`~editor.inbox.classify` says what a raw message is (pure, no database);
:mod:`~editor.inbox.process` ties it to a contact and campaign and applies the rules of issue 11
(never changing an address that is not a contact); :mod:`~editor.inbox.review` keeps what could
not be classified for the user to decide. The mailboxes, the IMAP sync and the imports feed raw
messages to :func:`editor.inbox.process.process_message`.
"""
