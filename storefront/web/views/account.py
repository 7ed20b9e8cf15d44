"""Customer accounts: register, sign in with lock-out, sign out, password reset, address book,
order history, cancelling an order that has not shipped, and the shopper's personal data (download,
erasure request)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront.account.models import ConsentRecord
from storefront.privacy.services import (personal_data_erasure_pending, personal_data_erasure_request,
                                              personal_data_erasure_requests_of, personal_data_export)
from storefront.core.permissions import is_cooperative_staff, is_program_staff, is_trade_staff
from storefront.account.error_codes import AccountErrorCode
from storefront.account.services import (account_authenticate, account_register, address_book_add,
                                         address_book_delete)
from storefront.order.selectors import order_for_actor, orders_for_customer
from storefront.order.services import order_cancel

from ..errors import add_service_errors
from ..forms import AddressForm, CancelOrderForm, ErasureRequestForm, LoginForm, RegisterForm


def _safe_next(request, default="web:account"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse_lazy(default)


def _landing_page(user) -> str:
    """Staff start on their own pages (the dashboard sends each kind on), shoppers on the shop."""
    if is_program_staff(user) or is_cooperative_staff(user) or is_trade_staff(user):
        return "dashboard:home"
    return "web:home"


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_register(
                email=data["email"], password=data["password"], first_name=data["first_name"],
                last_name=data["last_name"], phone=data["phone"],
                consents={ConsentRecord.Purpose.DATA_PROCESSING.value: data["consent_data"],
                          ConsentRecord.Purpose.MARKETING.value: data["consent_marketing"]},
                source="registration", language_code=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Tài khoản đã được tạo."))
            return redirect(_safe_next(request))
    return render(request, "web/register.html", {"form": form, "next": request.GET.get("next", "")})


@require_http_methods(["GET", "POST"])
def login_view(request):
    """Sign in through `account_authenticate`, which counts failures and refuses a locked account."""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = account_authenticate(email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"email": None})
            if any(getattr(e, "code", "") == AccountErrorCode.LOGIN_ATTEMPT_DELAYED.value
                   for e in exc.error_dict.get("email", [])):
                status = 429
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request, default=_landing_page(user)))
    return render(request, "web/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:home")


@login_required
def account_home(request):
    return render(request, "web/account.html", {"orders": orders_for_customer(actor=request.user)[:5]})


@login_required
def order_history(request):
    return render(request, "web/order_history.html", {"orders": orders_for_customer(actor=request.user)})


@login_required
@require_POST
def order_cancel_view(request, number):
    order = order_for_actor(order_id=number, actor=request.user)
    if order is None:
        raise PermissionDenied
    form = CancelOrderForm(request.POST)
    form.is_valid()
    try:
        order_cancel(order=order, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đơn hàng #%(number)s đã được hủy.") % {"number": order.number})
    return redirect("web:order", token=order.token)


@login_required
@require_http_methods(["GET", "POST"])
def address_book(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address_book_add(actor=request.user, address_data=form.address_data())
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=AddressForm.SERVICE_FIELDS)
        else:
            messages.success(request, _("Đã lưu địa chỉ."))
            return redirect("web:address_book")
    return render(request, "web/address_book.html", {
        "form": form, "addresses": request.user.addresses.select_related("province").order_by("pk"),
    })


@login_required
@require_POST
def address_delete(request, address_id):
    address = get_object_or_404(request.user.addresses, pk=address_id)
    address_book_delete(actor=request.user, address=address)
    messages.success(request, _("Đã xóa địa chỉ."))
    return redirect("web:address_book")


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data_erasure_request(actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu xoá dữ liệu. Cán bộ chương trình sẽ xử lý; kết quả hiện ở trang này."))
            return redirect("web:personal_data")
    return render(request, "web/personal_data.html", {
        "form": form, "pending": personal_data_erasure_pending(actor=request.user),
        "requests": personal_data_erasure_requests_of(actor=request.user)[:10],
    })


@login_required
@require_POST
def personal_data_download(request):
    data = personal_data_export(actor=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="htx-market-du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response


class PasswordReset(auth_views.PasswordResetView):
    template_name = "web/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"
