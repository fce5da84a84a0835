"""Sends the catalogue's models to the bench's dataset database and everything else to Django's own."""

CATALOGUE_APP = "catalogue"


class CatalogueRouter:
    def db_for_read(self, model, **hints):
        return "catalogue" if model._meta.app_label == CATALOGUE_APP else "default"

    def db_for_write(self, model, **hints):
        return "catalogue" if model._meta.app_label == CATALOGUE_APP else "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The admin's change log points at a catalogue row by its id as text, not by a foreign key.
        return (obj1._meta.app_label == CATALOGUE_APP) == (obj2._meta.app_label == CATALOGUE_APP)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Nothing is ever created in the dataset database: the catalogue's tables are the app's.
        return db == "default" and app_label != CATALOGUE_APP
