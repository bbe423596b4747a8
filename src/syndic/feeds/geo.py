"""GeoRSS: where a story is about, for a reader that puts entries on a map.

GeoRSS comes in two spellings: "Simple" (`georss:point`, `georss:line`,
`georss:polygon`, `georss:box`: latitude-longitude pairs separated by
spaces) and GML inside `georss:where` (`gml:Point/gml:pos`,
`gml:LineString/gml:posList`, `gml:Polygon` with its exterior ring). Both
become a `Geo` in GeoJSON's order, longitude first. A GML geometry in
another coordinate system (`srsName="EPSG:26913"`, a UTM zone) is kept in
the order it was written, since only WGS84's latitude-longitude order is
known to need swapping. Numbers that do not parse make no geometry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from syndic.feeds.names import element_key
from syndic.types import Geo, Position

if TYPE_CHECKING:
    from syndic.feeds.elements import Collector, Fields

_WGS84 = ("", "epsg:4326", "urn:ogc:def:crs:epsg:6.6:4326", "urn:ogc:def:crs:epsg::4326",
          "urn:ogc:def:crs:epsg:6.6:4979", "urn:ogc:def:crs:epsg::4979", "wgs84")  # fmt: skip
_MAX_POSITIONS = 10_000


def _positions(text: str | None, dimension: int, swap: bool) -> tuple[Position, ...] | None:
    try:
        numbers = [float(part) for part in (text or "").split()]
    except ValueError:
        return None
    if not numbers or len(numbers) % dimension or len(numbers) > _MAX_POSITIONS * dimension:
        return None
    if not all(math.isfinite(n) for n in numbers):
        return None
    out = []
    for i in range(0, len(numbers), dimension):
        position = numbers[i : i + dimension]
        if swap:
            position[0], position[1] = position[1], position[0]
        out.append(tuple(position))
    return tuple(out)


_Handler = Callable[["Collector", "Fields", etree._Element], None]


def _simple(kind: str) -> _Handler:
    def handler(c: Collector, f: Fields, e: etree._Element) -> None:
        positions = _positions(e.text, 2, swap=True)
        if positions is None:
            return
        if kind == "Point":
            f.where = Geo(kind, positions[0])
        elif kind == "Polygon":
            if len(positions) >= 4:  # a ring closes on its first position: four at least
                f.where = Geo(kind, (positions,))
        else:
            f.where = Geo(kind, positions)

    return handler


def _where(c: Collector, f: Fields, e: etree._Element) -> None:
    """`georss:where`: one GML geometry."""
    for geometry in e:
        if _geometry(f, geometry):
            return


def _gml(c: Collector, f: Fields, e: etree._Element) -> None:
    """A GML geometry written straight into the entry, without `georss:where` around it."""
    _geometry(f, e)


def _geometry(f: Fields, geometry: etree._Element) -> bool:
    """Read one GML geometry into `f.where`; whether it was one."""
    kind = element_key(geometry)
    if kind not in ("gml:Point", "gml:LineString", "gml:Polygon", "gml:Envelope"):
        return False
    srs = (geometry.get("srsName") or "").strip().lower()
    swap = srs in _WGS84
    try:
        dimension = int(geometry.get("srsDimension") or 2)
    except ValueError:
        return False
    if dimension not in (2, 3):
        return False
    rings: list[tuple[Position, ...]] = []
    for node in geometry.iter():
        if element_key(node) in ("gml:pos", "gml:posList", "gml:lowerCorner", "gml:upperCorner"):
            positions = _positions(node.text, dimension, swap)
            if positions is None:
                return False
            rings.append(positions)
    if not rings:
        return False
    if kind == "gml:Point":
        f.where = Geo("Point", rings[0][0])
    elif kind == "gml:LineString":
        f.where = Geo("LineString", rings[0])
    elif kind == "gml:Polygon":
        if any(len(ring) < 4 for ring in rings):
            return False  # a ring closes on its first position: four at least
        f.where = Geo("Polygon", tuple(rings))
    else:
        f.where = Geo("Box", tuple(r[0] for r in rings))
    return True


HANDLERS: dict[str, _Handler] = {
    "georss:point": _simple("Point"),
    "georss:line": _simple("LineString"),
    "georss:polygon": _simple("Polygon"),
    "georss:box": _simple("Box"),
    "georss:where": _where,
    "gml:Point": _gml,
    "gml:LineString": _gml,
    "gml:Polygon": _gml,
}
