"""Gradient-boosted decision trees as plain data: scored and explained in pure Python.

The line classifier's second pass can be a tree ensemble (scikit-learn's
``HistGradientBoostingClassifier``, exported by :mod:`cleaner.training.classifier_fit`). It
ships as JSON, like every model here: each tree is five parallel arrays (split feature, or
``-1`` at a leaf; threshold; left and right child; value). A row goes left when its feature is
at most the threshold. The logit is the baseline plus one leaf value per tree.

A split node's value is the count-weighted mean of the leaves under it, so the walk from the
root to a leaf can say how much each split moved the score (Saabas' attribution): that is
what a removal's explanation reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_Node = float | tuple[int, float, "_Node", "_Node"]


@dataclass(frozen=True)
class Tree:
    """One regression tree: node 0 is the root; ``feature[i] < 0`` marks a leaf."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def __post_init__(self) -> None:
        size = len(self.feature)
        if not size or any(len(part) != size for part in (self.threshold, self.left, self.right, self.value)):
            raise ValueError("a tree's arrays must be non-empty and of one length")
        for i, f in enumerate(self.feature):
            if f >= 0 and not (i < self.left[i] < size and i < self.right[i] < size):
                raise ValueError(f"tree node {i} points outside the tree or backwards")

    def nested(self, i: int = 0) -> _Node:
        """The tree as nested tuples ``(feature, threshold, left, right)`` with floats at the leaves (fast to walk)."""
        if self.feature[i] < 0:
            return self.value[i]
        return (self.feature[i], self.threshold[i], self.nested(self.left[i]), self.nested(self.right[i]))

    def path_pushes(self, row: Sequence[float], pushes: list[float]) -> None:
        """Add to ``pushes[f]`` how much each split on feature ``f`` moved this tree's value for ``row``."""
        i = 0
        while self.feature[i] >= 0:
            f = self.feature[i]
            child = self.left[i] if row[f] <= self.threshold[i] else self.right[i]
            pushes[f] += self.value[child] - self.value[i]
            i = child

    def to_json(self) -> dict[str, Any]:
        return {"feature": list(self.feature), "threshold": list(self.threshold), "left": list(self.left),
                "right": list(self.right), "value": [round(v, 6) for v in self.value]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tree:
        return cls(tuple(int(f) for f in data["feature"]), tuple(float(t) for t in data["threshold"]),
                   tuple(int(n) for n in data["left"]), tuple(int(n) for n in data["right"]),
                   tuple(float(v) for v in data["value"]))


@dataclass(frozen=True)
class Trees:
    """A boosted ensemble for a binary decision: ``logit(row) = baseline + sum of each tree's leaf``."""

    baseline: float
    trees: tuple[Tree, ...]
    _nested: tuple[_Node, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_nested", tuple(tree.nested() for tree in self.trees))

    @property
    def width(self) -> int:
        """How many features a row needs (one more than the highest feature any split reads)."""
        return 1 + max((f for tree in self.trees for f in tree.feature), default=-1)

    def logit(self, row: Sequence[float]) -> float:
        z = self.baseline
        for node in self._nested:
            while type(node) is tuple:
                node = node[2] if row[node[0]] <= node[1] else node[3]
            z += node  # type: ignore[operator]
        return z

    def pushes(self, row: Sequence[float]) -> list[float]:
        """Per feature, how much it moved the logit of ``row`` (summed over the trees' decision paths)."""
        out = [0.0] * len(row)
        for tree in self.trees:
            tree.path_pushes(row, out)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"kind": "trees", "baseline": round(self.baseline, 6), "trees": [tree.to_json() for tree in self.trees]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Trees:
        return cls(float(data["baseline"]), tuple(Tree.from_json(tree) for tree in data["trees"]))
