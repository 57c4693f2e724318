from pghistory.models import MiddlewareEvents


class RecentChange(MiddlewareEvents):
    """Every recorded change across the record tables, under a name editors read (the
    library's own is "middleware events")."""

    class Meta:
        proxy = True
        verbose_name = "recent change"
        verbose_name_plural = "recent changes"
        default_permissions = ("view",)
