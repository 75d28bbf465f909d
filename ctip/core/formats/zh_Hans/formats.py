DATETIME_FORMAT = "Y年n月j日 H:i T"  # 2026年12月31日 14:05 UTC
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i T"  # 2026年12月31日 14:05 UTC
# Grouped by thousands, as UN Chinese documents and CLDR write numbers (1,407).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
