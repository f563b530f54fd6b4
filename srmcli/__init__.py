"""srm: a supplier-relationship journal for procurement buyers."""

__version__ = "0.1.0"
