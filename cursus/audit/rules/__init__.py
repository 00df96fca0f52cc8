"""Rules of real diplomas as YAML files: examples for registrars, data for the demo."""
