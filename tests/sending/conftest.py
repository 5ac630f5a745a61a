"""Sending tests: a real SMTP server and a real keychain live in ``tests/smtp_server.py`` and
``tests/keychain.py``; each test module imports the fixtures it needs."""
