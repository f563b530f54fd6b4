"""Name resolution rules (pure), shared by every path that finds a supplier or contact."""

from __future__ import annotations

import pytest

from srmcli.errors import InvalidValueError, NotFoundError
from srmcli.naming import Named, resolve_contact, resolve_supplier

SUPPLIERS = [
    Named(1, "Northwind Metals", ("NW",)),
    Named(2, "Northern Plastics"),
    Named(3, "Acme Fasteners", ("Acme",)),
]


@pytest.mark.parametrize(
    "typed, expected",
    [("northwind metals", 1), ("NW", 1), ("nw", 1), ("acme", 3), ("Northw", 1), ("northe", 2)],
)
def test_supplier_found(typed: str, expected: int) -> None:
    assert resolve_supplier(typed, SUPPLIERS).id == expected


def test_exact_name_beats_prefix_of_another() -> None:
    pool = [Named(1, "Acme"), Named(2, "Acme Fasteners")]
    assert resolve_supplier("acme", pool).id == 1


def test_ambiguous_prefix_lists_candidates() -> None:
    with pytest.raises(NotFoundError, match="Northern Plastics, Northwind Metals"):
        resolve_supplier("north", SUPPLIERS)


def test_miss_suggests_closest() -> None:
    with pytest.raises(NotFoundError, match="Did you mean: Northwind Metals"):
        resolve_supplier("Nortwind Metals", SUPPLIERS)


def test_empty_name_and_empty_journal() -> None:
    with pytest.raises(InvalidValueError):
        resolve_supplier("  ", SUPPLIERS)
    with pytest.raises(NotFoundError, match="no suppliers yet"):
        resolve_supplier("x", [])


PEOPLE = [
    Named(1, "Alice Moreau", label="sales"),
    Named(2, "Bob Chen", label="operations"),
    Named(3, "Bob Smith", label="engineering"),
]


def test_contact_by_first_name_last_name_or_prefix() -> None:
    assert resolve_contact("alice", "NW", PEOPLE).id == 1
    assert resolve_contact("moreau", "NW", PEOPLE).id == 1
    assert resolve_contact("bob s", "NW", PEOPLE).id == 3


def test_contact_miss_lists_people_with_roles() -> None:
    with pytest.raises(NotFoundError, match=r"Alice Moreau \(sales\), Bob Chen \(operations\)"):
        resolve_contact("Zed", "NW", PEOPLE)
    with pytest.raises(NotFoundError, match="ambiguous"):
        resolve_contact("bob", "NW", PEOPLE)
    with pytest.raises(NotFoundError, match="no contacts yet"):
        resolve_contact("bob", "NW", [])
