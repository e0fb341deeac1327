"""CSV and XLSX exports for staff, with spreadsheet formula injection neutralised."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

# A cell starting with one of these is run as a formula by Excel/LibreOffice/Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a quote to text a spreadsheet would treat as a formula; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows):
    """Yield CSV lines (UTF-8 with BOM so Excel opens Indonesian names correctly)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_bytes(header: list[str], rows, *, title: str = "Data") -> bytes:
    from openpyxl import Workbook  # loaded on the first XLSX download, not at start-up

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(request, *, name: str, header: list[str], rows):
    """A CSV (streamed) or XLSX (?format=xlsx) download of rows, never cached."""
    fmt = request.GET.get("format", "csv")
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, title=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    else:
        response = StreamingHttpResponse(
            csv_rows(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
