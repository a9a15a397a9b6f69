"""The Wagtail admin's login form, with every label in the user's language."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    """Wagtail 8's login form redeclares the password field without a label, so Django falls
    back to the field name, "Password", in English whatever the language; this one says
    "Mật khẩu" (Django's own catalogue). Set as WAGTAILADMIN_USER_LOGIN_FORM."""

    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": _("Enter password")}),
        strip=False,
    )
