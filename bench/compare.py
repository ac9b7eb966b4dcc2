"""Page-by-page diff of two benchmark JSON results, biggest F1 drops first.

Aggregate scores hide trade-offs; this shows which pages a change broke or
fixed so they can be inspected by id.
"""

from __future__ import annotations

_EPS = 1e-9


def _summary_f1(ex: dict, key: str) -> float | None:
    s = ex.get("summary") or {}
    return s.get("f1" if key == "aeb" else "f1_articles")


def compare(old: dict, new: dict, extractor: str | None = None, top: int = 15) -> str:
    """Text report of per-page F1 changes for every extractor present (and ok) in both runs."""
    lines: list[str] = []
    for key, new_ds in new.get("datasets", {}).items():
        old_ds = old.get("datasets", {}).get(key)
        if not old_ds or old_ds.get("status") != "ok" or new_ds.get("status") != "ok":
            continue
        for name, nex in new_ds["extractors"].items():
            oex = old_ds["extractors"].get(name)
            if extractor and name != extractor:
                continue
            if not oex or oex.get("status") != "ok" or nex.get("status") != "ok":
                continue
            lines += _compare_one(key, name, oex, nex, top)
    if not lines:
        lines = ["compare: no extractor/dataset with results in both runs"
                 + (f" for extractor {extractor!r}" if extractor else "")]
    return "\n".join(lines)


def _compare_one(key: str, name: str, oex: dict, nex: dict, top: int) -> list[str]:
    od, nd = oex["docs"], nex["docs"]
    common = sorted(od.keys() & nd.keys())
    deltas = [(nd[i]["f1"] - od[i]["f1"], i) for i in common]
    worse = sorted(d for d in deltas if d[0] < -_EPS)
    better = sorted((d for d in deltas if d[0] > _EPS), reverse=True)
    of, nf = _summary_f1(oex, key), _summary_f1(nex, key)
    head = f"{'corpus F1' if key == 'aeb' else 'article word F1'} "
    head += f"{of:.4f} -> {nf:.4f} ({nf - of:+.4f})" if of is not None and nf is not None else "n/a"
    lines = [f"## {key} / {name}: {head}; {len(common)} common pages, "
             f"{len(worse)} worse, {len(better)} better, "
             f"{len(common) - len(worse) - len(better)} unchanged"]
    only_old, only_new = len(od.keys() - nd.keys()), len(nd.keys() - od.keys())
    if only_old or only_new:
        lines.append(f"   ({only_old} pages only in old run, {only_new} only in new run)")
    for label, rows in (("regressions", worse[:top]), ("improvements", better[:top])):
        if not rows:
            continue
        lines.append(f"  {label}:")
        for delta, i in rows:
            o, n = od[i], nd[i]
            extra = f" [{n['type']}]" if "type" in n else ""
            lines.append(f"    {i}{extra}: F1 {o['f1']:.3f} -> {n['f1']:.3f} ({delta:+.3f}); "
                         f"chars {o.get('len')} -> {n.get('len')}"
                         + (f"; error: {n['error']}" if n.get("error") else ""))
    lines.append("")
    return lines
