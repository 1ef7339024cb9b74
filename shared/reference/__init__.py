"""Public reference data read from the official files in DATA_DIR: ROME v3.47 and geography.

This is read-only open data (Licence Ouverte / Etalab 2.0), not a service's
store: every service may load it, the way it loads a library. The diagnostic
service also imports it, with its provenance, into its own store.
"""
