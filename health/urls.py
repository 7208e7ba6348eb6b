"""The health declaration's reading page, behind the admin's login (`admin_view`)."""

from django.contrib import admin
from django.urls import path

from health import views

urlpatterns = [
    path(
        "egenerklaering/<int:booking_id>/",
        admin.site.admin_view(views.declaration_page),
        name="health_declaration",
    ),
]
