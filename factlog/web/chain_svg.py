"""The attribution picture's geometry: speaker on the left, the outlets it passed through, the pages we read.

Drawn twice: across (columns, for a wide page) and down (one box per row, for a phone), and the stylesheet
shows the one that fits the picture's box without scrolling. Pure: reports in, boxes and curves out; ``templates/partials/chain_svg.html`` draws them (so every name and
URL is escaped by the template engine). Reports that share the start of their path (two pages citing the
same Reuters story) share those boxes, so the picture is a tree rooted at the speaker.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

NODE_WIDTH = 232
NODE_HEIGHT = 72
COLUMN_GAP = 100  # room for the relation label on the curve
ROW_GAP = 22
MARGIN = 12
NAME_CHARS = 25  # what fits in a box at the picture's font sizes (bold 14px, 12px)
DETAIL_CHARS = 31
# Down: a box per row, at about a phone's width (the picture scales to its box, so this sets the text size).
DOWN_NODE_WIDTH = 300
DOWN_ROW_GAP = 34  # room for the relation label beside the arrow
BRANCH_INDENT = 44  # reports that branch from one box are indented under it, like a file tree
TRUNK = 20  # where the arrows leave a box, from its left edge

# A link's relation says how it attributes the claim to the next link toward the speaker ("QiOSK citing
# the Times"); the picture runs the other way, from the speaker outwards, so the words are turned round.
FLOW_WORDS = {"citing": "cited by", "quoting": "quoted by", "told": "told", "republishing": "republished by"}


@dataclass(frozen=True)
class Hop:
    """One source in a chain as the picture shows it."""

    key: str  # the source id
    name: str
    kind: str
    relation: str | None = None  # this link's relation to the next one toward the speaker
    url: str | None = None
    date: str | None = None  # the publication date as displayed
    headline: str | None = None


@dataclass
class Node:
    hop: Hop
    depth: int
    role: str  # "speaker", "relay" (passes it on) or "publication" (a page we read)
    first: bool = False  # the outlet that published it first
    x: float = 0
    y: float = 0
    children: list[Node] = field(default_factory=list)
    width: int = NODE_WIDTH

    @property
    def name_line(self) -> str:
        return truncate(self.hop.name, NAME_CHARS * self.width // NODE_WIDTH)

    @property
    def kind_line(self) -> str:
        return self.hop.kind.replace("_", " ")

    @property
    def date_line(self) -> str:
        return truncate(self.hop.date or "", DETAIL_CHARS * self.width // NODE_WIDTH)

    @property
    def link(self) -> str | None:
        url = self.hop.url or ""
        return url if url.startswith(("https://", "http://")) else None

    @property
    def height(self) -> int:
        return NODE_HEIGHT


@dataclass(frozen=True)
class Edge:
    path: str  # SVG path data
    label: str
    label_x: float
    label_y: float
    label_anchor: str = "middle"


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    down: Picture | None = None  # the same tree, one box per row, for a narrow page

    @property
    def columns(self) -> int:
        """How many boxes wide: the stylesheet lets a picture shrink to fit, but only so far (by columns)."""
        return 1 + max((node.depth for node in self.nodes), default=0)

    @property
    def description(self) -> str:
        """The picture in words, for screen readers: one sentence per path from the speaker."""
        sentences = []
        for path in _paths(self.nodes[0]) if self.nodes else []:
            words = [path[0].hop.name]
            for node in path[1:]:
                words += [flow_word(node.hop.relation), node.hop.name]
            sentences.append(" ".join(words) + ".")
        return " ".join(sentences)


def flow_word(relation: str | None) -> str:
    return FLOW_WORDS.get(relation or "", "carried by")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def layout(speaker: Hop, chains: Sequence[Sequence[Hop]], *, first_key: str | None = None) -> Picture:
    """Place the speaker and each report's chain (publication first, as recorded) left to right, and
    (as ``down``) top to bottom."""
    return replace(_across(_tree(speaker, chains, first_key)),
                   down=_down(_tree(speaker, chains, first_key, width=DOWN_NODE_WIDTH)))


def _tree(speaker: Hop, chains: Sequence[Sequence[Hop]], first_key: str | None, width: int = NODE_WIDTH) -> Node:
    root = Node(speaker, 0, "speaker", width=width)
    for chain in chains:
        hops = list(chain)
        if hops and hops[-1].key == speaker.key:  # the speaker's own publication is the speaker's box
            own = hops.pop()
            root.hop = Hop(speaker.key, speaker.name, speaker.kind, None, own.url or root.hop.url,
                           own.date or root.hop.date, own.headline or root.hop.headline)
        parent = root
        for hop in reversed(hops):
            node = next((child for child in parent.children if child.hop.key == hop.key), None)
            if node is None:
                node = Node(hop, parent.depth + 1, "relay", width=width)
                parent.children.append(node)
            parent = node
        if parent is not root:
            parent.role = "publication"
    for node in _walk(root):
        node.first = first_key is not None and node.hop.key == first_key and node.depth > 0
    return root


def _across(root: Node) -> Picture:
    nodes = _walk(root)
    _place(root, [0])
    depth = max(node.depth for node in nodes)
    leaves = sum(1 for node in nodes if not node.children)
    width = 2 * MARGIN + (depth + 1) * NODE_WIDTH + depth * COLUMN_GAP
    height = 2 * MARGIN + leaves * NODE_HEIGHT + (leaves - 1) * ROW_GAP
    edges = tuple(_edge(parent, child) for parent in nodes for child in parent.children)
    return Picture(width, height, tuple(nodes), edges)


def _down(root: Node) -> Picture:
    """One box per row in reading order; a box's only child sits straight below it, several are indented."""
    nodes = _walk(root)
    _place_down(root, 0, [0])
    width = 2 * MARGIN + max(node.x - MARGIN for node in nodes) + DOWN_NODE_WIDTH
    height = 2 * MARGIN + len(nodes) * NODE_HEIGHT + (len(nodes) - 1) * DOWN_ROW_GAP
    edges = tuple(_edge_down(parent, child) for parent in nodes for child in parent.children)
    return Picture(round(width), height, tuple(nodes), edges)


def _walk(node: Node) -> list[Node]:
    return [node] + [descendant for child in node.children for descendant in _walk(child)]


def _paths(node: Node) -> list[list[Node]]:
    if not node.children:
        return [[node]]
    return [[node] + path for child in node.children for path in _paths(child)]


def _place(node: Node, next_row: list[int]) -> None:
    """Leaves take the next free row; a parent sits midway between its first and last child."""
    node.x = MARGIN + node.depth * (NODE_WIDTH + COLUMN_GAP)
    if not node.children:
        node.y = MARGIN + next_row[0] * (NODE_HEIGHT + ROW_GAP)
        next_row[0] += 1
        return
    for child in node.children:
        _place(child, next_row)
    node.y = (node.children[0].y + node.children[-1].y) / 2


def _place_down(node: Node, indent: int, next_row: list[int]) -> None:
    node.x = MARGIN + indent * BRANCH_INDENT
    node.y = MARGIN + next_row[0] * (NODE_HEIGHT + DOWN_ROW_GAP)
    next_row[0] += 1
    for child in node.children:
        _place_down(child, indent + (len(node.children) > 1), next_row)


def _edge_down(parent: Node, child: Node) -> Edge:
    """Straight down to a box below; an elbow into the side of an indented one (a branch)."""
    x1, y1 = parent.x + TRUNK, parent.y + NODE_HEIGHT
    label = flow_word(child.hop.relation)
    if child.x == parent.x:
        path = f"M {x1:g} {y1:g} L {x1:g} {child.y - 6:g}"
        return Edge(path, label, x1 + 10, child.y - DOWN_ROW_GAP / 2 + 4, "start")
    y2 = child.y + NODE_HEIGHT / 2
    path = f"M {x1:g} {y1:g} L {x1:g} {y2 - 8:g} Q {x1:g} {y2:g}, {x1 + 8:g} {y2:g} L {child.x - 6:g} {y2:g}"
    return Edge(path, label, child.x + 4, child.y - DOWN_ROW_GAP / 2 + 4, "start")


def _edge(parent: Node, child: Node) -> Edge:
    x1, y1 = parent.x + NODE_WIDTH, parent.y + NODE_HEIGHT / 2
    x2, y2 = child.x - 6, child.y + NODE_HEIGHT / 2  # stop short: the arrowhead fills the gap
    bend = (x2 - x1) / 2
    path = f"M {x1:g} {y1:g} C {x1 + bend:g} {y1:g}, {x2 - bend:g} {y2:g}, {x2:g} {y2:g}"
    return Edge(path, flow_word(child.hop.relation), (x1 + x2) / 2, (y1 + y2) / 2 - 7)
