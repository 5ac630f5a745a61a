"""The rule registry: every spam rule is a small object declared once, in the way SpamAssassin's
rule files and Mailman 3's rule plug-ins are.

A rule has an id, the points it costs, a severity, a translatable message and fix (registered
with :mod:`editor.findings` under ``spam.<id>``), a ``check(view)`` and, when a safe one exists,
a one-click fix. Rules are written as functions returning :class:`Hit`\\ s and declared with the
:func:`rule` decorator; :mod:`editor.spam.rules` imports every rule module, so importing it
fills :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from editor import findings
from editor.findings import Finding, Param, Params, Severity
from editor.spam.model import ScoredFinding
from editor.spam.view import MessageView

CODE_PREFIX = "spam."


@dataclass(frozen=True)
class Hit:
    """One place a rule fired: the block (None: the whole message), the parameters the
    wording needs, and the points when they differ from the rule's (graded rules)."""

    block: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    points: float | None = None


Check = Callable[[MessageView], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One rule. ``mirrors`` names the SpamAssassin rules or rspamd symbols it models ("" when
    neither filter has it: its docstring then says what mailbox providers do)."""

    id: str
    points: float
    severity: Severity
    mirrors: str
    test: Check
    doc: str

    @property
    def code(self) -> str:
        return CODE_PREFIX + self.id

    def check(self, view: MessageView) -> list[ScoredFinding]:
        """The rule's findings on ``view`` (an empty list when it does not fire)."""
        out = []
        for hit in self.test(view):
            finding = Finding(
                self.code,
                self.severity,
                hit.block,
                tuple(sorted(hit.params.items())),
            )
            points = self.points if hit.points is None else hit.points
            out.append(ScoredFinding(finding, points, self.id))
        return out


RULES: dict[str, Rule] = {}


class _Lenient(dict[str, Param]):
    """Parameters where a missing one reads "…" (a finding cached by an older version)."""

    def __missing__(self, key: str) -> Param:
        return "…"


def _lenient(word: Callable[[Params], str]) -> Callable[[Params], str]:
    return lambda params: word(_Lenient(params))


def rule(
    rule_id: str,
    points: float,
    severity: Severity,
    *,
    mirrors: str,
    message: Callable[[Params], str],
    fix: Callable[[Params], str],
) -> Callable[[Check], Check]:
    """Declare a rule: register its finding wording and add it to :data:`RULES`."""

    def declare(test: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"spam rule declared twice: {rule_id}")
        findings.register(CODE_PREFIX + rule_id, severity, _lenient(message), _lenient(fix))
        RULES[rule_id] = Rule(
            rule_id, points, severity, mirrors, test, (test.__doc__ or "").strip()
        )
        return test

    return declare


def all_rules() -> list[Rule]:
    """Every rule, in declaration order (importing the rule modules on first use)."""
    import editor.spam.rules  # noqa: F401  (fills RULES)

    return list(RULES.values())
