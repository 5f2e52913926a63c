#!/usr/bin/python3
"""Converts RDKit Contrib SA_Score's fragment scores (fpscores.pkl.gz, a pickle of lists
[score, id, id, ...]) into chem/data/sa_fragment_scores.bin, the file chem/sa_score.cpp loads.

Run with Debian's /usr/bin/python3 (python3-rdkit ships the pickle):
    /usr/bin/python3 scripts/convert_sa_scores.py [/usr/share/RDKit/Contrib/SA_Score/fpscores.pkl.gz] [out.bin]

Binary layout (all little-endian):
    8 bytes   magic b"RTSAFS01"
    u32       number of groups G
    G times:  f64 score, u32 count N, then N ids as unsigned LEB128 varints of the gaps between the
              group's sorted ids (first gap from 0)
sascorer.readFragmentScores builds a dict where a later group overwrites an earlier one for the same
id; the ids here are unique (checked below), so the order does not matter.
"""
import gzip
import pickle
import struct
import sys


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/RDKit/Contrib/SA_Score/fpscores.pkl.gz"
    dst = sys.argv[2] if len(sys.argv) > 2 else "chem/data/sa_fragment_scores.bin"
    groups = pickle.load(gzip.open(src))
    seen = set()
    out = bytearray(b"RTSAFS01")
    out += struct.pack("<I", len(groups))
    total = 0
    for group in groups:
        score = float(group[0])
        ids = sorted(int(i) for i in group[1:])
        for i in ids:
            if i in seen or not 0 <= i < 2**32:
                sys.exit(f"convert_sa_scores: id {i} repeated or out of range")
            seen.add(i)
        out += struct.pack("<dI", score, len(ids))
        prev = 0
        for i in ids:
            out += varint(i - prev)
            prev = i
        total += len(ids)
    with open(dst, "wb") as f:
        f.write(out)
    print(f"{dst}: {len(groups)} scores, {total} fragment ids, {len(out)} bytes")


if __name__ == "__main__":
    main()
