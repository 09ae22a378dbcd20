#!/usr/bin/env python3
"""Turn lede JSONL records (one claim per record) into eval-claims prediction files.

    to_pred.py RECORDS.jsonl OUT_DIR

Writes OUT_DIR/<id>.claims.json for each input file, <id> being the input file name without
its extension; inputs with no records get an empty claim list when listed with --inputs.
"""
import json
import os
import sys


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    recs, out = argv[1], argv[2]
    inputs = argv[3:]
    os.makedirs(out, exist_ok=True)
    docs = {}
    for p in inputs:
        docs.setdefault(os.path.splitext(os.path.basename(p))[0], {"claims": []})
    with open(recs, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            path = (r.get("input") or {}).get("path") or ""
            doc_id = os.path.splitext(os.path.basename(path))[0]
            d = docs.setdefault(doc_id, {"claims": []})
            art = r.get("article") or {}
            d.setdefault("title", art.get("title"))
            pub = art.get("published")
            d.setdefault("published", pub[:10] if pub else None)
            data = r.get("data") or {}
            d["claims"].append({k: data.get(k) for k in
                                ("sentence", "action", "imposer", "target", "status", "source", "in_body")})
    for doc_id, d in docs.items():
        d["id"] = doc_id
        with open(os.path.join(out, doc_id + ".claims.json"), "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
