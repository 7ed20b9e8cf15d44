"""Shoppers' personal-data rights (Law 91/2025): export and erasure compose the account, its carts
and its orders, so they sit above all three domains (a layer of its own in the import contracts);
the request itself (`PersonalDataRequest`) is the account's."""
