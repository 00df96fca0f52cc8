"""The demo institution: a synthetic, deterministic CNAM-like organisation."""
