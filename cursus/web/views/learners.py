"""Learners' files: opened by the staff, seen by the learner, their centre and the registrar."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cursus.catalogue import queries
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.models import Role
from cursus.core.scoping import require
from cursus.enrolment import actions
from cursus.enrolment import queries as enrolment_queries
from cursus.web.forms import LearnerForm, show_errors
from cursus.web.permissions import member_view, user_of


@member_view
def learner(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's file, to those whose role and centre cover it."""
    found = enrolment_queries.learner_file(user_of(request), number)
    return render(request, "web/learners/learner.html", {"learner": found})


@member_view
def learner_create(request: HttpRequest) -> HttpResponse:
    """Open a learner's file at one of the user's centres (registrar, centre staff)."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    form = LearnerForm(request.POST or None, centres=queries.administered_centres(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.create_learner(actor=user, **form.cleaned_data)
            except (InvalidInput, Conflict) as error:
                show_errors(error.as_errors(), form)
            else:
                messages.success(
                    request,
                    _("File %(number)s opened for %(name)s.")
                    % {"number": created.number, "name": created.full_name},
                )
                return redirect(created)
        status = 400
    return render(request, "web/learners/learner_form.html", {"form": form}, status=status)
