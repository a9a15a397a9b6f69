"""A Wagtail permission policy for models whose rows belong to a commune or a producer."""

from wagtail.permission_policies.base import BasePermissionPolicy


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Grants ACTIONS on the rows ``scoped_queryset(user)`` returns, and on nothing else.

    Subclasses say which rows a user may manage (``scoped_queryset``) and whether the user
    may manage any at all (``user_may_manage``); the admin's views, listings and choosers
    then all ask the same question.
    """

    ACTIONS: set[str] = set()

    def scoped_queryset(self, user):
        raise NotImplementedError

    def user_may_manage(self, user) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and self.user_may_manage(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        raise NotImplementedError

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & self.ACTIONS:
            return self.model.objects.none()
        return self.scoped_queryset(user)

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
