"""Retrieval vocabulary data (domain synonyms for query expansion), validated at load time."""
