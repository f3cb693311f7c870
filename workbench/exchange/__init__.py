"""Exchange with CAT tools: XLIFF, TMX, tabular files, OmegaT projects."""
