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


ACCENTED = [
    Named(1, "M\u00fcller Gie\u00dferei", ("M\u00fcG",)),
    Named(2, "Acme Fasteners"),
    Named(3, "Bren\u00e9 Ti\u00e9ge"),
    Named(4, "Br\u00e9ne Tiege"),
]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("muller giesserei", 1),  # accents ignored when the name is typed without them
        ("Muller", 1),  # and in a unique prefix
        ("mug", 1),  # and in an alias
        ("m\u00fcller", 1),
        ("bren\u00e9 ti\u00e9ge", 3),  # an exact match beats the loose ones
        ("bren\u00e9", 3),  # and so does a prefix typed with its accents
    ],
)
def test_supplier_found_ignoring_accents(typed: str, expected: int) -> None:
    assert resolve_supplier(typed, ACCENTED).id == expected


def test_a_name_two_suppliers_share_without_accents_is_ambiguous() -> None:
    with pytest.raises(NotFoundError, match="ambiguous: it could be Bren\u00e9 Ti\u00e9ge, Br"):
        resolve_supplier("brene tiege", ACCENTED)
    with pytest.raises(NotFoundError, match="ambiguous"):
        resolve_supplier("brene t", ACCENTED)


def test_the_accented_name_is_preferred_when_it_was_typed() -> None:
    pool = [Named(1, "Muller AG"), Named(2, "M\u00fcller GmbH")]
    assert resolve_supplier("M\u00fcller", pool).id == 2
    assert resolve_supplier("Muller", pool).id == 1


def test_contact_found_ignoring_accents() -> None:
    people = [Named(1, "J\u00fcrgen Wei\u00df"), Named(2, "Ren\u00e9e Dupr\u00e9")]
    assert resolve_contact("Jurgen", "Acme", people).id == 1
    assert resolve_contact("jurgen weiss", "Acme", people).id == 1
    assert resolve_contact("dupre", "Acme", people).id == 2
    twins = [Named(1, "Ren\u00e9 Roy"), Named(2, "Rene Roy")]
    assert resolve_contact("Ren\u00e9 Roy", "Acme", twins).id == 1
    with pytest.raises(NotFoundError, match="ambiguous"):
        resolve_contact("rene r", "Acme", [Named(1, "Ren\u00e9 Roy"), Named(2, "Ren\u00e8 Rey")])
