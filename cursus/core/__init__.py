"""Shared foundations: users, roles and scoping, identifiers, domain errors."""
