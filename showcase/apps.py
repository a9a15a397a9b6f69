from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "showcase"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Showcase sits on top of producers and products, so it may wire the page cache to them.
        from commune_site import cache_signals, site_directory

        cache_signals.connect()
        # Sites by hostname and their root paths in each worker's memory (3,300 communes).
        site_directory.install()
