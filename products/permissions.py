"""Who may manage which batches: whoever may edit the product, by Wagtail page permissions."""

from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Batch
from .selectors import products_visible_to


class BatchPermissionPolicy(BasePermissionPolicy):
    """Batches follow their product: editors of a product add, change, view and delete its lots."""

    ACTIONS = {"add", "change", "view", "delete"}

    def __init__(self):
        super().__init__(Batch)

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and products_visible_to(user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        raise NotImplementedError

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & self.ACTIONS:
            return Batch.objects.none()
        return Batch.objects.filter(product__in=products_visible_to(user).values("pk"))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )
