# Django has no date-and-time formats for Arabic and would fall back to the US English ones.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y، H:i T"  # 31 ديسمبر، 2026، 14:05 UTC
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i T"  # 31/12/2026 14:05 UTC, right-to-left marks
# Western digits, grouped as CLDR writes Arabic with Latin digits (1,407.5); Django's own
# Arabic formats group nothing and swap the separators.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
