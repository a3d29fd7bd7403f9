"""Dritare: a static-site generator for multilingual transparency websites."""

__version__ = "0.1.0"
