"""Who may manage which producer accounts: commune staff for their own communes only."""

from wagtail.permission_policies.base import BasePermissionPolicy

from .models import ProducerAccount
from .selectors import communes_for_staff, producer_accounts_for_staff


class ProducerAccountPermissionPolicy(BasePermissionPolicy):
    """Staff add, change and view accounts of their communes' producers; nobody deletes."""

    ACTIONS = {"add", "change", "view"}

    def __init__(self):
        super().__init__(ProducerAccount)

    def _is_staff(self, user) -> bool:
        return bool(user.is_active and communes_for_staff(user).exists())

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and self._is_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        raise NotImplementedError

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & self.ACTIONS:
            return ProducerAccount.objects.none()
        return producer_accounts_for_staff(user)

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
