"""
The symbols changelist, matching the console's /symbols: the same columns, the same six filters
(asset class, market, provider with "none", default, status, tracked), search on ticker (by
prefix) and name (by substring), 50 a page, sorted by ticker then id, priority editable in the list.
"""
from django.contrib import admin

from .models import Symbol


@admin.register(Symbol)
class SymbolAdmin(admin.ModelAdmin):
    list_display = (
        "ticker",
        "display",
        "asset_class",
        "market",
        "data_provider",
        "broadcast_priority",
        "is_default_symbol",
        "is_active",
        "is_tracked",
        "last_broadcast_at",
        "updated_at",
    )
    list_editable = ("broadcast_priority",)
    list_filter = ("asset_class", "market", "data_provider", "is_default_symbol", "is_active", "is_tracked")
    search_fields = ("^ticker", "display")
    list_per_page = 50
    ordering = ("ticker", "id")
    # One joined query for the page (the nullable provider would otherwise be read row by row).
    list_select_related = ("asset_class", "market", "data_provider")
    # Django's advice for large tables: no second count of the whole table on every page (the
    # console counts up to a cap instead).
    show_full_result_count = False
