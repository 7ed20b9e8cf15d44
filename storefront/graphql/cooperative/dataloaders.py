from __future__ import annotations

from storefront.core.models import Province

from ..core.dataloaders import model_loader

ProvinceByCodeLoader = model_loader(Province)
