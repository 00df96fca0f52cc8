"""Each role sees what it covers through ``restrict``, and nothing more.

The core sits below the other apps, so their models are reached by name.
"""

from datetime import date, time

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from cursus.core.errors import NotAllowed
from cursus.core.models import Role, RoleAssignment, User
from cursus.core.scoping import require, restrict, scope_of

pytestmark = pytest.mark.django_db

Centre = apps.get_model("catalogue", "Centre")
Department = apps.get_model("catalogue", "Department")
Unit = apps.get_model("catalogue", "Unit")
AcademicYear = apps.get_model("catalogue", "AcademicYear")
Term = apps.get_model("catalogue", "Term")
Offering = apps.get_model("catalogue", "Offering")
Learner = apps.get_model("enrolment", "Learner")
Employer = apps.get_model("enrolment", "Employer")


def person(email, role=None, **scope):
    user = User.objects.create_user(email, "pw")
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def world():
    paris = Centre.objects.create(code="paris", name="Paris", kind="seat", city="Paris")
    lyon = Centre.objects.create(code="lyon", name="Lyon", kind="regional", city="Lyon")
    acme = Employer.objects.create(name="Acme", siret="73282932000074")
    learner_user = person("learner@example.org")
    alice = Learner.objects.create(
        number="A-0000001",
        first_name="Alice",
        last_name="A",
        home_centre=paris,
        user=learner_user,
        employer=acme,
    )
    bob = Learner.objects.create(
        number="A-0000002", first_name="Bob", last_name="B", home_centre=lyon
    )
    department = Department.objects.create(slug="informatique", name_fr="I", name_en="I")
    unit = Unit.objects.create(code="NFA008", title_fr="BD", department=department, ects=6)
    year = AcademicYear.objects.create(
        start_year=2025, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    term = Term.objects.create(
        academic_year=year,
        semester=1,
        starts_on=date(2025, 10, 1),
        ends_on=date(2026, 1, 20),
        enrolment_opens_on=date(2025, 9, 1),
        enrolment_closes_on=date(2025, 10, 15),
        withdrawal_deadline=date(2025, 10, 31),
        session1_starts_on=date(2026, 1, 20),
        session1_ends_on=date(2026, 1, 31),
        session2_starts_on=date(2026, 4, 14),
        session2_ends_on=date(2026, 4, 19),
    )
    in_paris = Offering.objects.create(unit=unit, term=term, centre=paris, formula="daytime")
    in_lyon = Offering.objects.create(unit=unit, term=term, centre=lyon, formula="daytime")
    in_paris.slots.create(weekday=1, starts_at=time(18), ends_at=time(21))
    return {
        "paris": paris,
        "lyon": lyon,
        "acme": acme,
        "alice": alice,
        "bob": bob,
        "learner_user": learner_user,
        "in_paris": in_paris,
        "in_lyon": in_lyon,
    }


def visible_learners(user):
    return set(
        restrict(
            Learner.objects.all(), user, centre="home_centre", learner="pk", employer="employer"
        )
    )


def visible_offerings(user):
    return set(restrict(Offering.objects.all(), user, centre="centre", teacher="teachers"))


def test_the_registrar_sees_every_file(world):
    registrar = person("registrar@example.org", Role.REGISTRAR)

    assert visible_learners(registrar) == {world["alice"], world["bob"]}
    assert scope_of(registrar).is_registrar


def test_a_superuser_counts_as_registrar(world):
    admin = User.objects.create_superuser("admin@example.org", "pw")

    assert visible_learners(admin) == {world["alice"], world["bob"]}


def test_centre_staff_see_their_centres_files_only(world):
    staff = person("staff@example.org", Role.CENTRE_STAFF, centre=world["lyon"])

    assert visible_learners(staff) == {world["bob"]}
    assert visible_offerings(staff) == {world["in_lyon"]}


def test_a_learner_sees_their_own_file_only(world):
    assert visible_learners(world["learner_user"]) == {world["alice"]}
    assert visible_offerings(world["learner_user"]) == set()


def test_a_teacher_sees_the_offerings_they_teach(world):
    teacher = person("teacher@example.org", Role.TEACHER)
    world["in_paris"].teachers.add(teacher)

    assert visible_offerings(teacher) == {world["in_paris"]}
    assert visible_learners(teacher) == set()


def test_an_employer_contact_sees_their_employees(world):
    contact = person("hr@acme.example.org", Role.EMPLOYER_CONTACT, employer=world["acme"])

    assert visible_learners(contact) == {world["alice"]}


def test_a_jury_member_sees_no_file_through_a_staff_path(world):
    juror = person("jury@example.org", Role.JURY_MEMBER, centre=world["paris"])

    assert visible_learners(juror) == set()
    assert scope_of(juror).jury_centre_ids == frozenset({world["paris"].pk})


def test_anonymous_visitors_see_nothing(world):
    assert visible_learners(AnonymousUser()) == set()
    assert visible_learners(None) == set()


def test_roles_add_up(world):
    user = person("both@example.org", Role.CENTRE_STAFF, centre=world["lyon"])
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYER_CONTACT, employer=world["acme"])

    assert visible_learners(user) == {world["alice"], world["bob"]}


def test_require_checks_role_and_centre(world):
    staff = person("staff@example.org", Role.CENTRE_STAFF, centre=world["lyon"])

    require(staff, Role.CENTRE_STAFF, centre_id=world["lyon"].pk)
    with pytest.raises(NotAllowed):
        require(staff, Role.CENTRE_STAFF, centre_id=world["paris"].pk)
    with pytest.raises(NotAllowed):
        require(staff, Role.REGISTRAR)
    with pytest.raises(NotAllowed):
        require(AnonymousUser(), Role.LEARNER)
