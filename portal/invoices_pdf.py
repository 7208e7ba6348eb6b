"""An invoice as a PDF a Norwegian bank customer can pay: the seller (name, address,
organisation number, «MVA», «Foretaksregisteret»), the payer, dates, account number and KID, the
lines with their orders, references and VAT, the totals, and the sentence that says how to pay.

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
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from portal.formatting import (
    format_account_number,
    format_date,
    format_nok,
    format_org_number,
    format_percent,
    format_quantity,
)
from portal.models import Customer, Invoice, InvoiceLine
from portal.selectors.invoices import invoice_lines, invoice_vat_totals
from portal.text import text_clean

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
SMALL_RIGHT = _style("small-right", size=8, textColor=GREY, alignment=TA_RIGHT)
# A label beside its value, in the value's size: on one baseline, text tools read them in order.
LABEL = _style("label", textColor=GREY)
TITLE = _style("title", size=20, font=BOLD, alignment=TA_RIGHT)
PROVIDER = _style("provider", size=16, font=BOLD)
HEADING = _style("heading", font=BOLD)
HEADING_RIGHT = _style("heading-right", font=BOLD, alignment=TA_RIGHT)
PAYMENT = _style("payment", font=BOLD, leftIndent=6)  # in line with the tables' text


def _p(text, style=BODY) -> Paragraph:
    """A paragraph of plain text: names and descriptions are never read as markup, and a
    control character stored before forms refused them is left out."""
    return Paragraph(escape(text_clean(str(text))), style)


def _label(model, name) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _table_style(commands: list) -> TableStyle:
    """A table's style, in the embedded font: a cell draws in Helvetica, which no PDF embeds,
    unless told otherwise (even when it only holds paragraphs)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _org_number(department) -> str:
    return department.org_number or department.customer.org_number


def _provider_org() -> str:
    """«Org.nr. 999 999 999 MVA»: «MVA» where the provider is registered for VAT."""
    org = _("Org. no. %(number)s") % {
        "number": format_org_number(settings.PORTAL_PROVIDER_ORG_NUMBER)
    }
    return f"{org} MVA" if settings.PORTAL_PROVIDER_VAT_REGISTERED else org


def _seller() -> list[Paragraph]:
    """Name, address and organisation number, as the bookkeeping regulations ask of a seller:
    «MVA» when registered for VAT, «Foretaksregisteret» for a company registered there."""
    return [
        _p(settings.PORTAL_PROVIDER_NAME, PROVIDER),
        _p(settings.PORTAL_PROVIDER_ADDRESS),
        _p(f"{settings.PORTAL_PROVIDER_POSTAL_CODE} {settings.PORTAL_PROVIDER_CITY}"),
        _p(_provider_org()),
        _p("Foretaksregisteret"),
    ]


def _parties(invoice: Invoice) -> Table:
    payer = invoice.payer
    payer_lines = [_p(_label(Invoice, "payer"), SMALL), _p(payer.name, HEADING)]
    if payer.customer.name != payer.name:
        payer_lines.append(_p(payer.customer.name))
    payer_lines += [_p(line) for line in payer.address_lines]
    payer_lines.append(
        _p(_("Org. no. %(number)s") % {"number": format_org_number(_org_number(payer))})
    )

    facts = [
        (_label(Invoice, "number"), invoice.number),
        (_label(Invoice, "invoice_date"), format_date(invoice.invoice_date)),
        (_label(Invoice, "due_date"), format_date(invoice.due_date)),
        (_("Account number"), format_account_number(settings.PORTAL_PROVIDER_ACCOUNT_NUMBER)),
        (_label(Invoice, "kid"), invoice.kid or "–"),
        (_label(Customer, "customer_number"), payer.customer.customer_number),
    ]
    if invoice.order is not None:
        facts.append((_label(Invoice, "order"), str(invoice.order.number)))
    facts_table = Table(
        [[_p(label, LABEL), _p(value, RIGHT)] for label, value in facts],
        colWidths=[32 * mm, 38 * mm],
    )
    facts_table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    parties = Table([[payer_lines, facts_table]], colWidths=[None, 72 * mm])
    parties.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return parties


def _line_description(line: InvoiceLine) -> list[Paragraph]:
    """The description, and under it the order and the customer's reference on it."""
    cell = [_p(line.description)]
    if line.order is not None:
        order = _("Order %(number)s") % {"number": line.order.number}
        if line.order.customer_reference:
            order = _("%(order)s, your ref. %(reference)s") % {
                "order": order,
                "reference": line.order.customer_reference,
            }
        cell.append(_p(order, SMALL))
    return cell


def _line_vat_rate(line: InvoiceLine) -> list[Paragraph]:
    cell = [_p(format_percent(line.vat_rate), RIGHT)]
    if line.is_vat_exempt:
        cell.append(_p(_("Exempt from VAT"), SMALL_RIGHT))
    return cell


def _lines(lines: list[InvoiceLine]) -> Table:
    heading = [
        _p(_("Description"), HEADING),
        _p(_label(InvoiceLine, "quantity"), HEADING_RIGHT),
        _p(_label(InvoiceLine, "unit_price"), HEADING_RIGHT),
        _p(_label(InvoiceLine, "vat_rate"), HEADING_RIGHT),
        _p(_("VAT"), HEADING_RIGHT),
        _p(_("Amount excl. VAT"), HEADING_RIGHT),
    ]
    rows = [heading]
    for line in lines:
        rows.append(
            [
                _line_description(line),
                _p(format_quantity(line.quantity), RIGHT),
                _p(format_nok(line.unit_price), RIGHT),
                _line_vat_rate(line),
                _p(format_nok(line.vat_amount), RIGHT),
                _p(format_nok(line.amount), RIGHT),
            ]
        )
    table = Table(
        rows,
        colWidths=[None, 16 * mm, 26 * mm, 23 * mm, 24 * mm, 33 * mm],
        repeatRows=1,
    )
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return table


def _totals(invoice: Invoice, lines: list[InvoiceLine]) -> Table:
    rows = []
    if lines:
        totals = invoice_vat_totals(lines=lines)
        rows += [
            [_p(_("Sum excl. VAT")), _p(format_nok(totals.excl_vat), RIGHT)],
            [_p(_("VAT")), _p(format_nok(totals.vat), RIGHT)],
        ]
    total_row = len(rows)
    rows.append([_p(_("Total"), HEADING), _p(format_nok(invoice.total), HEADING_RIGHT)])
    if invoice.is_credit_note:
        rows.append([_p(_("Outstanding")), _p(format_nok(invoice.outstanding), RIGHT)])
    else:
        rows.append(
            [_p(_("Amount to pay"), HEADING), _p(format_nok(invoice.outstanding), HEADING_RIGHT)]
        )
    rows.append([_p(_("Status")), _p(invoice.status.label, RIGHT)])
    table = Table(rows, colWidths=[40 * mm, 32 * mm], hAlign="RIGHT")
    table.setStyle(
        _table_style([("LINEABOVE", (0, total_row), (-1, total_row), 0.75, colors.black)])
    )
    return table


def _payment(invoice: Invoice) -> list:
    if invoice.is_credit_note or invoice.outstanding <= 0:
        return []
    details = {
        "amount": format_nok(invoice.outstanding),
        "account": format_account_number(settings.PORTAL_PROVIDER_ACCOUNT_NUMBER),
        "due": format_date(invoice.due_date),
        "kid": invoice.kid,
    }
    if invoice.kid:
        text = _(
            "Pay %(amount)s to account %(account)s by %(due)s, marking the payment with KID "
            "%(kid)s."
        )
    else:
        text = _("Pay %(amount)s to account %(account)s by %(due)s.")
    return [Spacer(0, 8 * mm), _p(text % details, PAYMENT)]


def _footer_text() -> str:
    """Name, address, organisation number and the contacts that are set, on every page."""
    parts = [
        settings.PORTAL_PROVIDER_NAME,
        f"{settings.PORTAL_PROVIDER_ADDRESS}, {settings.PORTAL_PROVIDER_POSTAL_CODE} "
        f"{settings.PORTAL_PROVIDER_CITY}",
        _provider_org(),
        *(c for c in (settings.PORTAL_PROVIDER_EMAIL, settings.PORTAL_PROVIDER_PHONE) if c),
    ]
    return " · ".join(parts)


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The invoice as PDF bytes, in the active language."""
    _fonts()
    provider = settings.PORTAL_PROVIDER_NAME
    lines = invoice_lines(invoice=invoice)
    title = (
        _label(Invoice, "is_credit_note")
        if invoice.is_credit_note
        else capfirst(Invoice._meta.verbose_name)
    )

    header_table = Table([[_seller(), _p(title, TITLE)]], colWidths=[None, 80 * mm])
    header_table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN + 6, 10 * mm, _footer_text())
        canvas.drawRightString(
            A4[0] - MARGIN - 6,
            10 * mm,
            _("Invoice %(number)s · page %(page)d")
            % {"number": invoice.number, "page": document.page},
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = BaseDocTemplate(
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
        # Not ReportLab's default Helvetica, which no PDF embeds: every font in the file is.
        initialFontName=FONT,
    )
    # The footer drawn after the page's content, so that the text reads top to bottom.
    body = Frame(document.leftMargin, document.bottomMargin, document.width, document.height)
    document.addPageTemplates([PageTemplate(frames=[body], onPageEnd=footer)])
    document.build(
        [
            header_table,
            Spacer(0, 10 * mm),
            _parties(invoice),
            Spacer(0, 10 * mm),
            _lines(lines),
            Spacer(0, 6 * mm),
            _totals(invoice, lines),
            *_payment(invoice),
        ]
    )
    return buffer.getvalue()
