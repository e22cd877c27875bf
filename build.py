#!/usr/bin/env python3
"""Build the commune plans in content/ into site/ (website, PDFs, open data). See --help."""
import sys

from planpub.cli import main

if __name__ == "__main__":
    sys.exit(main())
