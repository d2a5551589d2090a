"""Verdict scales: configurable, each rating with a value from 0 (false) to 1 (true), or none."""
from __future__ import annotations

import pytest

from factlog.claims.verdict_scales import DEFAULT_SCALE, load_scales, scales_from_mapping


def test_the_default_scale_runs_from_true_to_pants_on_fire_and_unproven_has_no_truth_value():
    assert DEFAULT_SCALE.slugs() == ["true", "mostly-true", "half-true", "mostly-false", "false",
                                     "pants-on-fire", "unproven"]
    assert DEFAULT_SCALE.rating("true").value == 1.0 and DEFAULT_SCALE.rating("unproven").value is None


def test_scales_load_from_a_yaml_file(tmp_path):
    path = tmp_path / "scales.yaml"
    path.write_text("desk:\n  - {slug: accurate, label: Accurate, value: 1}\n  - {slug: wrong, value: 0}\n")
    scale = load_scales(path)["desk"]
    assert [(r.slug, r.label, r.value) for r in scale.ratings] == [("accurate", "Accurate", 1.0),
                                                                    ("wrong", "wrong", 0.0)]


@pytest.mark.parametrize("data, message", [
    ({"desk": []}, "scale 'desk': list its ratings"),
    ({"desk": [{"label": "x"}]}, "scale 'desk': every rating needs a slug"),
    ({"desk": [{"slug": "odd", "value": 1.5}]}, "scale 'desk', rating 'odd': value must be between 0 and 1"),
    ({"desk": [{"slug": "a", "value": 1}, {"slug": "a", "value": 0}]},
     "scale 'desk': rating 'a' is listed twice"),
])
def test_a_bad_scale_is_refused_naming_the_scale_and_rating(data, message):
    with pytest.raises(ValueError) as caught:
        scales_from_mapping(data)
    assert message in str(caught.value)
