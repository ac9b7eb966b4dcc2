"""Benchmark harness: score HTML -> text extractors on public extraction benchmarks."""
