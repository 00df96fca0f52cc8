"""Learners, employers, registrations, enrolments, waitlists, agreements and funding."""
