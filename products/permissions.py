"""Who may manage which batches: whoever may edit the product, by Wagtail page permissions."""

from commune_site.permissions import ScopedPermissionPolicy

from .models import Batch
from .selectors import products_visible_to


class BatchPermissionPolicy(ScopedPermissionPolicy):
    """Batches follow their product: editors of a product add, change, view and delete its lots."""

    ACTIONS = {"add", "change", "view", "delete"}

    def __init__(self):
        super().__init__(Batch)

    def user_may_manage(self, user) -> bool:
        return products_visible_to(user).exists()

    def scoped_queryset(self, user):
        return Batch.objects.filter(product__in=products_visible_to(user).values("pk"))
