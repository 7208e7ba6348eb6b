"""Rapporter: each report the user may see, for a period of months, and its table as .xlsx.

`?export=<slug>` (a GET: it changes nothing) answers with the spreadsheet of that report for
the same period and customer as the page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from permissions.navigation import can_view_reports
from portal.reports import REPORTS, Period, ReportFilterForm, report_by_slug
from portal.reports.jobs import picks_customer, report_export_is_large, report_export_start
from portal.reports.xlsx import XLSX_CONTENT_TYPE, report_filename, report_workbook

EXPORT_PARAM = "export"
SHOW_PARAM = "vis"  # a report worked out only when asked for (Report.on_request)


class ReportsView(TemplateView):
    template_name = "portal/reports.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        staff, today = picks_customer(request.user), timezone.localdate()
        self.form = ReportFilterForm(request.GET, staff=staff, today=today)
        self.opened_on_latest = False
        if self._opens_on_default():
            latest = self._latest_period()
            if latest is not None:
                data = request.GET.copy()
                data.update(latest.as_params())
                self.form = ReportFilterForm(data, staff=staff, today=today)
                self.opened_on_latest = True
        if EXPORT_PARAM in request.GET:
            return self.export(request.GET[EXPORT_PARAM])
        return super().get(request, *args, **kwargs)

    def _opens_on_default(self) -> bool:
        """No months asked for: the page opens on its own choice of period."""
        asked = ("from_month", "to_month", EXPORT_PARAM)
        return not any(self.request.GET.get(name) for name in asked) and self.form.is_valid()

    def _latest_period(self) -> Period | None:
        """The twelve months up to the latest month with figures, when the last twelve months
        have none (a customer whose last order was years ago): never an empty year."""
        user, default, customer = self.request.user, self.form.period, self.form.customer
        dates = [
            report.latest_date(user=user, before=default.end_date, customer=customer)
            for report in REPORTS
            if report.is_visible_to(user)
        ]
        latest = max((d for d in dates if d is not None), default=None)
        if latest is None or latest >= default.first:
            return None
        return Period.default(latest)

    def export(self, slug: str) -> HttpResponse:
        user = self.request.user
        report = report_by_slug(slug)
        if report is None:  # an address edited by hand or an old bookmark: the page, and why
            messages.error(
                self.request,
                _(
                    "There is no such report to export. Choose «Export to Excel» by the "
                    "report you want."
                ),
            )
            return super().get(self.request)
        if not (report.is_visible_to(user) and report.may_export(user)):
            raise PermissionDenied
        if not self.form.is_valid():  # the page, with the form's errors: never a bare 400
            messages.error(
                self.request,
                _("The report was not exported: correct the period or customer below."),
            )
            return super().get(self.request)
        if report.needs_customer(user, self.form.customer):
            messages.error(self.request, str(report.customer_needed_text))
            return super().get(self.request)
        period, customer = self.form.period, self.form.customer
        # A report that is costly to work out says how large it could be, so that a large one
        # goes to a worker at once rather than being worked out here first only to be counted.
        rows = report.rows_at_most(user=user, period=period, customer=customer)
        if rows is None or not report_export_is_large(rows):
            result = report.build(user=user, period=period, customer=customer)
            rows = len(result.table.rows)
        if report_export_is_large(rows):
            job = report_export_start(
                user=user, report=report, query=self.form.query_string(), rows=rows
            )
            return redirect(job.get_absolute_url())
        filename = report_filename(report, period)
        return HttpResponse(
            report_workbook(result),
            content_type=XLSX_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = self.form
        period, customer = form.period, form.customer
        query = form.query_string()
        shown = self.request.GET.getlist(SHOW_PARAM)
        results = [
            {
                "report": report,
                "result": report.build(user=user, period=period, customer=customer)
                if not report.on_request or report.slug in shown
                else None,
                "show_url": f"?{query}&{SHOW_PARAM}={report.slug}#{report.slug}",
                "export_url": f"?{query}&{EXPORT_PARAM}={report.slug}"
                if report.may_export(user) and not report.needs_customer(user, customer)
                else None,
            }
            for report in REPORTS
            if report.is_visible_to(user)
        ]
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Reports"),
            "form": form.for_display(),
            "period": period,
            "customer": customer,
            "reports": results,
            "shown": [slug for slug in shown if report_by_slug(slug) is not None],
            "show_param": SHOW_PARAM,
            "opened_on_latest": self.opened_on_latest,
        }
