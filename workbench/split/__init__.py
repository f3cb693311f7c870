"""Splitting mixed-language text into single-language segments."""
