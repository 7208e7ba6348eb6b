"""Revisjonslogg, behind the admin's login (`admin_view`)."""

from django.contrib import admin
from django.urls import path

from audit import views

urlpatterns = [
    path("revisjonslogg/", admin.site.admin_view(views.audit_trail), name="audit_trail"),
]
