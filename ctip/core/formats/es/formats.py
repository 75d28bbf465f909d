DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i T"  # 31 de diciembre de 2026 a las 14:05 UTC
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"  # 31/12/2026 14:05 UTC
