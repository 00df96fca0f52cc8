"""Audits: a learner's record against the diplomas' rules."""
