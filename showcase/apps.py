from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "showcase"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Showcase sits on top of producers and products, so it may wire the page cache to them.
        from commune_site import cache_signals

        cache_signals.connect()
