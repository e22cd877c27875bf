"""Issue → sign → seal → verify, the ND30 way, with PAdES signatures made by pyHanko.

- :mod:`.record`  the issued record kept with its document in ``content/<commune>/<doc>/``:
  ``signed.pdf`` (published as it is, never rebuilt) and ``signed.json`` (what it was signed from);
  the checker's warning when the content changed after signing. No pyHanko import: the build and
  the checker use it.
- :mod:`.credentials` the PKCS#12 file, its password, and whether its certificate may sign.
- :mod:`.sign`    ``build.py sign``: fill the document's signature field (signer, then organisation)
  with a PAdES B-B signature (B-T with a timestamp server) and its image.
- :mod:`.inspect` read and validate the signatures of a PDF (``build.py verify``, the website).

Where the fields are and how big the images are: :mod:`planpub.pdf.fields`.
"""
