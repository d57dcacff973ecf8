#!/usr/bin/env python3
"""Writes the XLSX and ODS programme fixtures of releve-collectors, standard library only.

Usage: python3 tools/gen-sheets/gen_sheets.py   (from the repository root)

Both files hold the same season, with French headers as venues write them, real date and time
cells (Excel serial numbers with date/time number formats; ODS office:date-value and
office:time-value), a text date and a "20h" text time, a blank row, a row with an unknown
discipline (quarantined) and a cancelled performance. The files are minimal but valid: XLSX with
inline strings and a style sheet giving the date (numFmtId 14) and time (numFmtId 20) formats;
ODS with content.xml and a stored "mimetype" first, as the format requires. Re-running gives
byte-identical files (fixed zip timestamps).
"""

import datetime
import os
import zipfile
from xml.sax.saxutils import escape

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "collectors", "testdata", "programme_sheets")
STAMP = (2026, 1, 1, 0, 0, 0)

HEADER = ["Titre", "Date", "Heure", "Salle", "Code postal", "Ville", "Jauge", "Discipline",
          "Public", "Producteur", "Gratuit", "Annulé", "Création", "Numéro d'objet", "Remarques"]

D = datetime.date
T = datetime.time
# None = empty cell; an empty list = blank row.
ROWS = [
    ["Les Vagues", D(2026, 3, 20), T(20, 30), "Grande salle", "44000", "Nantes", 400, "Théâtre",
     "tout public", "Compagnie du Large", "non", "non", "oui", "26XZ00123442", "première"],
    ["Les Vagues", D(2026, 3, 21), T(20, 30), "Grande salle", "44000", "Nantes", 400, "Théâtre",
     None, "Compagnie du Large", None, None, None, "26XZ00123442", None],
    ["Nuit blanche", "27/03/2026", "20h", "Petite salle", None, None, 120, "chanson variété",
     None, None, "oui", None, None, "26XZ00987611", None],
    [],
    ["Mystère", D(2026, 3, 28), T(19, 0), "Petite salle", None, None, None, "zumba",
     None, None, None, None, None, None, None],
    ["Nuit blanche", D(2026, 4, 2), T(20, 0), "Petite salle", None, None, 120, "chanson variété",
     None, None, None, "oui", None, "26XZ00987611", None],
]


def col(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data, compress in members:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            z.writestr(info, data)


def xlsx_cell(ref, v):
    if v is None:
        return ""
    if isinstance(v, D):
        serial = (v - D(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(v, T):
        frac = (v.hour * 3600 + v.minute * 60) / 86400
        return f'<c r="{ref}" s="2"><v>{frac!r}</v></c>'
    if isinstance(v, int):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'


def xlsx():
    rows = []
    for i, row in enumerate([HEADER] + ROWS, start=1):
        cells = "".join(xlsx_cell(f"{col(j)}{i}", v) for j, v in enumerate(row))
        rows.append(f'<row r="{i}">{cells}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    members = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         '</Types>', True),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>', True),
        ("xl/workbook.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         '<sheets><sheet name="Programmation" sheetId="1" r:id="rId1"/></sheets></workbook>', True),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
         '</Relationships>', True),
        ("xl/styles.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
         '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
         '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
         '<xf numFmtId="20" applyNumberFormat="1"/></cellXfs></styleSheet>', True),
        ("xl/worksheets/sheet1.xml", sheet, True),
    ]
    write_zip(os.path.join(OUT, "programme.xlsx"), members)


def ods_cell(v):
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, D):
        return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                f"<text:p>{v.strftime('%d/%m/%Y')}</text:p></table:table-cell>")
    if isinstance(v, T):
        return (f'<table:table-cell office:value-type="time" office:time-value="PT{v.hour:02}H{v.minute:02}M00S">'
                f"<text:p>{v.strftime('%H:%M')}</text:p></table:table-cell>")
    if isinstance(v, int):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'


def ods():
    rows = []
    for row in [HEADER] + ROWS:
        cells = "".join(ods_cell(v) for v in row) or "<table:table-cell/>"
        rows.append(f"<table:table-row>{cells}</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Programmation">'
               f'{"".join(rows)}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    members = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", False),
        ("META-INF/manifest.xml", manifest, True),
        ("content.xml", content, True),
    ]
    write_zip(os.path.join(OUT, "programme.ods"), members)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    xlsx()
    ods()
