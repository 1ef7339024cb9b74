"""Keep out of a service process the optional modules that libraries import but the services never run.

Some libraries import an optional part whenever it is installed, and handle its absence: httpx its
command line (``httpx._main``, with rich, pygments and click), PyJWT the ``cryptography`` package
(for RSA, EC and EdDSA keys). The production image is built without the development dependencies
(``uv sync --no-dev``), where rich and cryptography come from (pip-audit, schemathesis, moto): there
these parts are absent and the libraries go without them. In development they are installed, and
every service process paid for them (issue 21, point 4: 5.5 MB per process that imports httpx, 9 MB
for PyJWT in the gateway). Here the development processes do what production does.

A ``None`` in ``sys.modules`` makes ``import name`` raise ``ModuleNotFoundError`` (a subclass of the
``ImportError`` the libraries catch): that is how a module is marked absent, without uninstalling it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Never used by a service, in no process: httpx's command line (``httpx`` in a shell is its own process).
UNUSED = ("httpx._main",)


def skip_unused_imports() -> None:
    """Mark the modules of ``UNUSED`` absent, unless already imported (then nothing changes)."""
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


@contextmanager
def without(*names: str) -> Iterator[None]:
    """While the block runs, the named modules read as absent, unless one is already imported.

    For an import that would load an optional module the service does not use, when other code of the
    same process may need that module later (the tests' moto needs cryptography): it is kept out of the
    import only, and can still be imported afterwards.
    """
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
