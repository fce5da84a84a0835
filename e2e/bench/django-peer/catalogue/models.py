"""
The app's own tables, as Django sees them: unmanaged (Django never creates or alters them) and
limited to the columns the changelist shows or filters on.
"""
from django.db import models


class AssetClass(models.Model):
    id = models.UUIDField(primary_key=True)
    code = models.TextField()
    name = models.TextField()

    class Meta:
        managed = False
        db_table = "asset_classes"
        ordering = ("code",)
        verbose_name_plural = "asset classes"

    def __str__(self):
        return self.code


class Market(models.Model):
    id = models.UUIDField(primary_key=True)
    code = models.TextField()
    name = models.TextField()

    class Meta:
        managed = False
        db_table = "markets"
        ordering = ("code",)

    def __str__(self):
        return self.code


class DataProvider(models.Model):
    id = models.UUIDField(primary_key=True)
    code = models.TextField()
    name = models.TextField()
    connection_status = models.TextField()

    class Meta:
        managed = False
        db_table = "data_providers"
        ordering = ("code",)

    def __str__(self):
        return self.code


class Symbol(models.Model):
    id = models.UUIDField(primary_key=True)
    ticker = models.TextField()
    display = models.TextField("name")
    asset_class = models.ForeignKey(AssetClass, models.DO_NOTHING)
    market = models.ForeignKey(Market, models.DO_NOTHING)
    data_provider = models.ForeignKey(DataProvider, models.DO_NOTHING, null=True, blank=True, verbose_name="provider")
    broadcast_priority = models.IntegerField("priority")
    is_default_symbol = models.BooleanField("default")
    is_active = models.BooleanField("active")
    is_tracked = models.BooleanField("tracked")
    last_broadcast_at = models.DateTimeField("last broadcast", null=True)
    updated_at = models.DateTimeField("updated")

    class Meta:
        managed = False
        db_table = "symbols"

    def __str__(self):
        return self.ticker
