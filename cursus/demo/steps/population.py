"""The simulated institution's inputs: who studies, how, how fast, and for which diploma.

Every figure is a named constant with the seed figure it is set to reproduce,
as the yearly statistics count them (``cursus stats``). At scale 1.0 a year
counts about 100,000 learners, 70,000 of them in evening and Saturday
courses (a few thousand of those mostly at a distance or in daytime) and
30,000 in institutes, and about 7,000 diplomas, 700 of them engineering
degrees earned in the evening. None of these figures is written anywhere:
they come out of the learners' paths (``steps.trajectories``) once these are
loaded and audited.

This module is pure: plain values, no Django, so that the trajectory
generator and its tests run without a database.
"""

# Formula values, as the catalogue spells them (Formula's values).
EVENING = "evening_saturday"
DAYTIME = "daytime"
INSTITUTE = "institute"
DISTANCE = "distance"
FORMULAS = (EVENING, DAYTIME, INSTITUTE, DISTANCE)

# Learners active in a year at scale 1.0 (seed: ~100,000).
ACTIVE_LEARNERS = 100_000

# A learner's main formula, the one most of their enrolments use. Seed: ~70,000 evening
# (of which a few thousand mostly at a distance or in daytime) and ~30,000 institute.
MAIN_FORMULA_SHARES = {
    EVENING: 0.596,
    DISTANCE: 0.027,
    DAYTIME: 0.014,
    INSTITUTE: 0.363,
}
# Share of an evening learner's units taken at a distance (their main formula stays evening).
EVENING_DISTANCE_SHARE = 0.12

# Years a learner stays, by main formula: an evening learner comes back each September
# with this probability (a mean stay of 1 / (1 - p) years, ~2.9); institute courses
# last this many years, each year lost by this share of their learners.
EVENING_RETURN_RATE = 0.6
# Learners with a diploma in mind come back more often, the more so the longer the diploma
# (seed: ~700 engineering degrees a year, which take most learners seven years or more).
GOAL_RETURN_RATE = {
    "certificat-competence": 0.75,
    "certificat-professionnel": 0.8,
    "licence": 0.85,
    "titre-rncp": 0.85,
    "master": 0.88,
    "deust": 0.85,
    "ingenieur": 0.93,
}
INSTITUTE_PROGRAMME_YEARS = 3
INSTITUTE_DROPOUT_RATE = 0.08
# Learners of this many past years may still be studying when the history begins.
LONGEST_STAY = 15

# Units taken per year by main formula (weights for 1, 2, ... units). Evening learners
# take about three a year; an institute's year is a programme of four or five (long) units.
EVENING_PACE_WEIGHTS = (14, 22, 24, 18, 12, 6, 4)
INSTITUTE_PACE_WEIGHTS = (0, 0, 10, 35, 35, 15, 5)

# Chance of passing a unit at the first session, by main formula, and how the others fare.
PASS_RATE = {EVENING: 0.72, DISTANCE: 0.62, DAYTIME: 0.8, INSTITUTE: 0.88}
# Share of failed first sessions where the learner did not sit the exam.
ABSENT_SHARE = 0.35
SESSION_TWO_SHARE = 0.55
SESSION_TWO_PASS_RATE = 0.5

# Chance that a learner who has just started has a diploma in mind, by main formula, and
# which kind (weights). Seed: ~7,000 diplomas a year, ~700 of them ingenieur in the
# evening; institute learners study for their institute's programme (their awards are
# outside the simulated juries).
GOAL_SHARE = {EVENING: 0.7, DISTANCE: 0.5, DAYTIME: 0.6, INSTITUTE: 0.0}
GOAL_KIND_WEIGHTS = {
    "certificat-competence": 40,
    "certificat-professionnel": 18,
    "licence": 12,
    "titre-rncp": 8,
    "master": 6,
    "deust": 4,
    "ingenieur": 9,
}
# Units a diploma of each kind needs when its rules are not at hand (tests, estimates).
TYPICAL_UNITS = {
    "certificat-competence": 5,
    "certificat-professionnel": 8,
    "licence": 10,
    "titre-rncp": 12,
    "master": 14,
    "deust": 14,
    "ingenieur": 18,
}
# Having earned their diploma, learners leave with this probability.
LEAVE_AFTER_DIPLOMA = 0.8

# Departments learners study in (weights; seed: computer science and management lead).
DEPARTMENT_WEIGHTS = {
    "informatique": 34,
    "economie-gestion": 28,
    "travail-entreprise": 12,
    "mathematiques": 5,
    "physique-electronique": 7,
    "genie-mecanique-materiaux": 8,
    "sciences-chimiques-biologiques-nucleaires": 6,
}
# Share of learners who move to another centre during their studies.
MOVE_SHARE = 0.04
