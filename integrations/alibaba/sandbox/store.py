"""SQLite storage of the sandbox: WAL mode, a small pool so each request thread holds its own
connection, indexes for the hot paths (10,000-listing benchmark)."""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from . import seed

FIRST_PRODUCT_ID = 1600000000000  # plain ids start right after this
PRODUCT_ID_PREFIX = "AAGVN"
FIRST_INQUIRY_ID = 7000000000

SCHEMA = """
CREATE TABLE IF NOT EXISTS sellers (
    id INTEGER PRIMARY KEY, member_id TEXT NOT NULL UNIQUE, profile TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, seller_id INTEGER NOT NULL, expires_at REAL
);
CREATE TABLE IF NOT EXISTS categories (
    id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, name TEXT NOT NULL, level INTEGER NOT NULL,
    leaf INTEGER NOT NULL, requires_hs_code INTEGER NOT NULL, requires_certification INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS categories_parent ON categories(parent_id);
CREATE TABLE IF NOT EXISTS images (
    file_id INTEGER PRIMARY KEY AUTOINCREMENT, seller_id INTEGER NOT NULL, file_name TEXT NOT NULL,
    content_type TEXT NOT NULL, file_size INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    group_id TEXT, gmt_create REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS images_seller ON images(seller_id, file_id);
CREATE TABLE IF NOT EXISTS annexes (
    file_id INTEGER PRIMARY KEY AUTOINCREMENT, seller_id INTEGER NOT NULL, file_name TEXT NOT NULL,
    content_type TEXT NOT NULL, file_size INTEGER NOT NULL, gmt_create REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY AUTOINCREMENT, product_id TEXT NOT NULL UNIQUE, seller_id INTEGER NOT NULL,
    category_id INTEGER NOT NULL, subject TEXT NOT NULL, red_model TEXT, status TEXT NOT NULL,
    display TEXT NOT NULL, data TEXT NOT NULL, approved_data TEXT, audit_fail_reasons TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '', approved_search_text TEXT NOT NULL DEFAULT '',
    approved_category_id INTEGER, review_due_at REAL, gmt_create REAL NOT NULL, gmt_modified REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS products_seller_modified ON products(seller_id, gmt_modified DESC, id DESC);
CREATE INDEX IF NOT EXISTS products_seller_model ON products(seller_id, red_model);
CREATE INDEX IF NOT EXISTS products_review_due ON products(review_due_at) WHERE review_due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS products_status ON products(status);
CREATE INDEX IF NOT EXISTS products_visible ON products(approved_category_id, display, gmt_modified DESC);
CREATE TABLE IF NOT EXISTS inquiries (
    inquiry_id INTEGER PRIMARY KEY AUTOINCREMENT, seller_id INTEGER NOT NULL, product_id TEXT NOT NULL,
    subject TEXT NOT NULL, description TEXT NOT NULL, quantity TEXT NOT NULL, quantity_unit TEXT NOT NULL,
    buyer_name TEXT NOT NULL, company_name TEXT NOT NULL, country_simple TEXT NOT NULL, email TEXT NOT NULL,
    status TEXT NOT NULL, replies TEXT NOT NULL, gmt_create REAL NOT NULL, gmt_modified REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS inquiries_seller ON inquiries(seller_id, gmt_create DESC);
"""


def product_id_for(plain_id: int) -> str:
    return f"{PRODUCT_ID_PREFIX}{plain_id - FIRST_PRODUCT_ID:07d}"


def plain_id_for(product_id: str) -> int | None:
    if not product_id.startswith(PRODUCT_ID_PREFIX):
        return None
    rest = product_id[len(PRODUCT_ID_PREFIX):]
    if not rest.isdigit() or not rest.isascii():
        return None
    return FIRST_PRODUCT_ID + int(rest)


class Store:
    def __init__(self, db_path: str, pool_size: int = 16):
        self.db_path = db_path
        self.photobank_dir = (db_path + "-photobank") if db_path != ":memory:" else None
        if db_path == ":memory:":
            # One shared in-memory database for all threads.
            self.db_path = f"file:sandbox-{id(self)}?mode=memory&cache=shared"
        self._uri = db_path == ":memory:"
        self._pool: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._pool_size = pool_size
        self._created = 0
        self._lock = threading.Lock()
        self._keepalive = self._connect()  # keeps a shared in-memory database alive
        self._memory_images: dict[int, bytes] = {}
        self._memory_annexes: dict[int, bytes] = {}
        if self.photobank_dir:
            os.makedirs(self.photobank_dir, exist_ok=True)

    # -- connections ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None, check_same_thread=False,
                               uri=self._uri)
        conn.row_factory = sqlite3.Row
        if not self._uri:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextmanager
    def conn(self) -> Iterator[sqlite3.Connection]:
        try:
            c = self._pool.get_nowait()
        except queue.Empty:
            c = self._connect()
        try:
            yield c
        finally:
            if c.in_transaction:
                c.execute("ROLLBACK")
            if self._pool.qsize() < self._pool_size:
                self._pool.put(c)
            else:
                c.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE avoids lock-upgrade deadlocks)."""
        with self.conn() as c:
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                break
        self._keepalive.close()

    # -- schema and seed -----------------------------------------------------------------------
    def init(self, *, session_key: str, expired_session: str, second_session: str) -> None:
        with self.conn() as c:
            c.executescript(SCHEMA)
        with self.write() as c:
            for seq_name, first in (("products", FIRST_PRODUCT_ID), ("images", 5000),
                                    ("inquiries", FIRST_INQUIRY_ID)):
                row = c.execute("SELECT seq FROM sqlite_sequence WHERE name=?", (seq_name,)).fetchone()
                if row is None:
                    c.execute("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (seq_name, first))
            for seller_id, member_id, profile in seed.SELLERS:
                c.execute("INSERT OR REPLACE INTO sellers(id, member_id, profile) VALUES (?, ?, ?)",
                          (seller_id, member_id, json.dumps(profile)))
            levels: dict[int, int] = {0: 0}
            parents = {cid for _, cid, *_ in seed.CATEGORIES}
            for cid, parent, name, needs_hs, needs_cert in seed.CATEGORIES:
                levels[cid] = levels[parent] + 1
                c.execute(
                    "INSERT OR REPLACE INTO categories VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (cid, parent, name, levels[cid], int(cid not in parents), int(needs_hs), int(needs_cert)),
                )
            c.execute("INSERT OR REPLACE INTO sessions VALUES (?, 1, NULL)", (session_key,))
            c.execute("INSERT OR REPLACE INTO sessions VALUES (?, 1, ?)", (expired_session, 1577836800.0))
            c.execute("INSERT OR REPLACE INTO sessions VALUES (?, 2, NULL)", (second_session,))

    def reset(self) -> None:
        """Wipe listings, images and inquiries (keeps seed data)."""
        with self.write() as c:
            c.execute("DELETE FROM products")
            c.execute("DELETE FROM images")
            c.execute("DELETE FROM annexes")
            c.execute("DELETE FROM inquiries")
        self._memory_images.clear()
        self._memory_annexes.clear()
        if self.photobank_dir:
            for name in os.listdir(self.photobank_dir):
                os.unlink(os.path.join(self.photobank_dir, name))

    # -- reads -----------------------------------------------------------------------------------
    def one(self, sql: str, args: tuple = ()) -> sqlite3.Row | None:
        with self.conn() as c:
            return c.execute(sql, args).fetchone()

    def all(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self.conn() as c:
            return c.execute(sql, args).fetchall()

    def session(self, token: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM sessions WHERE token=?", (token,))

    def seller(self, seller_id: int) -> dict[str, Any]:
        row = self.one("SELECT * FROM sellers WHERE id=?", (seller_id,))
        profile = json.loads(row["profile"]) if row else {}
        profile["member_id"] = row["member_id"] if row else ""
        profile["seller_id"] = seller_id
        return profile

    def category(self, cat_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM categories WHERE id=?", (cat_id,))

    def categories(self) -> list[sqlite3.Row]:
        return self.all("SELECT * FROM categories ORDER BY id")

    def child_categories(self, cat_id: int) -> list[sqlite3.Row]:
        return self.all("SELECT * FROM categories WHERE parent_id=? ORDER BY id", (cat_id,))

    # -- photo bank ------------------------------------------------------------------------------
    def add_image(self, *, seller_id: int, file_name: str, content_type: str, data: bytes, width: int,
                  height: int, group_id: str | None) -> int:
        with self.write() as c:
            cur = c.execute(
                "INSERT INTO images(seller_id, file_name, content_type, file_size, width, height, group_id,"
                " gmt_create) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seller_id, file_name, content_type, len(data), width, height, group_id, time.time()),
            )
            file_id = int(cur.lastrowid)
            if self.photobank_dir:
                with open(os.path.join(self.photobank_dir, str(file_id)), "wb") as fh:
                    fh.write(data)
            else:
                self._memory_images[file_id] = data
        return file_id

    def image(self, file_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM images WHERE file_id=?", (file_id,))

    def image_bytes(self, file_id: int) -> bytes | None:
        if not self.photobank_dir:
            return self._memory_images.get(file_id)
        try:
            with open(os.path.join(self.photobank_dir, str(file_id)), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    # -- attachments (annex files: certificates and other documents, not images of the photo bank) ----------
    def add_annex(self, *, seller_id: int, file_name: str, content_type: str, data: bytes) -> int:
        with self.write() as c:
            cur = c.execute("INSERT INTO annexes(seller_id, file_name, content_type, file_size, gmt_create)"
                            " VALUES (?, ?, ?, ?, ?)", (seller_id, file_name, content_type, len(data), time.time()))
            file_id = int(cur.lastrowid)
            if self.photobank_dir:
                with open(os.path.join(self.photobank_dir, f"annex-{file_id}"), "wb") as fh:
                    fh.write(data)
            else:
                self._memory_annexes[file_id] = data
        return file_id

    def annex(self, file_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM annexes WHERE file_id=?", (file_id,))

    def annex_bytes(self, file_id: int) -> bytes | None:
        if not self.photobank_dir:
            return self._memory_annexes.get(file_id)
        try:
            with open(os.path.join(self.photobank_dir, f"annex-{file_id}"), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def images_page(self, seller_id: int, offset: int, limit: int) -> tuple[int, list[sqlite3.Row]]:
        with self.conn() as c:
            total = c.execute("SELECT COUNT(*) FROM images WHERE seller_id=?", (seller_id,)).fetchone()[0]
            rows = c.execute("SELECT * FROM images WHERE seller_id=? ORDER BY file_id DESC LIMIT ? OFFSET ?",
                             (seller_id, limit, offset)).fetchall()
        return total, rows

    # -- products --------------------------------------------------------------------------------
    def product(self, product_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM products WHERE product_id=?", (product_id,))

    def product_by_plain_id(self, plain_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM products WHERE id=?", (plain_id,))

    def inquiry(self, inquiry_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM inquiries WHERE inquiry_id=?", (inquiry_id,))
