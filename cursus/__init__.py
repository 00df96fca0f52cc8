"""Cursus: academic records for open-enrolment adult education."""
