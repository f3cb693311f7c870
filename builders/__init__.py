"""Builders of the small Argos packages that tests and benchmarks run the real engine on.

No model can be downloaded here, so the project makes its own: a trained toy language
(``xx`` → en), random-weight packages for real language codes, and a Transformer-base-shaped
random model for the benchmark. None of this is imported by the workbench at run time.
"""
