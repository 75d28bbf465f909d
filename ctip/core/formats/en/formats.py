# English as the United Nations writes it: day, month, year; a 24-hour clock with the zone.
DATE_FORMAT = "j F Y"  # 31 December 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i T"  # 31 December 2026, 14:05 UTC
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 31 December
SHORT_DATE_FORMAT = "d/m/Y"  # 31/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"  # 31/12/2026 14:05 UTC
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
