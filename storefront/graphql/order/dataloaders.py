from __future__ import annotations

from storefront.order.models import Fulfillment, OrderEvent, OrderLine
from storefront.payment.models import Payment

from ..core.dataloaders import BaseLoader, grouped


class LinesByOrderIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, OrderLine.objects.filter(order_id__in=keys).order_by("pk"), lambda r: r.order_id)


class FulfillmentsByOrderIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = Fulfillment.objects.filter(order_id__in=keys).select_related("cooperative")
        return grouped(keys, rows, lambda r: r.order_id)


class LinesByFulfillmentIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, OrderLine.objects.filter(fulfillment_id__in=keys).order_by("pk"),
                       lambda r: r.fulfillment_id)


class EventsByOrderIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, OrderEvent.objects.filter(order_id__in=keys), lambda r: r.order_id)


class PaymentsByOrderIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, Payment.objects.filter(order_id__in=keys), lambda r: r.order_id)


class GrantedRefundsByOrderIdLoader(BaseLoader):
    def batch_load(self, keys):
        from storefront.order.models import OrderGrantedRefund

        rows = OrderGrantedRefund.objects.filter(order_id__in=keys).select_related("user").prefetch_related(
            "lines__order_line").order_by("pk")
        return grouped(keys, rows, lambda r: r.order_id)
