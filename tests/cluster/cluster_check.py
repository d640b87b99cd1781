"""`make cluster-check`: the shop on two app servers sharing one PostgreSQL and one Redis.

Starts two `make serve` app servers (gunicorn + one task worker each) on loopback ports, with a fresh
PostgreSQL database (CLUSTER_PG_URL) and Redis database (CLUSTER_REDIS_URL), mail going to a local
SMTP sink (aiosmtpd) that this script starts and stops. Then it shows that:

1. an officer's edit on one server shows on the other at once;
2. a login and a cart carry from one server to the other;
3. 40 buyers split across both servers for 10 units make exactly 10 orders;
4. with the mail server down during the burst and started afterwards, every order email arrives
   exactly once within 2 minutes;
5. killing one worker (SIGKILL) mid-queue loses no task and sends nothing twice; the other worker
   is then the one scheduler.

It prints each check and exits non-zero when one fails. Loopback only, bounded in time (about 3-4
minutes here). Not collected by pytest (no test_ prefix): run it with `make cluster-check`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.cluster.harness import (
    HOST,
    INBOX,
    LOG_DIR,
    OFFICER,
    OFFICER_PASSWORD,
    PORTS,
    SMTP_PORT,
    Browser,
    Server,
    Sink,
    fresh_database,
    fresh_redis,
    rupiah,
    setup_django,
)

BUYERS, UNITS = 40, 10
MAIL_DEADLINE = 120

results: list[tuple[bool, str]] = []


def check(ok: bool, what: str) -> bool:
    results.append((ok, what))
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
    return ok


def say(text: str) -> None:
    print(f"      {text}", flush=True)


# --- the checks ----------------------------------------------------------------------------------------


def prepare_data():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from catalogue import caching
    from catalogue.models import Product

    user = get_user_model().objects.create_user(
        OFFICER, f"{OFFICER}@cluster.test", OFFICER_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Admin PMD"))
    products = list(Product.objects.filter(is_published=True, stock__gt=0).order_by("pk")[:2])
    burst, other = products
    Product.objects.filter(pk=burst.pk).update(stock=UNITS)
    caching.bump()
    burst.refresh_from_db()
    return burst, other


def officer_edit_shows_on_the_other_server(a: Server, b: Server, product) -> None:
    from tests.catalogue.backoffice import form_data

    shopper = Browser()
    before = shopper.get(b.base + product.get_absolute_url())[1]
    shopper.get(b.base + product.get_absolute_url())  # now certainly in the shared cache
    officer = Browser()
    if not check(officer.login(a), f"an officer signs in on :{a.port}"):
        return
    address = f"{a.base}/admin/catalogue/product/{product.pk}/change/"
    page = officer.get(address)[1]
    data = form_data(page, "product_form")
    new_price = product.price + 1000
    data["price"] = str(new_price)
    status, _, _ = officer.post(address, page, data)
    check(status == 302, f"the officer saves a new price ({rupiah(new_price)}) on :{a.port}")
    after = shopper.get(b.base + product.get_absolute_url())[1]
    check(
        rupiah(product.price) in before and rupiah(new_price) in after,
        f"the product page on :{b.port} shows {rupiah(new_price)} at once (was {rupiah(product.price)})",
    )
    product.refresh_from_db()


def login_and_cart_carry_over(a: Server, b: Server, product) -> None:
    officer = Browser()
    officer.login(a)
    status, page, _ = officer.get(f"{b.base}/admin/")
    if check(status == 200 and OFFICER in page, f"a login on :{a.port} is valid on :{b.port}"):
        officer.post(f"{b.base}/admin/logout/", page, {})
        status, _, _ = officer.get(f"{a.base}/admin/")
        check(status == 302, f"a logout on :{b.port} is final on :{a.port}")
    shopper = Browser()
    shopper.add_to_cart(a, product)
    check(
        product.name in shopper.get(f"{b.base}/keranjang/")[1],
        f"a cart filled on :{a.port} shows on :{b.port}",
    )


def burst_of_buyers(a: Server, b: Server, product) -> list[str]:
    from catalogue.models import Order, Product

    buyers = [(Browser(), (a, b)[n % 2], n) for n in range(BUYERS)]
    forms: dict[int, str] = {}

    def prepare(buyer) -> None:
        browser, server, n = buyer
        browser.add_to_cart(server, product)
        forms[n] = browser.checkout_form(server)

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(prepare, buyers))
    start = threading.Barrier(BUYERS)

    def buy(buyer) -> bool:
        browser, server, n = buyer
        start.wait(timeout=60)
        status, location = browser.checkout(server, forms[n], n)
        return status == 302 and "/pesanan/" in location

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        placed = sum(pool.map(buy, buyers))
    say(f"{BUYERS} checkouts in {time.monotonic() - started:.1f} s")
    orders = Order.objects.filter(parts__lines__product=product).distinct()
    stock = Product.objects.get(pk=product.pk).stock
    check(
        placed == UNITS and orders.count() == UNITS and stock == 0,
        f"{BUYERS} buyers on two servers for {UNITS} units: {placed} orders placed, "
        f"{orders.count()} in the database, stock left {stock}",
    )
    return list(orders.values_list("number", flat=True))


def expected_mail(numbers: list[str]) -> set[tuple[str, str]]:
    from catalogue.models import Order

    wanted = set()
    for order in Order.objects.filter(number__in=numbers):
        wanted.add((order.buyer_email, order.number))
        wanted.add((INBOX, order.number))
    return wanted


def delivered(sink: Sink, numbers: list[str]) -> Counter:
    count: Counter = Counter()
    for recipient, subject in list(sink.messages):
        for number in numbers:
            if number in subject:
                count[(recipient, number)] += 1
    return count


def mail_after_the_outage(sink: Sink, numbers: list[str]) -> None:
    from django_tasks_db.models import DBTaskResult

    time.sleep(5)
    waiting = DBTaskResult.objects.filter(task_path__endswith="send_order_emails", status="READY").count()
    check(waiting >= 1, f"with the mail server down, {waiting} order-email tasks wait to try again")
    sink.start()
    say(f"mail server started on {HOST}:{SMTP_PORT}")
    wanted = expected_mail(numbers)
    started = time.monotonic()
    while time.monotonic() - started < MAIL_DEADLINE and set(delivered(sink, numbers)) < wanted:
        time.sleep(1)
    took = time.monotonic() - started
    time.sleep(5)  # a duplicate would come now
    count = delivered(sink, numbers)
    missing = wanted - set(count)
    twice = [key for key, n in count.items() if n > 1]
    check(
        len(wanted) == 2 * len(numbers) > 0 and not missing and not twice and took <= MAIL_DEADLINE,
        f"all {len(wanted)} order emails arrived after the outage, each exactly once, in {took:.0f} s"
        + (f" (missing {sorted(missing)[:3]}, twice {twice[:3]})" if missing or twice else ""),
    )


def scheduler_holders() -> int:
    from django.db import connection

    from catalogue.background.scheduler import LOCK_KEY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted", [LOCK_KEY]
        )
        return cursor.fetchone()[0]


def killed_worker_loses_nothing(a: Server, b: Server, sink: Sink, product) -> None:
    from django_tasks_db.models import DBTaskResult

    from catalogue import caching
    from catalogue.models import Order, Product, WorkerBeat

    check(scheduler_holders() == 1, "two workers running: exactly one holds the scheduler lock")
    Product.objects.filter(pk=product.pk).update(stock=6)
    caching.bump()
    sink.slow = 1.5
    before = set(Order.objects.values_list("number", flat=True))
    for n in range(6):
        browser = Browser()
        server = (a, b)[n % 2]
        browser.add_to_cart(server, product)
        browser.checkout(server, browser.checkout_form(server), 100 + n)
    numbers = sorted(set(Order.objects.values_list("number", flat=True)) - before)
    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline:
        running = DBTaskResult.objects.filter(
            status="RUNNING", task_path__endswith="send_order_emails"
        ).first()
        if running is not None:
            beat = WorkerBeat.objects.filter(pk=running.worker_ids[-1]).first()
            if beat is not None:
                victim = (running, beat)
                break
        time.sleep(0.1)
    if not check(victim is not None, "a worker is caught sending an order email"):
        return
    task, beat = victim
    os.kill(beat.pid, signal.SIGKILL)
    say(f"killed worker pid {beat.pid} (SIGKILL) while it ran task {task.pk}")
    wanted = expected_mail(numbers)
    started = time.monotonic()
    while time.monotonic() - started < 90 and set(delivered(sink, numbers)) < wanted:
        time.sleep(1)
    time.sleep(5)
    count = delivered(sink, numbers)
    task.refresh_from_db()
    left = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exclude(
        task_path__endswith="expire_orders"
    )
    check(
        task.status == "SUCCESSFUL" and len(task.worker_ids) == 2,
        f"the killed worker's task went back to the queue and another worker finished it ({task.status})",
    )
    check(
        wanted and set(count) == wanted and all(n == 1 for n in count.values()) and not left.exists(),
        f"after the kill all {len(wanted)} emails of {len(numbers)} new orders arrived once; queue empty",
    )
    deadline = time.monotonic() + 25
    while scheduler_holders() != 1 and time.monotonic() < deadline:
        time.sleep(1)
    check(scheduler_holders() == 1, "after the kill exactly one worker holds the scheduler lock")


def main() -> int:
    started = time.monotonic()
    fresh_database()
    fresh_redis()
    sink = Sink()  # not started: the mail server is down until after the burst
    a, b = Server(PORTS[0]), Server(PORTS[1])
    try:
        a.start(demo=True)
        if not check(a.wait_healthy(), f"app server A answers on :{a.port} (make serve, with its worker)"):
            return 1
        b.start(demo=False)
        if not check(b.wait_healthy(), f"app server B answers on :{b.port} (make serve, with its worker)"):
            return 1
        setup_django()
        burst, other = prepare_data()
        say(f"setup took {time.monotonic() - started:.0f} s; product for the burst: {burst.name}")
        officer_edit_shows_on_the_other_server(a, b, other)
        login_and_cart_carry_over(a, b, other)
        numbers = burst_of_buyers(a, b, burst)
        mail_after_the_outage(sink, numbers)
        killed_worker_loses_nothing(a, b, sink, burst)
    finally:
        a.stop()
        b.stop()
        sink.stop()
    failed = sum(not ok for ok, _ in results)
    print(
        f"cluster-check: {len(results) - failed} passed, {failed} failed "
        f"in {time.monotonic() - started:.0f} s"
    )
    print(f"(server logs in {LOG_DIR})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
