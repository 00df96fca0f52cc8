"""Diplomas: requests, juries, awards under a gapless number, and their credentials."""
