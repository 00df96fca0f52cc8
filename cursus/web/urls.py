"""The pages' addresses."""

from django.urls import path

from cursus.web import views
from cursus.web.views import (
    audit,
    enrolment,
    enrolment_staff,
    exchange,
    juries,
    juries_credentials,
    juries_documents,
    juries_issuance,
    planner,
    records,
    stats,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", views.search, name="catalogue"),
    path("catalogue/results/", views.search_results, name="catalogue_results"),
    path("unit/<str:code>/", views.unit, name="unit"),
    path("diplomas/", views.diplomas, name="diplomas"),
    path("diploma/<str:code>/<int:version>/", views.diploma, name="diploma"),
    path("centres/", views.centres, name="centres"),
    path("centre/<str:code>/", views.centre, name="centre"),
    path("offering/<int:pk>/", views.offering, name="offering"),
    path("learner/<str:number>/", views.learner, name="learner"),
    path("staff/units/new/", views.unit_create, name="unit_create"),
    path("staff/learners/new/", views.learner_create, name="learner_create"),
    path("staff/offerings/new/", views.offering_create, name="offering_create"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", views.LogoutView.as_view(), name="logout"),
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    # Records: grades, learners' records, transcripts and their public verification.
    path("records/grades/", records.grading, name="grading"),
    path(
        "records/offering/<int:offering_id>/session/<int:session>/",
        records.grade_grid,
        name="grade_grid",
    ),
    path(
        "records/offering/<int:offering_id>/session/<int:session>/import/",
        records.import_grades,
        name="import_grades",
    ),
    path(
        "records/offering/<int:offering_id>/session/<int:session>/publish/",
        records.publish_grades,
        name="publish_grades",
    ),
    path("records/learner/<str:number>/", records.learner_record, name="learner_record"),
    path(
        "records/learner/<str:number>/validations/new/",
        records.new_validation,
        name="new_validation",
    ),
    path(
        "records/learner/<str:number>/milestones/new/",
        records.new_milestone,
        name="new_milestone",
    ),
    path("records/learner/<str:number>/transcript/", records.transcript, name="transcript"),
    path(
        "records/learner/<str:number>/transcript/issue/",
        records.issue_transcript,
        name="issue_transcript",
    ),
    path(
        "records/learner/<str:number>/attestation/<str:code>/",
        records.issue_attestation,
        name="issue_attestation",
    ),
    path("records/result/<int:result_id>/correct/", records.correct_result, name="correct_result"),
    path(
        "records/validation/<int:validation_id>/revoke/",
        records.revoke_validation,
        name="revoke_validation",
    ),
    path(
        "records/milestone/<int:milestone_id>/correct/",
        records.correct_milestone,
        name="correct_milestone",
    ),
    path("records/document/<str:token>.pdf", records.issued_document, name="issued_document"),
    path("verify/<str:kind>/<str:token>/", records.verify_document, name="verify_document"),
]

# Audits: a learner's diplomas, what-if, closest diplomas, the institution-wide audit.
urlpatterns += [
    path("audit/", audit.audits, name="audits"),
    path("audit/learner/<str:number>/", audit.learner_diplomas, name="audit_learner"),
    path("audit/learner/<str:number>/closest/", audit.closest, name="audit_closest"),
    path("audit/learner/<str:number>/what-if/", audit.what_if_list, name="audit_what_if_list"),
    path("audit/learner/<str:number>/what-if/<str:code>/", audit.what_if, name="audit_what_if"),
    path("audit/learner/<str:number>/pursue/", audit.pursue, name="audit_pursue"),
    path("audit/pursuit/<int:pursuit_id>/drop/", audit.drop, name="audit_drop"),
    path("institution-audit/", audit.institution, name="audit_institution"),
    path("institution-audit/<int:run_id>/", audit.run, name="audit_run"),
    path(
        "institution-audit/<int:run_id>/progress.json",
        audit.run_progress,
        name="audit_run_progress",
    ),
]

# Plans: the fastest path to a diploma, alternatives, enrolment from the plan, its PDF.
urlpatterns += [
    path("plan/", planner.start, name="planner"),
    path("plan/learner/<str:number>/", planner.learner_plan, name="planner_learner"),
    path("plan/learner/<str:number>/enrol/", planner.enrol, name="planner_enrol"),
    path("plan/learner/<str:number>/plan.pdf", planner.plan_pdf, name="planner_pdf"),
]

# Enrolment: registration, enrolment and waitlists, timetables, agreements, contracts, fees.
urlpatterns += [
    path("enrolment/", enrolment.my_enrolments, name="enrolment_home"),
    path("enrolment/learner/<str:number>/", enrolment.learner_enrolments, name="enrolment_learner"),
    path("enrolment/learner/<str:number>/register/", enrolment.register, name="enrolment_register"),
    path(
        "enrolment/learner/<str:number>/timetable/", enrolment.timetable, name="enrolment_timetable"
    ),
    path(
        "enrolment/learner/<str:number>/contracts/new/",
        enrolment.contract_new,
        name="enrolment_contract_new",
    ),
    path(
        "enrolment/learner/<str:number>/funding/",
        enrolment_staff.registration_funding,
        name="enrolment_funding",
    ),
    path(
        "enrolment/learner/<str:number>/agreements/new/",
        enrolment_staff.agreement_new,
        name="enrolment_agreement_new",
    ),
    path(
        "enrolment/learner/<str:number>/fees/<int:year>/",
        enrolment.learner_fees,
        name="enrolment_learner_fees",
    ),
    path(
        "enrolment/learner/<str:number>/fees/<int:year>.<str:form>",
        enrolment.learner_fees,
        name="enrolment_learner_fees_file",
    ),
    path("enrolment/offering/<int:pk>/enrol/", enrolment.enrol, name="enrolment_enrol"),
    path("enrolment/offering/<int:pk>/list/", enrolment_staff.roster, name="enrolment_roster"),
    path(
        "enrolment/offering/<int:pk>/list.csv",
        enrolment_staff.roster_csv,
        name="enrolment_roster_csv",
    ),
    path("enrolment/enrolment/<int:pk>/", enrolment.enrolment_detail, name="enrolment_detail"),
    path("enrolment/enrolment/<int:pk>/withdraw/", enrolment.withdraw, name="enrolment_withdraw"),
    path("enrolment/centres/", enrolment_staff.centres, name="enrolment_centres"),
    path("enrolment/centre/<str:code>/", enrolment_staff.centre, name="enrolment_centre"),
    path("enrolment/find-learner/", enrolment_staff.find_learner, name="enrolment_find_learner"),
    path("enrolment/agreements/", enrolment_staff.agreements, name="enrolment_agreements"),
    path(
        "enrolment/agreement/<str:number>.pdf",
        enrolment_staff.agreement_pdf,
        name="enrolment_agreement_pdf",
    ),
    path(
        "enrolment/agreement/<str:number>/", enrolment_staff.agreement, name="enrolment_agreement"
    ),
    path(
        "enrolment/agreement/<str:number>/<str:step>/",
        enrolment_staff.agreement_step,
        name="enrolment_agreement_step",
    ),
    path(
        "enrolment/contract/<str:number>.pdf", enrolment.contract_pdf, name="enrolment_contract_pdf"
    ),
    path("enrolment/contract/<str:number>/", enrolment.contract, name="enrolment_contract"),
    path(
        "enrolment/contract/<str:number>/<str:step>/",
        enrolment.contract_step,
        name="enrolment_contract_step",
    ),
    path(
        "enrolment/employer/<str:siret>/fees/<int:year>/",
        enrolment_staff.employer_fees,
        name="enrolment_employer_fees",
    ),
    path(
        "enrolment/employer/<str:siret>/fees/<int:year>.<str:form>",
        enrolment_staff.employer_fees,
        name="enrolment_employer_fees_file",
    ),
    path("enrolment/overview/", enrolment_staff.overview, name="enrolment_overview"),
]

urlpatterns += [
    path("juries/", juries.sessions, name="jury_sessions"),
    path("juries/<int:session_id>/", juries.session, name="jury_session"),
    path("juries/<int:session_id>/candidates/", juries.add_candidates, name="jury_add_candidates"),
    path("juries/<int:session_id>/close/", juries.close, name="jury_close"),
    path(
        "juries/<int:session_id>/award-satisfied/",
        juries.award_satisfied,
        name="jury_award_satisfied",
    ),
    path("juries/candidates/<int:candidate_id>/decision/", juries.decide, name="jury_decide"),
    path("juries/learners/<str:number>/", juries.learner_diplomas, name="jury_learner"),
    path("juries/awards/<str:number>/revoke/", juries.revoke, name="jury_revoke"),
]

urlpatterns += [
    path(".well-known/did.json", juries_credentials.did_document, name="did_document"),
    path(
        "credentials/status/<int:list_number>.json",
        juries_credentials.status_list,
        name="credential_status_list",
    ),
    path(
        "juries/diplomas/<str:number>/credential.json",
        juries_credentials.credential,
        name="diploma_credential",
    ),
    path("verify/credential/", juries_credentials.verify, name="verify_credential"),
]

urlpatterns += [
    path("juries/<int:session_id>/issuance/", juries_issuance.queue, name="jury_issuance"),
    path(
        "juries/issuance/<int:batch_id>/progress/",
        juries_issuance.progress,
        name="jury_issuance_progress",
    ),
    path(
        "juries/learners/<str:number>/units/<str:code>/credential/",
        juries_issuance.issue_unit,
        name="issue_unit_credential",
    ),
    path(
        "juries/units/<uuid:public_id>/credential.json",
        juries_issuance.unit_credential,
        name="unit_credential",
    ),
    path(
        "credentials/status/units/<int:list_number>.json",
        juries_issuance.unit_status_list,
        name="unit_credential_status_list",
    ),
]

# Statistics: a year's learners, diplomas, pass rates and paths; their CSV and XLSX exports.
urlpatterns += [
    path("stats/", stats.page, name="stats"),
    path("stats/statistics.xlsx", stats.workbook, name="stats_xlsx"),
    path("stats/<slug:slug>.csv", stats.table_csv, name="stats_csv"),
]

# Signed documents of diplomas and jury minutes; the public pages their QR codes lead to.
urlpatterns += [
    path(
        "juries/diplomas/<str:number>/documents/<str:kind>/",
        juries_documents.document,
        name="diploma_document",
    ),
    path("juries/<int:session_id>/minutes.pdf", juries_documents.minutes, name="jury_minutes"),
    path(
        "verify/diploma/<str:number>/<str:code>/",
        juries_documents.verify_diploma,
        name="verify_diploma",
    ),
    path(
        "verify/minutes/<int:session_id>/<str:code>/",
        juries_documents.verify_minutes,
        name="verify_minutes",
    ),
    path(
        "credentials/pdf-signing/<int:number>.crt",
        juries_documents.signing_certificate,
        name="pdf_signing_certificate",
    ),
]

# Import and export of learners, units, offerings, enrolments and results.
urlpatterns += [
    path("exchange/", exchange.page, name="exchange"),
    path("exchange/export/", exchange.export, name="exchange_export"),
    path("exchange/imports/<int:job_id>/", exchange.job, name="exchange_job"),
    path(
        "exchange/imports/<int:job_id>/progress.json",
        exchange.job_progress,
        name="exchange_job_progress",
    ),
]
