"""The test suite (a package so that the browser tests can share tests.conftest helpers)."""
