"""Contracts shared by every newswire stage: messages, event records and database tables.

This package imports nothing else of ours and does no I/O (a test pins both).
"""
