"""The element-set digest: a save moves it in constant time to exactly what a computation from scratch gives."""

from __future__ import annotations

import random

from factorysec.workspace.factories.digests import (
    EMPTY,
    LABEL_PREFIX,
    LANES,
    accumulate,
    add,
    element_digest,
    from_text,
    label,
    model_label,
    remove,
    to_text,
)

ELEMENTS = [("assets", {"id": f"plc-{n}", "name": f"PLC {n}", "zone": "production"}) for n in range(40)]


def test_the_element_digest_is_canonical_json_of_section_and_payload() -> None:
    assert element_digest("assets", {"a": 1, "b": [2, "x"]}) == element_digest("assets", {"b": [2, "x"], "a": 1})
    assert element_digest("assets", {"id": "x"}) != element_digest("zones", {"id": "x"})
    assert element_digest("assets", {"id": "x"}) != element_digest("assets", {"id": "y"})


def test_removing_what_was_added_gives_back_the_same_accumulator_in_any_order() -> None:
    digests = [element_digest(section, payload) for section, payload in ELEMENTS]
    whole = accumulate(digests)
    shuffled = digests[:]
    random.Random(7).shuffle(shuffled)
    assert accumulate(shuffled) == whole
    assert remove(whole, digests[5]) == accumulate(digests[:5] + digests[6:])
    assert remove(add(whole, digests[0]), digests[0]) == whole
    emptied = whole
    for digest in shuffled:
        emptied = remove(emptied, digest)
    assert emptied == EMPTY


def test_a_changed_or_duplicated_element_changes_the_label() -> None:
    base = model_label(ELEMENTS)
    changed = ELEMENTS[:3] + [("assets", ELEMENTS[3][1] | {"name": "PLC 3 (replaced)"})] + ELEMENTS[4:]
    assert model_label(changed) != base
    assert model_label([*ELEMENTS, ELEMENTS[0]]) != base, "a multiset: an element twice is not the element once"
    assert model_label(ELEMENTS[1:]) != base
    assert model_label(list(reversed(ELEMENTS))) == base, "the order of entries is not covered"


def test_the_stored_text_round_trips_and_the_label_has_the_audit_field_width() -> None:
    whole = accumulate(element_digest(section, payload) for section, payload in ELEMENTS)
    text = to_text(whole)
    assert len(text) == 4 * LANES and from_text(text) == whole and from_text("") == EMPTY
    found = label(whole)
    assert found.startswith(LABEL_PREFIX) and len(found) == 64 and found != label(EMPTY)
    assert int(text[:4], 16) < 2**16 and any(c != "0" for c in text), "lanes are 16-bit numbers, not all zero"
