# python: system
"""chem/data/sa_fragment_scores.bin is exactly what scripts/convert_sa_scores.py makes from Debian's
RDKit Contrib SA_Score/fpscores.pkl.gz, and decodes back to sascorer.readFragmentScores' dict."""
import gzip
import os
import pickle
import struct
import subprocess
import sys
import tempfile

ROOT = os.environ.get("RETORT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHIPPED = os.path.join(ROOT, "chem", "data", "sa_fragment_scores.bin")
SOURCE = "/usr/share/RDKit/Contrib/SA_Score/fpscores.pkl.gz"


def decode(blob):
    assert blob[:8] == b"RTSAFS01", "bad magic"
    pos = 8
    (groups,) = struct.unpack_from("<I", blob, pos)
    pos += 4
    scores = {}
    for _ in range(groups):
        score, count = struct.unpack_from("<dI", blob, pos)
        pos += 12
        value = 0
        for _ in range(count):
            gap, shift = 0, 0
            while True:
                b = blob[pos]
                pos += 1
                gap |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            value += gap
            scores[value] = score
    assert pos == len(blob), "trailing bytes"
    return scores


def main():
    if not os.path.exists(SOURCE):
        sys.exit(f"missing {SOURCE} (Debian package rdkit-data / python3-rdkit)")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sa.bin")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "convert_sa_scores.py"), SOURCE, out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            regenerated = f.read()
    with open(SHIPPED, "rb") as f:
        shipped = f.read()
    assert shipped == regenerated, "chem/data/sa_fragment_scores.bin differs from a fresh conversion"
    expected = {}
    for group in pickle.load(gzip.open(SOURCE)):
        for i in group[1:]:
            expected[i] = float(group[0])
    assert decode(shipped) == expected, "decoded scores differ from fpscores.pkl.gz"
    print(f"ok: {len(expected)} fragment scores, {len(shipped)} bytes")


if __name__ == "__main__":
    main()
