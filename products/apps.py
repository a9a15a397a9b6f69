from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "products"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The QR redirect keeps Wagtail's site root paths in memory; drop them on site changes.
        from commune_site import site_root_paths
        from commune_site.slugs import use_vietnamese_slug_input

        site_root_paths.connect()
        use_vietnamese_slug_input()

        from . import signals

        signals.connect(self)
