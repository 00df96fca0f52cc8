"""Rules files of the real diplomas, used where the audit app has none of its own."""
