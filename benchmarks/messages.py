"""Per-recipient message cost: the campaign's fast factory against the email package's path.

Run: ``uv run python benchmarks/messages.py``. Uses the 12-block newsletter of
``benchmarks/render.py`` (one 1200×600 PNG, about 25 KB of HTML), frozen once, then builds
messages for distinct recipients (each with a name, a custom field and a token):

- fast: :class:`editor.sending.message.MessageFactory` (static parts made once per campaign);
- reference: :func:`editor.render.mime.build_message` then ``as_bytes()`` (the email package).

Prints medians of several rounds, in milliseconds per recipient, and the ratio.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.render import IMG, image, newsletter
from editor.package import BulletinFile
from editor.render.context import unsubscribe_mailto_template
from editor.render.mime import build_message
from editor.sending.frozen import freeze
from editor.sending.message import MessageFactory, Recipient, make_message_id
from editor.sending.tokens import new_token

FAST_COUNT = 2000
SLOW_COUNT = 60
ROUNDS = 5


def main() -> None:
    file = BulletinFile(newsletter(), {IMG: image()})
    frozen = freeze(file)
    sender = file.newsletter.sender
    people = [
        Recipient(
            i, i, f"client{i}@example.com", "Zoé", f"Durand{i}", {"city": "Lyon"}, new_token()
        )
        for i in range(FAST_COUNT)
    ]
    factory = MessageFactory(
        frozen,
        from_name=sender.name,
        from_email=sender.email,
        reply_to=sender.reply_to,
        list_id=sender.name,
        campaign_uid="bench",
    )
    ids = [make_message_id("bench", p.delivery_id, "boulangerie.example") for p in people]

    def fast() -> float:
        start = time.perf_counter()
        for person, message_id in zip(people, ids, strict=True):
            factory.build(person, message_id)
        return (time.perf_counter() - start) / FAST_COUNT * 1000

    mailto = unsubscribe_mailto_template(file.newsletter)

    def slow() -> float:
        start = time.perf_counter()
        for person in people[:SLOW_COUNT]:
            contact = {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "city": "Lyon",
                "unsubscribe_token": person.token,
            }
            build_message(
                frozen.rendered,
                sender_name=sender.name,
                sender_email=sender.email,
                reply_to=sender.reply_to,
                images=file.images,
                contact=contact,
                unsubscribe_mailto=mailto,
            ).as_bytes()
        return (time.perf_counter() - start) / SLOW_COUNT * 1000

    setup = time.perf_counter()
    MessageFactory(
        frozen,
        from_name=sender.name,
        from_email=sender.email,
        list_id=sender.name,
        campaign_uid="setup",
    )
    setup_ms = (time.perf_counter() - setup) * 1000
    size = len(factory.build(people[0], ids[0]))
    fast_ms = statistics.median(fast() for _ in range(ROUNDS))
    slow_ms = statistics.median(slow() for _ in range(ROUNDS))
    print(f"message size: {size / 1024:.1f} KB (HTML {len(frozen.rendered.html) / 1024:.1f} KB)")
    print(f"factory setup (once per campaign): {setup_ms:.2f} ms")
    print(f"fast factory:   {fast_ms:.3f} ms per recipient")
    print(f"email package:  {slow_ms:.3f} ms per recipient")
    print(f"ratio: {slow_ms / fast_ms:.0f}x")


if __name__ == "__main__":
    main()
