"""An invoice as a PDF to send to the accountant: provider, payer, dates, KID, lines, totals.

Drawn with ReportLab (pure Python, from PyPI alone) in the Bitstream Vera font it ships with, so
æøå and the non-breaking spaces of `1 500,00 kr` come out right without any system font.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.formatting import format_date, format_nok, format_quantity
from portal.models import Customer, Invoice, InvoiceLine

FONT, BOLD = "Vera", "VeraBd"
MARGIN = 18 * mm
GREY = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#c8ced6")


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))


def _style(name, size=9, font=FONT, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, **kwargs)


BODY = _style("body")
SMALL = _style("small", size=8, textColor=GREY)
RIGHT = _style("right", alignment=TA_RIGHT)
TITLE = _style("title", size=20, font=BOLD, alignment=TA_RIGHT)
PROVIDER = _style("provider", size=16, font=BOLD)
HEADING = _style("heading", font=BOLD)
HEADING_RIGHT = _style("heading-right", font=BOLD, alignment=TA_RIGHT)


def _p(text, style=BODY) -> Paragraph:
    """A paragraph of plain text: names and descriptions are never read as markup."""
    return Paragraph(escape(str(text)), style)


def _label(model, name) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _org_number(department) -> str:
    return department.org_number or department.customer.org_number


def _parties(invoice: Invoice) -> Table:
    payer = invoice.payer
    payer_lines = [_p(_label(Invoice, "payer"), SMALL), _p(payer.name, HEADING)]
    if payer.customer.name != payer.name:
        payer_lines.append(_p(payer.customer.name))
    payer_lines.append(_p(_("Org. no. %(number)s") % {"number": _org_number(payer)}))

    facts = [
        (_label(Invoice, "number"), invoice.number),
        (_label(Invoice, "invoice_date"), format_date(invoice.invoice_date)),
        (_label(Invoice, "due_date"), format_date(invoice.due_date)),
        (_label(Invoice, "kid"), invoice.kid or "–"),
        (_label(Customer, "customer_number"), payer.customer.customer_number),
    ]
    if invoice.order is not None:
        facts.append((_label(Invoice, "order"), str(invoice.order.number)))
    facts_table = Table(
        [[_p(label, SMALL), _p(value, RIGHT)] for label, value in facts],
        colWidths=[32 * mm, 38 * mm],
    )
    facts_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    parties = Table([[payer_lines, facts_table]], colWidths=[None, 72 * mm])
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return parties


def _lines(lines: list[InvoiceLine]) -> Table:
    heading = [
        _p(_("Description"), HEADING),
        _p(_label(InvoiceLine, "order"), HEADING),
        _p(_label(InvoiceLine, "quantity"), HEADING_RIGHT),
        _p(_label(InvoiceLine, "unit_price"), HEADING_RIGHT),
        _p(_label(InvoiceLine, "amount"), HEADING_RIGHT),
    ]
    rows = [heading]
    for line in lines:
        rows.append(
            [
                _p(line.description),
                _p(str(line.order.number) if line.order is not None else ""),
                _p(format_quantity(line.quantity), RIGHT),
                _p(format_nok(line.unit_price), RIGHT),
                _p(format_nok(line.amount), RIGHT),
            ]
        )
    table = Table(
        rows,
        colWidths=[None, 24 * mm, 16 * mm, 28 * mm, 28 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return table


def _totals(invoice: Invoice) -> Table:
    rows = [
        [_p(_("Total"), HEADING), _p(format_nok(invoice.total), HEADING_RIGHT)],
        [_p(_("Outstanding")), _p(format_nok(invoice.outstanding), RIGHT)],
        [_p(_("Status")), _p(invoice.status.label, RIGHT)],
    ]
    table = Table(rows, colWidths=[40 * mm, 32 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.75, colors.black)]))
    return table


def _payment(invoice: Invoice) -> list:
    if invoice.is_credit_note or invoice.outstanding <= 0:
        return []
    account = getattr(settings, "PORTAL_PROVIDER_ACCOUNT_NUMBER", "")
    details = {
        "amount": format_nok(invoice.outstanding),
        "account": account,
        "due": format_date(invoice.due_date),
        "kid": invoice.kid,
    }
    if account and invoice.kid:
        text = _("Pay %(amount)s to account %(account)s by %(due)s, with KID %(kid)s.")
    elif account:
        text = _("Pay %(amount)s to account %(account)s by %(due)s.")
    elif invoice.kid:
        text = _("Pay %(amount)s by %(due)s, with KID %(kid)s.")
    else:
        text = _("Pay %(amount)s by %(due)s.")
    return [Spacer(0, 8 * mm), _p(text % details)]


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The invoice as PDF bytes, in the active language."""
    _fonts()
    provider = settings.PORTAL_PROVIDER_NAME
    provider_org = getattr(settings, "PORTAL_PROVIDER_ORG_NUMBER", "")
    lines = list(invoice.lines.select_related("order").order_by("pk"))
    title = (
        _label(Invoice, "is_credit_note")
        if invoice.is_credit_note
        else capfirst(Invoice._meta.verbose_name)
    )

    header = [[_p(provider, PROVIDER), _p(title, TITLE)]]
    if provider_org:
        header.append([_p(_("Org. no. %(number)s") % {"number": provider_org}, SMALL), ""])
    header_table = Table(header, colWidths=[None, 80 * mm])

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(
            MARGIN,
            10 * mm,
            _("%(provider)s · invoice %(number)s · page %(page)d")
            % {"provider": provider, "number": invoice.number, "page": document.page},
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{title} {invoice.number}",
        author=provider,
        subject=f"{title} {invoice.number} – {invoice.payer.name}",
        creator=provider,
    )
    document.build(
        [
            header_table,
            Spacer(0, 10 * mm),
            _parties(invoice),
            Spacer(0, 10 * mm),
            _lines(lines),
            Spacer(0, 6 * mm),
            _totals(invoice),
            *_payment(invoice),
        ],
        onFirstPage=footer,
        onLaterPages=footer,
    )
    return buffer.getvalue()
