"""The catalogue: departments, centres, institutes, units, diplomas, terms and offerings."""
