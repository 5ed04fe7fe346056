"""Pizhu (批注): raw Chinese speeches -> annotated, searchable, offline study site.

The pipeline, one module per stage (each stage takes plain data and returns plain data):

    decode     bytes -> str (encoding, BOM, line ends)
    rules      the cleaning rules, as data
    clean      applies the rules, keeps the removal log
    structure  title, metadata, headings, paragraphs, re-joined lines
    glossary   load + validate glossary.yml
    link       find glossary concepts in text (one pass)
    render     Markdown out; the only place that escapes
    site       whole-corpus pages: indexes, term pages, maps
    generate   reads sources/ and glossary.yml, writes docs/ (the I/O edge)
    cli        argparse verbs (scripts/build.py)
"""

__version__ = "0.1.0"
