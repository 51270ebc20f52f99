from django.urls import path

from attune.organisations.views import people

app_name = "people"
urlpatterns = [
    path("people/invite", people.invite, name="invite"),
    path("people/<uuid:user_id>/resend-invitation", people.resend_invitation, name="resend_invitation"),
    path("people/<uuid:user_id>/roles/new", people.give_role, name="give_role"),
    path("people/<uuid:user_id>/roles/<uuid:membership_id>/end", people.end_role, name="end_role"),
    path("people/<uuid:user_id>/roles/<uuid:membership_id>/move", people.move, name="move"),
    path("people/<uuid:user_id>/leaving", people.leaving, name="leaving"),
]
