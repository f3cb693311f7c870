"""Translation Workbench: split mixed-language texts, translate them offline, review, align."""

__version__ = "0.1.0"
