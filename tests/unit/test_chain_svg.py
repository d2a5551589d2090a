"""The attribution picture's geometry: speaker left, outlets in columns, shared hops drawn once."""
from __future__ import annotations

from factlog.web import chain_svg
from factlog.web.chain_svg import COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, Hop, layout

BROWN = Hop("brown", "Nick Brown", "person")
NYT = Hop("nyt", "The New York Times", "outlet", relation="citing")
QIOSK = Hop("qiosk", "QiOSK", "outlet", relation="quoting", url="https://example.org/qiosk",
            date="27 November 2024")
AP = Hop("ap", "Associated Press", "outlet", relation="republishing")


def test_a_chain_runs_from_the_speaker_to_the_page_we_read():
    picture = layout(BROWN, [[QIOSK, NYT]], first_key="nyt")
    speaker, times, qiosk = picture.nodes
    assert [node.hop.name for node in picture.nodes] == ["Nick Brown", "The New York Times", "QiOSK"]
    assert [node.role for node in picture.nodes] == ["speaker", "relay", "publication"]
    assert times.first and not qiosk.first
    column = NODE_WIDTH + COLUMN_GAP
    assert [node.x for node in picture.nodes] == [12, 12 + column, 12 + 2 * column]
    assert speaker.y == times.y == qiosk.y
    assert picture.width == qiosk.x + NODE_WIDTH + 12 and picture.height == NODE_HEIGHT + 24
    # the relation is the outlet's, read in the picture's direction: the Times cites Brown, QiOSK quotes it
    assert [edge.label for edge in picture.edges] == ["cited by", "quoted by"]
    assert picture.description == "Nick Brown cited by The New York Times quoted by QiOSK."


def test_reports_sharing_an_outlet_branch_from_one_box():
    picture = layout(BROWN, [[QIOSK, NYT], [AP, NYT]])
    assert [node.hop.key for node in picture.nodes] == ["brown", "nyt", "qiosk", "ap"]
    speaker, times, qiosk, ap = picture.nodes
    assert len(picture.edges) == 3
    assert qiosk.y < ap.y and times.y == (qiosk.y + ap.y) / 2 == speaker.y
    assert picture.height == 2 * NODE_HEIGHT + chain_svg.ROW_GAP + 24


def test_a_speaker_that_publishes_is_its_own_box_with_its_link():
    reuters = Hop("reuters", "Reuters", "outlet")
    own_page = Hop("reuters", "Reuters", "outlet", url="https://reuters.example/plant",
                   date="20 November 2024")
    picture = layout(reuters, [[Hop("qiosk", "QiOSK", "outlet", relation="citing"), own_page]])
    speaker, qiosk = picture.nodes
    assert (speaker.hop.key, speaker.link, speaker.date_line) == ("reuters", "https://reuters.example/plant",
                                                                  "20 November 2024")
    assert qiosk.role == "publication" and picture.edges[0].label == "cited by"


def test_long_names_are_shortened_and_only_web_addresses_become_links():
    long_name = Hop("x", "The Associated Press-NORC Center for Public Affairs Research", "organization",
                    url="javascript:alert(1)")
    [_, node] = layout(BROWN, [[long_name]]).nodes
    assert node.name_line.endswith("…") and len(node.name_line) == chain_svg.NAME_CHARS
    assert node.link is None and node.hop.name in node.hop.name  # the full name stays for the tooltip


def test_a_claim_without_reports_is_the_speaker_alone():
    picture = layout(BROWN, [])
    assert len(picture.nodes) == 1 and picture.edges == ()


def test_drawn_down_a_chain_is_one_column_of_boxes_each_below_the_one_it_cites():
    down = layout(BROWN, [[QIOSK, NYT]], first_key="nyt").down
    speaker, times, qiosk = down.nodes
    assert [node.hop.name for node in down.nodes] == ["Nick Brown", "The New York Times", "QiOSK"]
    assert speaker.x == times.x == qiosk.x == 12 and speaker.y < times.y < qiosk.y
    assert all(node.width == chain_svg.DOWN_NODE_WIDTH for node in down.nodes)
    assert down.width == chain_svg.DOWN_NODE_WIDTH + 24  # as narrow as a box: a phone shows it whole
    assert down.height == 3 * NODE_HEIGHT + 2 * chain_svg.DOWN_ROW_GAP + 24
    assert [edge.label for edge in down.edges] == ["cited by", "quoted by"]
    assert times.first and down.description == layout(BROWN, [[QIOSK, NYT]]).description
    # each arrow runs straight down from a box into the top of the next one
    assert down.edges[0].path == f"M 32 {12 + NODE_HEIGHT} L 32 {times.y - 6:g}"


def test_drawn_down_reports_that_branch_are_indented_under_the_box_they_share():
    down = layout(BROWN, [[QIOSK, NYT], [AP, NYT]]).down
    speaker, times, qiosk, ap = down.nodes
    assert times.x == speaker.x and qiosk.x == ap.x == times.x + chain_svg.BRANCH_INDENT
    assert speaker.y < times.y < qiosk.y < ap.y
    assert down.width == chain_svg.BRANCH_INDENT + chain_svg.DOWN_NODE_WIDTH + 24
    assert [edge.label for edge in down.edges] == ["cited by", "quoted by", "republished by"]
    assert all(box.x + box.width <= down.width for box in down.nodes)


def test_wider_boxes_drawn_down_keep_more_of_a_long_name():
    long_name = Hop("x", "The Associated Press-NORC Center for Public Affairs Research", "organization")
    picture = layout(BROWN, [[long_name]])
    across, down = picture.nodes[1].name_line, picture.down.nodes[1].name_line
    assert len(across) == chain_svg.NAME_CHARS < len(down) and down.endswith("…")
