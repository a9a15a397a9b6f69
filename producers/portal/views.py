"""Views of the producer portal: phone login, my products with one-tap quick edit, "nhập thay"."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .access import ACTING_FOR_SESSION_KEY, host_commune, portal_access, producers_in
from .forms import PortalLoginForm, QuickEditForm
from .security import lockout_minutes
from .selectors import portal_product, portal_products
from .services import product_quick_edit


def _commune_or_404(request):
    commune = host_commune(request)
    if commune is None:
        # The portal belongs to a commune's site, not to the province showcase.
        raise Http404
    return commune


def _refused(request, access, status=403):
    return render(request, "portal/refused.html", {"access": access}, status=status)


def portal_view(view):
    """Let in a producer of this host's commune, or its staff acting for one of its producers."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        commune = _commune_or_404(request)
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        access = portal_access(request.user, commune, request.session)
        if not access.allowed:
            if access.is_commune_staff:
                return redirect("portal:act_for")
            return _refused(request, access)
        request.portal = access
        return view(request, *args, **kwargs)

    return wrapped


def _products_page(request, bound_form=None, bound_pk=None, status=200):
    access = request.portal
    products = list(portal_products(access.producer))
    for product in products:
        product.quick_form = (
            bound_form if product.pk == bound_pk else QuickEditForm.for_product(product)
        )
        product.in_moderation = bool(product._current_workflow_states)
    context = {"access": access, "products": products, "commune": access.commune}
    return render(request, "portal/my_products.html", context, status=status)


@portal_view
def my_products(request):
    """My products: every product of the producer, each with its quick-edit form."""
    return _products_page(request)


@require_POST
@portal_view
def quick_edit(request, pk):
    """Save one product's price, unit, stock and season; a wrong or foreign id is a 404."""
    access = request.portal
    product = portal_product(access.producer, pk)
    if product is None:
        raise Http404
    form = QuickEditForm(request.POST, prefix=f"p{product.pk}")
    if form.is_valid():
        try:
            product_quick_edit(
                producer=access.producer,
                product=product,
                user=request.user,
                entered_by=access.entered_by,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu “%(title)s”.") % {"title": product.title})
            return redirect(f"{reverse('portal:home')}#san-pham-{product.pk}")
    return _products_page(request, bound_form=form, bound_pk=product.pk)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Log in with phone number and password; only accounts of this host's commune get in."""
    commune = _commune_or_404(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        current = portal_access(request.user, commune)
        if current.producer or current.is_commune_staff:
            return redirect(next_url or "portal:home")

    form = PortalLoginForm(request, request.POST or None, lockout_minutes=lockout_minutes())
    access = None
    if request.method == "POST" and form.is_valid():
        access = portal_access(form.user, commune)
        if access.producer or access.is_commune_staff:
            login(request, form.user)
            return redirect(next_url or "portal:home")
        # Right password, wrong commune (or no producer role): no session on this host.
        form.add_error(
            None,
            _("Tài khoản này không dùng được cổng nhà sản xuất của %(commune)s.")
            % {"commune": commune.title},
        )
    status = 200
    if access is not None:
        status = 403
    elif form.is_bound:
        status = 400
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": next_url, "commune": commune, "access": access},
        status=status,
    )


@require_POST
def logout_view(request):
    """Log out (POST only, so a link or an image cannot log anyone out)."""
    _commune_or_404(request)
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("portal:login")


@never_cache
def act_for(request):
    """Commune staff pick a producer of their commune to enter data for ("nhập thay")."""
    commune = _commune_or_404(request)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('portal:login')}?next={request.path}")
    access = portal_access(request.user, commune, request.session)
    if not access.is_commune_staff:
        return _refused(request, access)
    producers = producers_in(commune)
    if request.method == "POST":
        picked = request.POST.get("producer") or ""
        producer = producers.filter(pk=picked).first() if picked.isdigit() else None
        if producer is None:
            messages.error(request, _("Chọn một nhà sản xuất trong danh sách."))
        else:
            request.session[ACTING_FOR_SESSION_KEY] = producer.pk
            messages.success(
                request, _("Bạn đang nhập thay cho “%(title)s”.") % {"title": producer.title}
            )
            return redirect("portal:home")
    return render(
        request,
        "portal/act_for.html",
        {"access": access, "producers": producers, "commune": commune},
    )


@require_POST
def act_for_stop(request):
    """Stop acting for a producer."""
    _commune_or_404(request)
    request.session.pop(ACTING_FOR_SESSION_KEY, None)
    return redirect("portal:act_for")
