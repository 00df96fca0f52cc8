"""Data the demo is built from: the real units, and the real diplomas rules."""
