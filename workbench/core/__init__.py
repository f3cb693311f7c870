"""The documents, languages, settings and errors every stage shares."""
