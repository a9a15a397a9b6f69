"""Who may manage which producer accounts: commune staff for their own communes only."""

from commune_site.permissions import ScopedPermissionPolicy

from .models import ProducerAccount
from .selectors import communes_for_staff, producer_accounts_for_staff


class ProducerAccountPermissionPolicy(ScopedPermissionPolicy):
    """Staff add, change and view accounts of their communes' producers; nobody deletes."""

    ACTIONS = {"add", "change", "view"}

    def __init__(self):
        super().__init__(ProducerAccount)

    def user_may_manage(self, user) -> bool:
        return bool(user.is_active and communes_for_staff(user).exists())

    def scoped_queryset(self, user):
        return producer_accounts_for_staff(user)
