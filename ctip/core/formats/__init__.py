"""CTIP's date and time formats, one module per language (settings.FORMAT_MODULE_PATH).

Only what differs from Django's own formats is here: English dates day first, as the United
Nations writes them (31 December 2026, 31/12/2026, 24-hour clock), and in every language a
date with a time carries its time zone (“31/12/2026 14:05 UTC”). Everything else (month
names, separators, numbers) is Django's for the language.
"""
