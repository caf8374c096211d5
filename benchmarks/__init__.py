"""Benchmark and evaluation scripts: they print figures and assert nothing."""
