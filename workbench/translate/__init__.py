"""Machine translation: models, engine, translator chain, corpus runs."""
