#!/usr/bin/env python3
"""check_same.py BASE.jsonl REPLICATED.jsonl COPIES — every copy's records equal the base run's."""
import collections
import json
import os
import sys


def load(path, strip_copy):
    per = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            p = r["input"]["path"]
            name = os.path.basename(p)
            key = (os.path.basename(os.path.dirname(p)) if strip_copy else "", name)
            per[key].append(json.dumps(r["data"], sort_keys=True, ensure_ascii=False))
    return per


def main():
    base, rep, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    b = load(base, False)
    r = load(rep, True)
    bad = 0
    dirs = {k[0] for k in r}
    if len(dirs) != copies:
        print(f"expected records from {copies} copies, found {len(dirs)}")
        bad += 1
    for d in dirs:
        for (_, name), recs in b.items():
            if sorted(r.get((d, name), [])) != sorted(recs):
                bad += 1
                print(f"differs: {d}/{name}")
    total = sum(len(v) for v in r.values())
    print(f"records: base {sum(len(v) for v in b.values())}, replicated {total} over {len(dirs)} copies; "
          + ("identical" if not bad else f"{bad} differences"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
