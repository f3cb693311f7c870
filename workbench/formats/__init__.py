"""Reading documents of every format and rendering them in English."""
