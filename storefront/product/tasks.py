"""Celery tasks of the catalog: thin wrappers that load by id and call a service."""
from celery import shared_task

from .media import product_media_thumbnails_create
from .models import ProductMedia


@shared_task(name="storefront.product.tasks.create_thumbnails_task", ignore_result=True)
def create_thumbnails_task(media_id: int) -> int:
    """Make the WebP thumbnails of one product image; a deleted image is not an error."""
    media = ProductMedia.objects.filter(pk=media_id).first()
    if media is None:
        return 0
    return len(product_media_thumbnails_create(media=media))
