"""The project's golden cases, checked through our own pytest plugin (``golden_dirs`` in pyproject)."""


def test_golden(golden_case, golden):
    golden.check(golden_case)
