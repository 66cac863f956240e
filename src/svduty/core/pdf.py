"""PDFs with WeasyPrint (architecture D12): tagged PDF/UA-1 so screen readers can
read them. The HTML is a print template with its own styles and no external fetches
(nothing may be fetched at run time)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=None).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def pdf_response(
    content: bytes, filename: str, *, attachment: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
