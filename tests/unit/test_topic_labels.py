"""Topics read as labels: "us-foreign-policy" is "US foreign policy", never the key as typed."""
from __future__ import annotations

import pytest

from factlog.claims.topics import topic_label


@pytest.mark.parametrize("key, label", [
    ("us-foreign-policy", "US foreign policy"), ("south-korea", "South Korea"), ("north-korea", "North Korea"),
    ("ukraine", "Ukraine"), ("weapons", "Weapons"), ("polls", "Polls"), ("nato-summit", "NATO summit"),
    ("un-security-council", "UN Security Council"), ("eu_energy", "EU energy"), ("covid-19", "COVID-19"),
    ("iran-nuclear-deal", "Iran nuclear deal"), ("middle-east", "Middle East"),
    ("red-sea-shipping", "Red Sea shipping"), ("indo-pacific", "Indo-Pacific"), ("east-asia", "East Asia"),
    ("southern-border", "Southern border"), ("us-2024-election", "US 2024 election"),
    ("houthis", "Houthis"), ("  climate  change ", "Climate change"),
])
def test_a_key_reads_as_a_label_with_acronyms_and_names_capitalised(key, label):
    assert topic_label(key) == label


def test_a_key_the_editor_capitalised_is_its_own_label():
    assert topic_label("Strait of Hormuz") == "Strait of Hormuz"
    assert topic_label("G7-Italy") == "G7-Italy"
