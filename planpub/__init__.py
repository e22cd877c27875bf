"""planpub: publish the plans of Vietnamese communes as a website and official PDFs."""
