"""Printable documents: an HTML template rendered as a PDF by WeasyPrint.

Every PDF of the project goes through :func:`render_pdf`, so that they share
one renderer and one way of finding their images and fonts (``base_url``).
"""

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: Mapping[str, Any], *, base_url: str) -> bytes:
    """Render a template to HTML, then the HTML to a PDF; links resolve against ``base_url``."""
    from weasyprint import HTML

    html = render_to_string(template, dict(context))
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf
