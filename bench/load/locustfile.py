"""Locust shoppers for the load run (bench/load/run.py starts the stack and this file).

Most visitors browse; some buy one product through the pages (cart, address, delivery, cash on
delivery). A refusal for lack of stock is the shop answering correctly under contention, so it
counts as a success of its own kind ("sold out"), never as an error; anything else that breaks
the flow is a failure.
"""
from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))
from shopper import FlowError, Shopper, SoldOut  # noqa: E402


def _record(environment, name: str, started: float, exc: Exception | None) -> None:
    environment.events.request.fire(request_type="FLOW", name=name, response_time=(time.perf_counter() - started) * 1000,
                                    response_length=0, exception=exc, context={})


class Visitor(HttpUser):
    wait_time = between(0.2, 1.0)
    weight = 3

    def on_start(self):
        self.client.trust_env = False  # REQUESTS_CA_BUNDLE would override the stack's certificate
        self.client.verify = os.environ.get("HTX_LOAD_CA", True)
        self.shopper = Shopper(self.client, self.host, random.Random(), labelled=True)
        self.links = self.shopper.product_links()

    @task(3)
    def home(self):
        self.client.get("/", name="/")

    @task(2)
    def search(self):
        self.client.get("/tim-kiem/", params={"q": random.choice(["gạo", "rau", "cà phê", "mật ong", "trà"])},
                        name="/tim-kiem/?q=")

    @task(4)
    def product(self):
        self.client.get(random.choice(self.links), name="/san-pham/[slug]/")


class Buyer(HttpUser):
    wait_time = between(0.5, 1.5)
    weight = 1

    def on_start(self):
        self.client.trust_env = False  # REQUESTS_CA_BUNDLE would override the stack's certificate
        self.client.verify = os.environ.get("HTX_LOAD_CA", True)
        self.shopper = Shopper(self.client, self.host, random.Random(), labelled=True)

    @task
    def buy(self):
        self.client.cookies.clear()  # each purchase is a new visitor with a new cart
        started = time.perf_counter()
        try:
            self.shopper.buy_one(email=f"load{random.randrange(10**6)}@example.com")
        except SoldOut:
            _record(self.environment, "checkout: sold out (refused correctly)", started, None)
        except FlowError as exc:
            _record(self.environment, "checkout: placed", started, exc)
        else:
            _record(self.environment, "checkout: placed", started, None)

