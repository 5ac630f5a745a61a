"""Optional open and click measurement through an endpoint the user hosts, for consenting
contacts only (CNIL), shown as aggregates.

Off by default. The pieces: :mod:`.settings` (the endpoint's address, its secret in the
keychain), :mod:`.consent` (who agreed to be measured), :mod:`.links` (signing, the pixel and the
wrapped links of one consenting recipient's message), :mod:`.campaign` (a campaign's decision
and its recipients' tokens, taken when it runs), :mod:`.fetch` (reading events back),
:mod:`.aggregates` (counts and rates, never a per-person list) and :mod:`.endpoint` (the PHP file
the user uploads). This package's ``__init__`` stays light: the schema step imports it.
"""


class TrackingError(Exception):
    """Measurement that cannot be set up, used or read back (a sentence for the user)."""
