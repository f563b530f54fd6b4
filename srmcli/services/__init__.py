"""The domain: keyword-only, verb-first functions that take a session and return plain data.

They never print or exit; they raise `SrmError` subclasses with a message a buyer can act on.
"""
