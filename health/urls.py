"""The health declaration's reading page, behind the admin's login (`admin_view`), and the
employee's form from the link of their booking (the token its only authority)."""

from django.contrib import admin
from django.urls import path

from health import employee_views, views

urlpatterns = [
    path(
        "egenerklaering/<int:booking_id>/",
        admin.site.admin_view(views.declaration_page),
        name="health_declaration",
    ),
    path(
        "egenerklaering/<int:booking_id>/pdf/",
        admin.site.admin_view(views.declaration_pdf_download),
        name="health_declaration_pdf",
    ),
    path(
        "egenerklaering/<int:booking_id>/journal/",
        admin.site.admin_view(views.declaration_transferred),
        name="health_declaration_transferred",
    ),
    path(
        "timeavtale/<str:token>/egenerklaering/",
        employee_views.declaration_form,
        name="health_declaration_form",
    ),
]
