"""Official PDFs of every KH and QĐ in the layout of Nghị định 30/2020/NĐ-CP, with WeasyPrint.

- :mod:`.fonts`  finds Times New Roman, else Liberation Serif; stops the build if neither is there.
- :mod:`.view`   turns a :class:`~planpub.model.Document` into what the templates print (the
  logic: number and date lines, draft blanks, appendix rows and their spans, metadata).
- :mod:`.render` fills ``templates/pdf/`` with Jinja2 and hands the HTML to WeasyPrint.

Layout lives in ``templates/pdf/`` (templates and the one stylesheet ``nd30.css``), never here.
"""
