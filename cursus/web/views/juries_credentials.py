"""Verifiable credentials of diplomas: the DID document, status lists, downloads, verification."""

import json
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cursus.credentials import issuance, queries
from cursus.web.permissions import member_view, public_view, user_of

MAX_UPLOAD = 256 * 1024
JSON_LD = "application/ld+json"


def _json(document: dict[str, Any], content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_view
def did_document(request: HttpRequest) -> HttpResponse:
    """The institution's DID document: every key that signed a credential."""
    return _json(issuance.did_document(), "application/did+json")


@public_view
def status_list(request: HttpRequest, list_number: int) -> HttpResponse:
    """A signed revocation status list credential."""
    if not issuance.status_list_exists(list_number):
        raise Http404(_("No such status list."))
    response = _json(issuance.status_list_credential(list_number), JSON_LD)
    response["Cache-Control"] = "no-cache"
    return response


@member_view
def credential(request: HttpRequest, number: str) -> HttpResponse:
    """Download the signed credential of a diploma (the learner, staff in scope, registrar)."""
    award = queries.award_of(user_of(request), number)
    response = _json(issuance.credential_for(award), JSON_LD)
    response["Content-Disposition"] = f'attachment; filename="diploma-{award.number}.json"'
    return response


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    upload = forms.FileField(label=gettext_lazy("Or upload the file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        text = data.get("text") or ""
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is too large for a credential."))
            raw = upload.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not a JSON text file.")) from error
        if not text.strip():
            raise forms.ValidationError(_("Paste a credential or upload its file."))
        try:
            data["document"] = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("This is not valid JSON: %(error)s") % {"error": error}
            ) from error
        if not isinstance(data["document"], dict):
            raise forms.ValidationError(_("A credential is a JSON object."))
        return data


PROBLEMS = {
    "other_issuer": gettext_lazy("It was not issued by this institution."),
    "bad_signature": gettext_lazy("Its signature does not match: it was altered or forged."),
    "not_an_object": gettext_lazy("A credential is a JSON object."),
}


@public_view
def verify(request: HttpRequest) -> HttpResponse:
    """Check a credential pasted or uploaded by anyone, without logging in."""
    check = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            check = issuance.check_credential(form.cleaned_data["document"])
        else:
            status = 400
    else:
        form = VerifyForm()
    context = {
        "form": form,
        "check": check,
        "problem": PROBLEMS.get(check.problem, "") if check is not None else "",
    }
    return render(request, "juries/verify.html", context, status=status)
