"""The advice modules, grouped by theme; ``registry.MODULES`` lists them all."""
