"""Statistics of the institution: learners, diplomas, pass rates; their charts and exports."""
