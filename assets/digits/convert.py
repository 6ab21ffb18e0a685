#!/usr/bin/env python3
"""Rebuilds digits.u8.zlib from scikit-learn's copy of the UCI 8x8 digits.

Usage (standard library only; scikit-learn itself is not installed):

    pip download scikit-learn --no-deps -d /tmp/skl
    python3 convert.py /tmp/skl/scikit_learn-*.whl        # or a path to digits.csv.gz

Output layout (then deflated, zlib format, level 9):
    N label bytes (0..9), then N x 64 pixel bytes (0..16), row-major, image after image.
"""

import gzip
import io
import pathlib
import sys
import zipfile
import zlib

MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = pathlib.Path(__file__).with_name("digits.u8.zlib")


def csv_gz_bytes(source: str) -> bytes:
    if source.endswith(".whl"):
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(MEMBER)
    return pathlib.Path(source).read_bytes()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = gzip.GzipFile(fileobj=io.BytesIO(csv_gz_bytes(sys.argv[1]))).read().decode()
    rows = [[int(v) for v in line.split(",")] for line in text.split()]
    assert all(len(r) == 65 for r in rows), "each row: 64 pixels then the label"
    assert all(0 <= v <= 16 for r in rows for v in r[:64]), "pixels are 0..16"
    assert all(0 <= r[64] <= 9 for r in rows), "labels are 0..9"
    raw = bytes(r[64] for r in rows) + bytes(v for r in rows for v in r[:64])
    OUT.write_bytes(zlib.compress(raw, 9))
    print(f"{len(rows)} images -> {OUT.name}: {len(raw)} bytes raw, {OUT.stat().st_size} deflated")


if __name__ == "__main__":
    main()
