"""Audits' pages: my diplomas, what-if, closest diplomas, pursuits, for each role."""

from datetime import date

import pytest
from django.urls import reverse

from cursus.audit import actions
from cursus.audit.models import Pursuit
from cursus.audit.tests.app_fixtures import grant, speak_english
from cursus.catalogue.tests.fixtures import make_user
from cursus.core.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def pursuing(student, registrar, diplomas):
    grant(student, registrar, "NFA008", "NFA011")
    speak_english(student, registrar)
    actions.pursue_diploma(
        actor=registrar, learner=student, diploma_code="CC-DB", started_on=date(2019, 10, 1)
    )
    return student


@pytest.fixture
def client(client, settings):
    # Pages in English: the texts asserted are the source ones.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"web:{name}", args=args), query)


def test_learner_sees_progress_what_is_missing_and_the_tree(client, student_user, pursuing):
    response = _page(client, student_user, "audit_learner", pursuing.number)

    assert response.status_code == 200
    html = response.content.decode()
    assert "My diplomas" in html
    assert "NSY103 is still needed" in html
    assert '<progress max="100" value="66"' in html
    assert "12 of 18 ECTS" in html
    assert "in force when this diploma was first pursued on 01/10/2019" in html
    assert "audit-node audit-met" in html
    assert "audit-node audit-not-met" in html
    assert "audit-partly-met" in html
    # The closest diplomas: CC-DB first (one unit away).
    assert html.index("CC-MATHS") > html.index('id="closest"')


def test_audits_link_sends_a_learner_to_their_diplomas(client, student_user, student):
    response = _page(client, student_user, "audits")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:audit_learner", args=[student.number])


def test_staff_find_a_learner_in_their_scope(client, paris_staff, lyon_staff, student, diplomas):
    client.force_login(paris_staff)
    response = client.get(reverse("web:audits"), {"number": student.number})
    assert response.status_code == 302
    client.force_login(lyon_staff)
    response = client.get(reverse("web:audits"), {"number": student.number})
    assert response.status_code == 200
    assert "No learner in your scope has this number." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student_user", 200),
        ("paris_staff", 200),
        ("registrar", 200),
        ("lyon_staff", 404),
        ("teacher", 404),
        ("other_learner", 404),
    ],
)
@pytest.mark.usefixtures("diplomas")
def test_who_may_see_a_learners_audits(client, request, who, status, student):
    if who == "other_learner":
        user = make_user("other@example.org")
        classmate = request.getfixturevalue("classmate")
        classmate.user = user
        classmate.save()
    else:
        user = request.getfixturevalue(who)
    for name in ("audit_learner", "audit_closest", "audit_what_if_list"):
        assert _page(client, user, name, student.number).status_code == status
    response = _page(client, user, "audit_what_if", student.number, "CC-MATHS")
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, student, diplomas):
    response = client.get(reverse("web:audit_learner", args=[student.number]))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_what_if_audits_against_any_diploma_and_any_version(client, student_user, pursuing):
    response = _page(client, student_user, "audit_what_if", pursuing.number, "CC-DB", version=2022)
    html = response.content.decode()
    assert "Audited against version 2022." in html
    assert "One of these is still needed: NSY103; NSY107" in html

    response = _page(client, student_user, "audit_what_if", pursuing.number, "LIC-INFO")
    assert "8 more ECTS needed from GLG101, GLG102 or MVA101" in response.content.decode()
    assert _page(client, student_user, "audit_what_if", pursuing.number, "NOPE").status_code == 404


def test_what_if_list_is_searched_by_code_or_title(client, student_user, student, diplomas):
    html = _page(
        client, student_user, "audit_what_if_list", student.number, q="maths"
    ).content.decode()
    assert "CC-MATHS" in html
    assert "LIC-INFO" not in html


def test_closest_page_ranks_every_diploma(client, student_user, student, registrar, diplomas):
    grant(student, registrar, "MVA101")
    html = _page(client, student_user, "audit_closest", student.number).content.decode()
    assert html.index("CC-MATHS") < html.index("LIC-INFO") < html.index("CC-DB")
    assert "1 unit to go (4 ECTS)" in html


def test_learner_pursues_a_diploma_then_drops_it(client, student_user, student, diplomas):
    client.force_login(student_user)
    url = reverse("web:audit_pursue", args=[student.number])
    response = client.post(url, {"diploma": "cc-maths", "started_on": "2021-01-05"})
    assert response.status_code == 302
    pursuit = Pursuit.objects.get(learner=student)
    assert (pursuit.diploma_code, pursuit.started_on) == ("CC-MATHS", date(2021, 1, 5))

    response = client.post(url, {"diploma": "CC-MATHS"}, follow=True)
    assert "The learner already pursues this diploma." in response.content.decode()
    response = client.post(url, {"diploma": "ZZ-NONE"}, follow=True)
    assert "No diploma has the code ZZ-NONE." in response.content.decode()

    response = client.post(reverse("web:audit_drop", args=[pursuit.pk]))
    assert response.status_code == 302
    assert not Pursuit.objects.exists()


def test_staff_of_another_centre_cannot_pursue_for_a_learner(client, lyon_staff, student, diplomas):
    client.force_login(lyon_staff)
    response = client.post(
        reverse("web:audit_pursue", args=[student.number]), {"diploma": "CC-MATHS"}
    )
    assert response.status_code == 404
    assert not Pursuit.objects.exists()


def test_pages_answer_in_a_bounded_number_of_queries(
    client, student_user, pursuing, django_assert_max_num_queries
):
    client.force_login(student_user)
    url = reverse("web:audit_learner", args=[pursuing.number])
    client.get(url)
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200


def test_nav_shows_my_diplomas_to_learners(client, student_user, student):
    client.force_login(student_user)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:audits")}"' in html
    assert "My diplomas" in html


def test_registrar_role_fixture_is_a_registrar(registrar):
    assert registrar.role_assignments.filter(role=Role.REGISTRAR).exists()
