"""CTIP: an information system against trafficking in persons."""
