"""Export and import in the scoped admin: allowed by capability for customers and by a
dedicated permission for staff, never just by being an admin user.

Export is django-import-export's, on the list's own (scoped, filtered) queryset. Every import
is the portal's own pipeline (`PipelineImportMixin` over `imports.pipeline`) rather than
import-export's: that one keeps the upload in a temp folder or cache of one server, lets anyone
who knows the file name confirm it, commits the valid rows when the data changed since the
preview, and costs several queries per row. Here the upload is kept in the database for its
uploader only, the confirm checks every row again, refuses a plan other than the preview's, and
writes all or nothing, in batches. An employee file of more rows than
JOBS_IMPORT_ROWS_THRESHOLD is confirmed by a worker instead, as a job with a progress page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin

from accounts.uploads import AllowedTypesUploadHandler
from imports.employee_columns import COLUMNS
from imports.employee_template import employee_template
from imports.employees import EmployeeImporter, importable_customers, importable_departments
from imports.exports import CSV_ENCODING, NorwegianCSV, SafeXLSX
from imports.forms import EmployeeImportForm, PortalExportForm
from imports.jobs import admin_export_start, employee_import_start
from imports.parsing import Limits, too_large
from imports.pipeline import (
    import_confirm,
    import_preview,
    plan_changed_message,
    upload_missing_message,
)
from imports.uploads import CappedMemoryUploadHandler, upload_discard
from permissions.capabilities import Capability
from permissions.policies import may_act_on_model
from portal.models import Employee

REPLACED_HANDLERS = (
    AllowedTypesUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScopedExportMixin(ExportMixin):
    """Export exactly the rows of the list as it is filtered (the changelist's queryset); a
    large export is made by a worker, as a job (see `imports.jobs`)."""

    export_form_class = PortalExportForm
    export_template_name = "imports/export.html"
    formats = (SafeXLSX, NorwegianCSV)
    to_encoding = CSV_ENCODING

    def has_export_permission(self, request):
        return may_act_on_model(request.user, self.model, "export", self.view_capability)

    def export_action(self, request):
        """A filter in the address that the list cannot apply (`?foo=bar`, a date that is
        none) sends the user back to the list, as the list itself does (`?e=1`), saying
        that nothing was exported: never a 500, nor a file of rows they did not choose."""
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(
                request,
                _(
                    "Nothing was exported: the list's filter in the address is not valid. "
                    "Choose the filter again in the list, then export."
                ),
            )
            changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return redirect(f"{changelist}?{ERROR_FLAG}=1")

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["title"] = capfirst(_("export %(rows)s") % {"rows": self.opts.verbose_name_plural})
        return context

    def get_export_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_export_resource_kwargs(request, **kwargs),
            "request": request,
            "progress": getattr(request, "export_progress", None),
        }

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The file at once, or, for more rows than JOBS_EXPORT_ROWS_THRESHOLD, a job that
        makes it while the user may do something else."""
        rows = queryset.count()
        if rows <= settings.JOBS_EXPORT_ROWS_THRESHOLD or getattr(request, "in_job", False):
            return super()._do_file_export(file_format, request, queryset, export_form)
        return redirect(admin_export_start(model_admin=self, request=request, rows=rows))

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """import-export's, with native cells (dates, numbers) for any binary format: its own
        check knows its XLSX class only, not `SafeXLSX`."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        data.title = capfirst(str(self.opts.verbose_name_plural))
        content = file_format.export_data(data)
        if not file_format.is_binary() and kwargs.get("encoding"):
            content = content.encode(kwargs["encoding"])
        return content

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.opts.verbose_name_plural).replace(" ", "-").replace("/", "-")
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_valid_export_item_pks(self, request):
        """The selected rows' ids the export form accepts back: the numbers sent. Which of
        them are exported is the list's scoped queryset's to say, as for every export.
        import-export's own lists every id of the table, to validate a selection against:
        500,000 employees, a second per export (and a deprecation warning)."""
        return [value for value in request.POST.getlist("export_items") if value.isdigit()]


class PipelineImportMixin:
    """Upload → preview → confirm (or cancel) on a model admin, for one kind of import file
    (`imports.pipeline`). Subclasses say who may (`has_import_permission`), which importer reads
    the file (`import_importer`) and how the page looks."""

    import_kind = ""
    import_title = ""
    import_template_name = ""
    import_export_change_list_template = "imports/change_list_import_export.html"

    def has_import_permission(self, request) -> bool:
        raise NotImplementedError

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        admin_view = self.admin_site.admin_view
        return [
            path("import/", admin_view(self._upload_entry()), name=f"{name}_import"),
            *self.import_extra_urls(name),
            path(
                "import/confirm/",
                admin_view(require_POST(self.import_confirm_view)),
                name=f"{name}_import_confirm",
            ),
            path(
                "import/cancel/",
                admin_view(require_POST(self.import_cancel_view)),
                name=f"{name}_import_cancel",
            ),
            *super().get_urls(),
        ]

    def import_extra_urls(self, name: str) -> list:
        return []

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {})}
        extra_context["has_import_permission"] = self.has_import_permission(request)
        return super().changelist_view(request, extra_context)

    # -- what the subclass says ----------------------------------------------------------------

    def import_form(self, request, *args):
        raise NotImplementedError

    def import_customer(self, request, form):
        """The customer the upload is for (None: an import across customers)."""
        return None

    def import_importer(self, request, customer):
        """The importer of an upload for `customer`; None when the user may no longer import
        for it (the confirm then answers as for a missing upload)."""
        raise NotImplementedError

    def import_job(self, request, upload):
        """A job that confirms a large upload in a worker, or None to confirm at once."""
        return None

    def import_page_context(self, request, plan) -> dict:
        return {}

    def import_previewed(self, request, plan) -> None:
        """Told of every preview (to add a message, say)."""

    def import_invalid(self, request, plan):
        """The answer to a confirm whose file now has errors (nothing written)."""
        messages.error(request, _("Nothing has been imported: the file now has errors."))
        return self._import_page(request, self.import_form(request), plan)

    def import_done(self, request, plan) -> None:
        raise NotImplementedError

    # -- views -------------------------------------------------------------------------------

    def _upload_entry(self):
        """The upload handler is set before anything reads the body, so the CSRF check runs
        inside (Django's recipe for changing upload handlers).

        The site-wide check of file names (`AllowedTypesUploadHandler`, a bare 400 for any
        other extension) is left out here: an import tells a file by its content, and a
        user who picked a .ods, .xls, .numbers, PDF or picture is told on this page what the
        file is and what to upload instead. Storage is in memory, capped."""

        @csrf_exempt
        def entry(request):
            if request.method == "POST":
                handler = CappedMemoryUploadHandler(request, limit=settings.IMPORTS_MAX_FILE_SIZE)
                request.upload_handlers = [
                    *(h for h in request.upload_handlers if not isinstance(h, REPLACED_HANDLERS)),
                    handler,
                ]
                request.import_upload_handler = handler
            return csrf_protect(self.import_view)(request)

        return entry

    def _import_allowed(self, request) -> None:
        if not self.has_import_permission(request):
            raise PermissionDenied

    def import_view(self, request):
        self._import_allowed(request)
        if request.method != "POST":
            return self._import_page(request, self.import_form(request))
        form = self.import_form(request, request.POST, request.FILES)
        valid = form.is_valid()
        handler = getattr(request, "import_upload_handler", None)
        if handler is not None and handler.too_large:  # skipped as it came in: say why
            form.errors["import_file"] = form.error_class(
                [too_large(Limits.from_settings()).message]
            )
            valid = False
        if not valid:
            return self._import_page(request, form)
        customer, upload = self.import_customer(request, form), form.cleaned_data["import_file"]
        importer = self.import_importer(request, customer)
        if importer is None:
            raise PermissionDenied
        plan, token = import_preview(
            importer=importer,
            user=request.user,
            customer=customer,
            file_name=upload.name,
            content=upload.read(),
        )
        self.import_previewed(request, plan)
        return self._import_page(request, self.import_form(request), plan, token)

    def import_confirm_view(self, request):
        self._import_allowed(request)
        try:
            confirmation = import_confirm(
                user=request.user,
                token=request.POST.get("token", ""),
                kind=self.import_kind,
                importer_of=lambda upload: self.import_importer(request, upload.customer),
                job_of=lambda upload: self.import_job(request, upload),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(self._url("import"))
        if confirmation.outcome == "missing":
            messages.error(request, upload_missing_message())
            return redirect(self._url("import"))
        if confirmation.outcome == "job":
            return redirect(confirmation.job)
        if confirmation.outcome == "changed":
            messages.warning(request, plan_changed_message())
            return self._import_page(
                request, self.import_form(request), confirmation.plan, confirmation.token
            )
        if confirmation.outcome == "invalid":
            return self.import_invalid(request, confirmation.plan)
        self.import_done(request, confirmation.plan)
        return redirect(self._url("changelist"))

    def import_cancel_view(self, request):
        self._import_allowed(request)
        upload_discard(token=request.POST.get("token", ""), user=request.user)
        messages.info(request, _("The import was cancelled. Nothing has been imported."))
        return redirect(self._url("import"))

    # -- the page ----------------------------------------------------------------------------

    def _url(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

    def _import_page(self, request, form, plan=None, token=None):
        context = {
            **self.admin_site.each_context(request),
            "title": self.import_title,
            "opts": self.opts,
            "form": form,
            "plan": plan,
            "token": token,
            "max_rows": settings.IMPORTS_MAX_ROWS,
            "max_size": filesizeformat(settings.IMPORTS_MAX_FILE_SIZE),
            "confirm_url": self._url("import_confirm"),
            "cancel_url": self._url("import_cancel"),
            "changelist_url": self._url("changelist"),
            **self.import_page_context(request, plan),
        }
        request.current_app = self.admin_site.name
        response = TemplateResponse(request, self.import_template_name, context)
        add_never_cache_headers(response)
        return response


class EmployeeImportMixin(PipelineImportMixin):
    """Importer ansatte: template, upload → preview → confirm, on the employee admin.

    Customers need `manage_employees` on a department; staff need the global permission to
    change employees (unscoped) and `portal.import_employee`.
    """

    import_capability = Capability.MANAGE_EMPLOYEES
    import_kind = EmployeeImporter.kind
    import_template_name = "imports/employee_import.html"

    @property
    def import_title(self):
        return _("Import employees")

    def has_import_permission(self, request) -> bool:
        return may_act_on_model(request.user, self.model, "import", self.import_capability)

    def import_extra_urls(self, name: str) -> list:
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{name}_import_template",
            )
        ]

    def _customers(self, request):
        self._import_allowed(request)
        return importable_customers(actor=request.user)

    def import_form(self, request, *args):
        return EmployeeImportForm(*args, customers=self._customers(request))

    def import_customer(self, request, form):
        return form.cleaned_data["customer"]

    def import_importer(self, request, customer):
        if customer is None or not self._customers(request).filter(pk=customer.pk).exists():
            return None
        return EmployeeImporter(actor=request.user, customer=customer)

    def import_job(self, request, upload):
        if upload.rows > settings.JOBS_IMPORT_ROWS_THRESHOLD:
            return employee_import_start(actor=request.user, upload=upload)
        return None

    def import_invalid(self, request, plan):
        messages.error(
            request,
            _(
                "Nothing has been imported: the employees changed since the preview, and "
                "the file now has errors. Correct them and upload the file again."
            ),
        )
        return self._import_page(request, self.import_form(request), plan)

    def import_done(self, request, plan) -> None:
        messages.success(
            request,
            _(
                "The import is saved. New: %(created)d, updated: %(updated)d, unchanged: "
                "%(unchanged)d."
            )
            % {
                "created": len(plan.creates),
                "updated": len(plan.updates),
                "unchanged": plan.unchanged,
            },
        )

    def import_template_view(self, request):
        customers = list(self._customers(request)[:2])
        example = "Avdeling"
        if len(customers) == 1:
            example = importable_departments(actor=request.user, customer=customers[0])[0].name
        content = employee_template(department_name=example)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="ansatte-mal.xlsx"'
        add_never_cache_headers(response)
        return response

    def import_page_context(self, request, plan) -> dict:
        context = {"columns": COLUMNS, "template_url": self._url("import_template")}
        if plan is not None:
            creates, updates = plan.samples()
            context["new_rows"] = creates
            context["changed_rows"] = [(row, _change_texts(row)) for row in updates]
        return context


def _change_texts(row) -> list[str]:
    texts = []
    for name, (old, new) in row.changes.items():
        if name == "national_id":
            texts.append(_("National identity number changed"))
            continue
        if name == "exposures":
            texts.append(_("Exposures added: %(names)s") % {"names": new})
            continue
        label = capfirst(Employee._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        texts.append(f"{label}: {old if old not in (None, '') else '–'} → {new or '–'}")
    if row.deactivate:
        texts.append(pgettext("import change", "Deactivated"))
    if row.reactivate:
        texts.append(pgettext("import change", "Reactivated"))
    elif not row.is_active and not row.deactivate:
        texts.append(_("Is deactivated, and stays so unless Aktiv is ja"))
    return texts
