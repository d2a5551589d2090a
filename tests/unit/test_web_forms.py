"""Form posts into command-schema dicts, and schema or domain errors back beside the right fields."""
from __future__ import annotations

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from factlog.claims import RecordClaimSchema, dates
from factlog.claims.fields import PreciseDateField
from factlog.errors import DomainError
from factlog.web import forms


def form(**values) -> forms.Form:
    return forms.Form(MultiDict({name.replace("__", "-"): value for name, value in values.items()}))


def load_date(data):
    return PreciseDateField().deserialize(data)


def date_group(**values):
    return load_date(forms.precise_date(form(**{f"d__{name}": value for name, value in values.items()}), "d"))


def test_date_groups_become_precise_dates():
    assert date_group(precision="month", value="2024-10").display() == "October 2024"
    ranged = forms.precise_date(form(d__precision="range", d__value="2024-11-18", d__until="2024-11-24",
                                     d__as_written="last week"), "d")
    assert load_date(ranged) == dates.parse("2024-11-18..2024-11-24", as_written="last week")
    around = date_group(precision="approximate", value="2024-11-20", margin="3")
    assert (around.start.isoformat(), around.margin_days) == ("2024-11-17", 3)
    assert date_group(precision="unknown", value="ignored") == dates.unknown()


def test_a_date_that_contradicts_its_precision_is_refused_by_the_schema():
    try:
        load_date(forms.precise_date(form(d__precision="month", d__value="2024-11-27"), "d"))
    except ValidationError as error:
        assert "has precision day, not month" in error.messages[0]
    else:
        raise AssertionError("a day given as a month was accepted")


def test_text_keeps_what_was_typed_but_not_the_browsers_line_endings():
    posted = form(quote="“One,”\r\n  — two ", empty="")
    assert forms.text(posted, "quote") == "“One,”\n  — two "
    assert forms.text(posted, "empty") is None
    assert forms.topics(form(topics=" russia, ,ukraine ,")) == ["russia", "ukraine"]


def test_chain_rows_are_found_in_the_post_and_blank_rows_skipped():
    posted = form(links__0__source__name="QiOSK", links__3__relation="citing",
                  links__3__published_on__precision="day")
    assert forms.link_rows(posted) == [0, 3]
    assert forms.link_rows(form(), 2) == [0, 1]
    assert not forms.link_row_blank(posted, 0) and forms.link_row_blank(posted, 3)


def test_schema_errors_land_on_the_form_rows_they_came_from():
    try:
        RecordClaimSchema().load({"summary": "", "cue": "whispered", "report": {"links": [
            {"source_id": "not-a-uuid"},
            {"source_id": "00000000-0000-0000-0000-000000000001", "url": "ftp://x"}]}})
    except ValidationError as error:
        errors = forms.schema_errors(error.messages, {"links": [0, 3]})
    assert errors["summary"] == ["May not be blank."]
    assert errors["speaker"] == ["Required."]
    assert errors["cue"][0].startswith("Must be one of")
    assert errors["links-0-source"] == ["Not a valid UUID."]
    assert errors["links-3-url"] == ["Not a valid http or https URL."]


def test_domain_errors_become_sentences_beside_their_field():
    loop = DomainError("the chain loops: 'QiOSK' appears at links 1 and 3", field="report")
    assert forms.domain_error(loop) == {"links": ["The chain loops: 'QiOSK' appears at links 1 and 3."]}
    missing = DomainError("no claim x", field="claim_id")
    assert forms.domain_error(missing) == {forms.FORM_ERROR: ["No claim x."]}
    assert forms.field_name(("evidence", 1, "url"), {"evidence": [0, 2]}) == "evidence-2-url"


def test_the_error_summary_names_each_field_as_the_form_shows_it():
    from factlog.web.pages import field_label

    assert field_label("links-3-url", [0, 3]) == "Link 2, address"
    assert field_label("links-0-source") == "Link 1, outlet"
    assert field_label("evidence-1-url") == "Evidence 2, address"
    assert field_label("summary") == "Summary" and field_label("said_on") == "Said on"


def test_a_pickers_own_message_is_kept_over_the_schemas_required():
    posted = form()
    posted.add_error("links-0-source", "No source is called “Reuter” yet.")
    posted.merge({"links-0-source": ["Required."], "summary": ["Required."]}, keep_first=True)
    assert posted.errors == {"links-0-source": ["No source is called “Reuter” yet."], "summary": ["Required."]}
