"""The strategy app's PDFs use the shared renderer (svduty.core.pdf): tagged
PDF/UA-1 from a print template."""

from svduty.core.pdf import pdf_response, render_pdf

__all__ = ["pdf_response", "render_pdf"]
