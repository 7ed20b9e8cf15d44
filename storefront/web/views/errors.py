"""Error pages in the site's layout, translated, each with its reason and a way back. Django calls these
only with DEBUG off (storefront/urls.py names them as its handlers)."""
from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

log = logging.getLogger(__name__)


def _back_url(request) -> str:
    """The page the visitor came from, when it is one of ours (else no "back" link)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""


def _page(request, status: int, title: str, reason: str):
    return render(request, "errors/error.html", {"status": status, "title": title, "reason": reason,
                                                 "back_url": _back_url(request)}, status=status)


def _exception_message(exception) -> str:
    """The reason our code gave when it refused (services raise PermissionDenied with a translated message)."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, 400, _("Yêu cầu không hợp lệ"),
                 _("Trình duyệt gửi một yêu cầu mà HTX Market không hiểu được. Hãy tải lại trang và thử lại."))


@requires_csrf_token
def permission_denied(request, exception=None):
    reason = _exception_message(exception) or _("Tài khoản của bạn không được phép mở trang này.")
    if not request.user.is_authenticated:
        reason = _("Trang này cần đăng nhập bằng tài khoản có quyền xem.")
    return _page(request, 403, _("Bạn không có quyền xem trang này"), reason)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Không có trang nào ở địa chỉ %(path)s: có thể đường dẫn bị gõ sai, hoặc sản phẩm, đơn hàng "
                   "đã bị gỡ.") % {"path": request.path})


def csrf_failure(request, reason=""):
    return _page(request, 403, _("Biểu mẫu đã hết hạn"),
                 _("Trang đã mở quá lâu hoặc phiên đăng nhập đã thay đổi, nên biểu mẫu không được gửi. Hãy tải lại "
                   "trang rồi gửi lại."))


@requires_csrf_token
def server_error(request):
    """Rendered without context processors and without the header's cart and account links: the error may be
    the database itself. If even that fails, a plain line is still an answer."""
    context = {"status": 500, "title": _("Có lỗi ở phía máy chủ"), "request": request,
               "reason": _("Lỗi đã được ghi lại để kỹ thuật viên xử lý. Đơn hàng và giỏ hàng của bạn không bị mất; "
                           "hãy thử lại sau ít phút."), "back_url": _back_url(request), "minimal": True}
    try:
        return HttpResponseServerError(loader.get_template("errors/error.html").render(context))
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        log.exception("the error page could not be rendered")
        return HttpResponseServerError(_("Có lỗi ở phía máy chủ. Hãy thử lại sau ít phút."),
                                       content_type="text/plain; charset=utf-8")
