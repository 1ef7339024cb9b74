"""The seven services, each run as its own process (``python -m services.<name>``)."""

from shared.lean_imports import skip_unused_imports

# First thing in every service process (this package is imported before any service module): the
# optional modules no service uses are kept out, as in the production image (shared/lean_imports.py).
skip_unused_imports()
