"""Seed data of the sandbox (protocol doc §8.2): category tree for farm produce, attributes, sellers."""

from __future__ import annotations

# Attribute definitions shared by the leaf categories.
PLACE_OF_ORIGIN = 2001
BRAND_NAME = 2002
MODEL_NUMBER = 2003
VARIETY = 2004
GRADE = 2005
SHELF_LIFE = 2006
CERTIFICATION = 2007
HS_CODE = 2008

ATTRIBUTES: dict[int, dict] = {
    PLACE_OF_ORIGIN: {
        "en_name": "Place of Origin", "input_type": "single_select", "show_type": "list_box",
        "value_type": "string",
        "values": [(200101, "Vietnam"), (200102, "Thailand"), (200103, "Cambodia"), (200104, "Laos"),
                   (200105, "China"), (200106, "India"), (200107, "Indonesia")],
    },
    BRAND_NAME: {"en_name": "Brand Name", "input_type": "input", "show_type": "input", "value_type": "string"},
    MODEL_NUMBER: {"en_name": "Model Number", "input_type": "input", "show_type": "input", "value_type": "string"},
    VARIETY: {"en_name": "Variety", "input_type": "input", "show_type": "input", "value_type": "string"},
    GRADE: {
        "en_name": "Grade", "input_type": "single_select", "show_type": "list_box", "value_type": "string",
        "values": [(200501, "Premium"), (200502, "Grade A"), (200503, "Grade B"), (200504, "Standard")],
    },
    SHELF_LIFE: {"en_name": "Shelf Life", "input_type": "input", "show_type": "input", "value_type": "string"},
    CERTIFICATION: {
        "en_name": "Certification", "input_type": "multi_select", "show_type": "check_box",
        "value_type": "string",
        "values": [(200701, "VietGAP"), (200702, "GlobalGAP"), (200703, "OCOP"), (200704, "HACCP"),
                   (200705, "ISO 22000"), (200706, "Organic"), (200707, "Halal"), (200708, "BRC")],
    },
    HS_CODE: {"en_name": "HS Code", "input_type": "input", "show_type": "input", "value_type": "string",
              "regex": r"^\d{6,10}$"},
}

LEAF_ATTRIBUTES = (PLACE_OF_ORIGIN, BRAND_NAME, MODEL_NUMBER, VARIETY, GRADE, SHELF_LIFE, CERTIFICATION, HS_CODE)
REQUIRED_ATTRIBUTES = (PLACE_OF_ORIGIN,)

# (id, parent_id, name, requires_hs_code, requires_certification); parent 0 = root.
CATEGORIES: list[tuple[int, int, str, bool, bool]] = [
    (1, 0, "Agriculture", False, False),
    (2, 0, "Food & Beverage", False, False),
    (3, 0, "Beauty & Personal Care", False, False),
    (10, 1, "Grain", False, False),
    (11, 1, "Fresh Produce", False, False),
    (12, 1, "Nuts & Dried Fruit", False, False),
    (13, 1, "Poultry & Eggs", False, False),
    (20, 2, "Seafood", False, False),
    (21, 2, "Coffee & Tea", False, False),
    (22, 2, "Condiments & Oils", False, False),
    (23, 2, "Sugar & Sweeteners", False, False),
    (30, 3, "Aromatherapy", False, False),
    (100000001, 10, "Rice", True, False),
    (100000002, 11, "Fresh Vegetables", False, False),
    (100000003, 11, "Fresh Fruit", False, True),
    (100000004, 20, "Frozen Seafood", True, True),
    (100000005, 12, "Dried Fruit & Nuts", False, False),
    (100000006, 21, "Tea", True, False),
    (100000007, 21, "Coffee Beans", True, False),
    (100000008, 22, "Spices (Pepper)", False, False),
    (100000009, 13, "Eggs", False, True),
    (100000010, 22, "Edible Oil", True, True),
    (100000011, 22, "Fish Sauce", True, False),
    (100000012, 30, "Essential Oils", True, False),
    (100000013, 23, "Palm Sugar", True, False),
]

# Sellers: (seller_id, member_id, profile)
SELLERS: list[tuple[int, str, dict]] = [
    (1, "10001", {
        "display_name": "Mekong Green Farmers Cooperative",
        "company_name": "Mekong Green Farmers Agricultural Cooperative",
        "province": "Soc Trang, Vietnam",
        "established": "2012",
        "members": "214 farming households",
        "business_type": "Agricultural Cooperative, Manufacturer",
        "main_products": "ST25 rice, dried fruit, black pepper, coffee",
        "certifications": "VietGAP, HACCP, OCOP 4-star",
        "about": "A farmer-owned cooperative in the Mekong Delta growing and milling fragrant rice "
                 "and processing fruit for export since 2012.",
        "response_time": "within 24 hours",
    }),
    (2, "10002", {
        "display_name": "Da Lat Highland Vegetable Cooperative",
        "company_name": "Da Lat Highland Vegetable Cooperative",
        "province": "Lam Dong, Vietnam",
        "established": "2016",
        "members": "86 farming households",
        "business_type": "Agricultural Cooperative",
        "main_products": "Fresh vegetables, tea, flowers",
        "certifications": "VietGAP, GlobalGAP",
        "about": "Highland growers supplying temperate vegetables and oolong tea.",
        "response_time": "within 48 hours",
    }),
]

UNITS = ("Piece", "Kilogram", "Gram", "Metric Ton", "Ton", "Pound", "Bag", "Box", "Carton", "Pack", "Set",
         "Liter", "Dozen", "Twenty-Foot Container", "Forty-Foot Container")
PERIODS = ("Day", "Week", "Month", "Quarter", "Year")
PAYMENT_METHODS = ("L/C", "D/A", "D/P", "T/T", "Western Union", "MoneyGram", "Other")
CURRENCIES = ("USD",)
