"""Sentence alignment of a document with an existing translation."""
