"""Demo data for `manage.py seed_demo` and for tests that want a realistic shop: `seed.seed_demo`
(the catalog, shipping, menus, one account per role) and `supply.seed_supply_demo` (the program's
sample sheets)."""
