"""The test suite (run with ``make test`` or ``make test-fast``)."""
