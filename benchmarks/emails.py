"""Address checks benchmark: the fast path of editor/contacts/emails.py against email-validator.

Run: ``uv run python benchmarks/emails.py [REPEAT]`` (default 5: each figure is the median of
the runs). Plain ASCII addresses (the fast path), ASCII names on accented domains (the domain verdict
cached), and email-validator alone on the same plain addresses, in µs per address.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from email_validator import validate_email

from editor.contacts import emails
from editor.contacts.emails import check_email

COUNT = 20_000
PLAIN = [f"prenom{i}.nom@domaine{i % 300}.fr" for i in range(COUNT)]
ACCENTED = [f"jean{i}@café{i % 300}.fr" for i in range(COUNT)]  # domain verdict cached


def per_address(check: Callable[[str], object], addresses: list[str], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        emails._domain_verdict.cache_clear()
        emails._plain_domain.cache_clear()
        start = time.perf_counter()
        for address in addresses:
            check(address)
        runs.append((time.perf_counter() - start) / len(addresses) * 1e6)
    return runs


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    fast = per_address(check_email, PLAIN, repeat)
    accented = per_address(check_email, ACCENTED, repeat)
    reference = per_address(lambda a: validate_email(a, check_deliverability=False), PLAIN, repeat)
    for label, runs in (
        ("check_email, plain ASCII", fast),
        ("check_email, accented domain", accented),
        ("email-validator, plain ASCII", reference),
    ):
        print(f"{label:30} {statistics.median(runs):7.2f} µs/address (best {min(runs):.2f})")
    print(f"fast path: {statistics.median(reference) / statistics.median(fast):.0f}x faster")


if __name__ == "__main__":
    main()
