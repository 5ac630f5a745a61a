"""Optional open and click measurement through an endpoint the user hosts, for consenting
contacts only (CNIL), shown as aggregates."""
