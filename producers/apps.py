from django.apps import AppConfig


class ProducersConfig(AppConfig):
    name = "producers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import image_forms  # noqa: F401  (its signal receiver)
        from .attach_guard import install_attach_guards
        from .middleware import install_admin_guards
        from .names import use_vietnamese_name_order

        install_admin_guards()
        install_attach_guards()
        use_vietnamese_name_order()
