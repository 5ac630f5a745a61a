"""Contacts: the SQLite store, file readers, the import pipeline and the GDPR tools."""
