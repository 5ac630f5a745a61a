"""Sending newsletters through the user's own SMTP service: accounts, messages, campaigns."""
