"""How the admin prints a time: the record keeps UTC (TIME_ZONE) and no page switches zones, so
every time shown (change lists, read-only fields, history) is UTC, and says so."""

DATETIME_FORMAT = r"Y-m-d H:i \U\T\C"
SHORT_DATETIME_FORMAT = r"Y-m-d H:i \U\T\C"
