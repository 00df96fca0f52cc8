"""The registrar's and the centres' forms: new units, new offerings with their timetable."""

from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cursus.catalogue import actions, queries
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.models import Role
from cursus.core.queries import users_by_email
from cursus.core.scoping import require
from cursus.web.forms import BlockFormSet, OfferingForm, SlotFormSet, UnitForm, show_errors
from cursus.web.permissions import member_view, user_of


@member_view
def unit_create(request: HttpRequest) -> HttpResponse:
    """Add a unit to the catalogue (the registrar)."""
    user = user_of(request)
    require(user, Role.REGISTRAR)
    form = UnitForm(request.POST or None, departments=queries.departments())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                unit = actions.create_unit(actor=user, **form.cleaned_data)
            except (InvalidInput, Conflict) as error:
                show_errors(error.as_errors(), form)
            else:
                messages.success(request, _("Unit %(code)s added.") % {"code": unit.code})
                return redirect(unit)
        status = 400
    return render(request, "web/staff/unit_form.html", {"form": form}, status=status)


def _offering_forms(
    request: HttpRequest, data: Any
) -> tuple[OfferingForm, BaseFormSet[Any], BaseFormSet[Any]]:
    user = user_of(request)
    term = queries.current_term()
    initial = {"term": term.code if term else "", "unit": request.GET.get("unit", "")}
    form = OfferingForm(
        data,
        terms=queries.terms(),
        centres=queries.administered_centres(user),
        institutes=queries.institutes(),
        initial=initial,
    )
    return (
        form,
        SlotFormSet(data, prefix="slots"),
        BlockFormSet(data, prefix="blocks"),
    )


@member_view
def offering_create(request: HttpRequest) -> HttpResponse:
    """Offer a unit at a centre in a term, with its weekly slots (registrar, centre staff)."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    form, slots, blocks = _offering_forms(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and slots.is_valid() and blocks.is_valid():
            data = dict(form.cleaned_data)
            institute = data.pop("institute") or None
            slot_rows = [i for i, row in enumerate(slots.forms) if not row.is_blank()]
            block_rows = [i for i, row in enumerate(blocks.forms) if not row.is_blank()]
            teachers_text = data.pop("teachers")
            teachers = users_by_email(teachers_text)
            unknown = [email for email in teachers_text if email not in teachers]
            if unknown:
                form.add_error(
                    "teachers",
                    _("No user has these e-mail addresses: %(emails)s.")
                    % {"emails": ", ".join(unknown)},
                )
            else:
                try:
                    offering = actions.create_offering(
                        actor=user,
                        **data,
                        institute=institute,
                        slots=[actions.SlotSpec(**slots.forms[i].cleaned_data) for i in slot_rows],
                        blocks=[
                            actions.BlockSpec(**blocks.forms[i].cleaned_data) for i in block_rows
                        ],
                        teachers=list(teachers.values()),
                    )
                except (InvalidInput, Conflict) as error:
                    show_errors(
                        error.as_errors(),
                        form,
                        {"slots": slots, "blocks": blocks},
                        {"slots": slot_rows, "blocks": block_rows},
                    )
                else:
                    messages.success(
                        request,
                        _("%(unit)s is now offered at %(centre)s in %(term)s.")
                        % {
                            "unit": offering.unit.code,
                            "centre": offering.centre.name,
                            "term": offering.term.label,
                        },
                    )
                    return redirect(offering)
        status = 400
    context = {
        "form": form,
        "slots": slots,
        "blocks": blocks,
        "formsets": [slots, blocks],
        "formset_errors": any(fs.is_bound and fs.total_error_count() for fs in (slots, blocks)),
    }
    return render(request, "web/staff/offering_form.html", context, status=status)
