from django.apps import AppConfig


class ProducersConfig(AppConfig):
    name = "producers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .middleware import install_admin_guards

        install_admin_guards()
