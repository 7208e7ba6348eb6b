"""Rapporter: orders per month, health check coverage, invoiced and outstanding per month,
health declarations answered per appointment, health surveillance coverage per month."""

from .base import Report, ReportResult
from .declarations import DeclarationsReport
from .health_checks import HealthCheckReport
from .invoices import InvoicesReport
from .orders import OrdersReport
from .period import Period, ReportFilterForm, report_url
from .surveillance import SurveillanceReport

REPORTS: tuple[Report, ...] = (
    OrdersReport(),
    HealthCheckReport(),
    InvoicesReport(),
    DeclarationsReport(),
    SurveillanceReport(),
)


def report_by_slug(slug: str) -> Report | None:
    return next((report for report in REPORTS if report.slug == slug), None)


__all__ = [
    "REPORTS",
    "Period",
    "Report",
    "ReportFilterForm",
    "ReportResult",
    "report_by_slug",
    "report_url",
]
