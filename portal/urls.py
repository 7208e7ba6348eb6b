"""The portal's pages outside the admin: the employee's page from the booking mail, and the
page for choosing their own appointment from the invitation mail."""

from django.urls import path

from portal.views import choice_page, employee_page

urlpatterns = [
    path("velg-time/<str:token>/", choice_page.choice_page, name="choice_page"),
    path("timeavtale/<str:token>/", employee_page.booking_page, name="booking_page"),
    path(
        "timeavtale/<str:token>/kommer/",
        employee_page.booking_page_confirm,
        name="booking_page_confirm",
    ),
    path(
        "timeavtale/<str:token>/avbestill/",
        employee_page.booking_page_cancel,
        name="booking_page_cancel",
    ),
    path("timeavtale/<str:token>/bytt/", employee_page.booking_page_move, name="booking_page_move"),
    path(
        "timeavtale/<str:token>/kalender.ics",
        employee_page.booking_page_calendar,
        name="booking_page_calendar",
    ),
]
