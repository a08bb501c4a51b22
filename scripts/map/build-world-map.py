#!/usr/bin/env python3
"""Converts Natural Earth 1:110m country boundaries into the world map's data file.

Source: the npm package `world-atlas` 2.0.2 (ISC licence; its data is Natural Earth's,
public domain), file `countries-110m.json` (TopoJSON, countries by ISO 3166-1 numeric code).
Get it with `npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz` and run:

    scripts/map/build-world-map.py package/countries-110m.json > crates/views/data/world-110m.json

Nothing is downloaded when qpr is built or run: the output is committed and compiled in
(`qpr_views::map`). Per ISO 3166-1 alpha-3 code (read from crates/domain/data/countries.csv),
one SVG path in the Equal Earth projection (an equal-area projection: a country's share of
the map is its share of the land), 1000 units wide, Antarctica left out; `small` marks shapes
too small to click (the map adds a marker at `at`, and the page lists every Party anyway).
Shapes without an ISO code in the source (Kosovo, Northern Cyprus, Somaliland) are left out.
"""

import csv
import json
import math
import os
import sys

WIDTH = 1000.0
SOUTH = -58.0  # degrees: below this only Antarctica and a few uninhabited islands
SMALL = 9.0  # map units: a shape whose larger side is under this gets a marker
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX, _ = equal_earth(180.0, 0.0)
_, Y_TOP = equal_earth(0.0, 90.0)
_, Y_BOTTOM = equal_earth(0.0, SOUTH)
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round((Y_TOP - Y_BOTTOM) * SCALE)


def project(lon, lat):
    x, y = equal_earth(lon, max(lat, SOUTH))
    return (x + X_MAX) * SCALE, (Y_TOP - y) * SCALE


def decode_arcs(topology):
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points):
    """Longitudes made continuous (a ring crossing the antimeridian goes past 180 or -180)."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(points, keep, edge):
    """Sutherland-Hodgman: the part of a ring where keep(lon) holds, cut at longitude edge."""
    out = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        inside, was_inside = keep(current[0]), keep(previous[0])
        if inside != was_inside:
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside:
            out.append(current)
    return out


def densify(points):
    """Points every degree along the cut, where the antimeridian is curved in the projection."""
    out = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if abs(previous[0]) == 180 and previous[0] == current[0]:
            steps = int(abs(current[1] - previous[1]))
            for k in range(1, steps):
                out.append((current[0], previous[1] + (current[1] - previous[1]) * k / steps))
        out.append(current)
    return out


def split(points):
    """A ring cut at the antimeridian into rings within -180..180."""
    points = unwrap(points)
    low, high = min(p[0] for p in points), max(p[0] for p in points)
    if high <= 180 and low >= -180:
        return [points]
    if high > 180:
        parts = [clip(points, lambda lon: lon <= 180, 180.0),
                 [(lon - 360, lat) for lon, lat in clip(points, lambda lon: lon >= 180, 180.0)]]
    else:
        parts = [clip(points, lambda lon: lon >= -180, -180.0),
                 [(lon + 360, lat) for lon, lat in clip(points, lambda lon: lon <= -180, -180.0)]]
    return [densify(part) for part in parts if len(part) >= 3]


def path(rings):
    """Relative SVG path data, one decimal, repeated points dropped."""
    parts = []
    for points in (part for r in rings for part in split(r)):
        projected = [project(lon, lat) for lon, lat in points]
        rounded = [(round(x * 10), round(y * 10)) for x, y in projected]
        kept = [rounded[0]]
        for point in rounded[1:]:
            if point != kept[-1]:
                kept.append(point)
        if len(kept) < 3:
            continue
        x0, y0 = kept[0]
        out = [f"M{x0 / 10:g} {y0 / 10:g}"]
        previous = kept[0]
        steps = []
        for x, y in kept[1:]:
            steps.append(f"{(x - previous[0]) / 10:g} {(y - previous[1]) / 10:g}")
            previous = (x, y)
        out.append("l" + " ".join(steps).replace(" -", "-"))
        out.append("z")
        parts.append("".join(out))
    return "".join(parts)


def main():
    topology = json.load(open(sys.argv[1]))
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "crates", "domain", "data", "countries.csv"), newline="") as f:
        alpha3 = {row["numeric"]: row["alpha3"] for row in csv.DictReader(f)}
    arcs = decode_arcs(topology)
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code is None or code == "010" or code not in alpha3:
            if code not in (None, "010"):
                print(f"no alpha-3 code for {code} {geometry['properties']}", file=sys.stderr)
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        d = path(rings)
        if not d:
            continue
        # The marker goes on the largest polygon's box centre.
        boxes = []
        for polygon in polygons:
            for part in split(ring(arcs, polygon[0])):
                xy = [project(lon, lat) for lon, lat in part]
                xs, ys = [p[0] for p in xy], [p[1] for p in xy]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
        largest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        whole = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        # A country cut by the antimeridian (Fiji) is judged by its largest part.
        side = max(whole[2] - whole[0], whole[3] - whole[1])
        if side > WIDTH / 2:
            side = max(largest[2] - largest[0], largest[3] - largest[1])
        small = side < SMALL
        at = [round((largest[0] + largest[2]) / 2, 1), round((largest[1] + largest[3]) / 2, 1)]
        countries[alpha3[code]] = {"d": d, "small": small, "at": at}
    out = {
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via the npm package world-atlas 2.0.2 (ISC); "
        "Equal Earth projection, Antarctica left out; made by scripts/map/build-world-map.py",
        "width": int(WIDTH),
        "height": HEIGHT,
        "countries": dict(sorted(countries.items())),
    }
    json.dump(out, sys.stdout, separators=(",", ":"), ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
