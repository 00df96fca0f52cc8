"""Tests of the pure credentials toolkit (no Django, no network)."""
