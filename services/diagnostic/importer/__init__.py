"""Importers of the labour-market data into the diagnostic service's store (``make data``)."""
