"""Helpers shared by the test suites: Billy doubles, builders, harnesses, workloads."""
