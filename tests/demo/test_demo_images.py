"""Demo pictures keep the Vietnamese accents of their captions (no folding, no missing-glyph boxes)."""
from __future__ import annotations

import io

from PIL import Image

from storefront.demo.images import _font, product_picture

VIETNAMESE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐƠƯ"


def test_the_font_has_every_vietnamese_letter():
    font = _font(40)

    def drawn(ch):
        mask = font.getmask(ch)
        return mask.size, bytes(mask)

    missing = drawn("\uffff")
    assert [ch for ch in VIETNAMESE if drawn(ch) == missing] == []


def test_the_caption_is_drawn_with_its_accents():
    def pixels(caption):
        upload = product_picture(name="Gạo ST25", category_slug="gao", caption=caption)
        return Image.open(io.BytesIO(upload.read())).convert("L").crop((0, 600, 800, 740)).tobytes()

    assert pixels("Gạo ST25 Vĩnh Bình") != pixels("Gao ST25 Vinh Binh")
