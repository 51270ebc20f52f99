"""`make load`: the arithmetic (attune/nonprod/load.py) and the client's runs against a stand-in
server on loopback (the real run needs gunicorn and the region, so it is run by hand)."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from attune.nonprod import load
from attune.nonprod.management.commands import load_pages


def test_each_page_gets_its_percentiles_errors_and_ratio_to_the_trivial_page() -> None:
    samples = [load.Sample("Account", s / 1000) for s in range(1, 101)]  # 1..100 ms
    samples += [load.Sample("Report", 3 * s / 1000) for s in range(1, 101)]  # 3..300 ms
    samples += [load.Sample("Report", 9.0, error=True), load.Sample("Report", 0.001, error=True)]

    rows = {row.page: row for row in load.summarise(samples, ["Account", "Report", "Never"], "Account")}

    assert rows["Account"].p50 == pytest.approx(0.0505)
    assert rows["Account"].p95 == pytest.approx(0.09505)
    assert rows["Account"].p99 == pytest.approx(0.09901)
    assert rows["Account"].ratio == pytest.approx(1.0)
    # Errors are counted but kept out of the percentiles.
    assert (rows["Report"].requests, rows["Report"].errors) == (102, 2)
    assert rows["Report"].p99 == pytest.approx(3 * 0.09901)
    assert rows["Report"].ratio == pytest.approx(3.0)
    assert (rows["Never"].requests, rows["Never"].p95, rows["Never"].ratio) == (0, None, None)


def test_no_ratio_without_the_trivial_page() -> None:
    rows = load.summarise([load.Sample("Report", 0.2)], ["Account", "Report"], "Account")

    assert [row.ratio for row in rows] == [None, None]


def test_the_table_shows_milliseconds_and_ratios_in_the_order_given() -> None:
    samples = [load.Sample("Account", 0.02), load.Sample("ICB year report", 0.5)]
    rows = load.summarise(samples, ["Account", "ICB year report"], "Account")

    lines = load.table("2 clients for 30 s", rows, "Account")

    assert lines[0] == "2 clients for 30 s"
    assert lines[1].split() == ["Page", "requests", "errors", "p50", "ms", "p95", "ms", "p99", "ms", "p95", "ratio"]
    assert lines[2].split() == ["Account", "1", "0", "20", "20", "20", "1.0x"]
    assert lines[3].split() == ["ICB", "year", "report", "1", "0", "500", "500", "500", "25.0x"]
    assert "'Account'" in lines[-1]


def test_the_schedule_is_evenly_spaced_within_its_time() -> None:
    assert load.schedule(4, 1) == [0, 0.25, 0.5, 0.75]
    assert len(load.schedule(60, 60)) == 3600
    assert load.schedule(60, 60)[-1] < 60
    assert load.schedule(0, 10) == []
    assert load.schedule(10, 0) == []


def test_the_backlog_is_what_was_due_and_not_yet_answered() -> None:
    due = load.schedule(10, 4)  # 40 requests, 0.0 to 3.9 s
    # A server that answers 5 a second, in order: each answer 0.2 s after the last.
    samples = [load.Sample("Page", 0.1, answered_at=0.2 * (n + 1), late=0.0) for n in range(len(due))]

    result = load.sustained(samples, due, 10, 4)

    assert result.scheduled == result.sent == 40
    assert result.unsent == 0
    assert result.errors == 0
    assert result.throughput == pytest.approx(20 / 4)  # 20 answered by 4 s
    assert (result.backlog_half, result.backlog_end) == (21 - 10, 40 - 20)  # and growing
    assert result.drain == pytest.approx(4.0)
    lines = load.sustained_lines(result)
    assert "5.0 requests a second" in lines[1]
    assert "11 half way, 20 at the end" in lines[2]


def test_a_server_keeping_up_leaves_no_backlog() -> None:
    due = load.schedule(10, 2)
    samples = [load.Sample("Page", 0.01, answered_at=d + 0.01, late=0.002) for d in due]

    result = load.sustained(samples, due, 10, 2)

    assert result.backlog_end == 0
    assert result.throughput == pytest.approx(10)
    assert result.late_p95 == pytest.approx(0.002)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        signed_in = "__Host-attune-session=" in self.headers.get("Cookie", "")
        status = 200 if signed_in and self.path != "/broken" else 302
        time.sleep(0.005)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


PAGES = [
    load_pages.Page("Account", (("s1", "/account"), ("s2", "/account"))),
    load_pages.Page("Broken", (("s1", "/broken"),)),
    load_pages.Page("Signed out", (("", "/"),)),
]


def test_the_pages_are_taken_in_turn_and_each_page_s_visits_in_turn() -> None:
    visits = [load_pages._visit(PAGES, n) for n in range(6)]

    assert visits == [
        ("Account", "s1", "/account"),
        ("Broken", "s1", "/broken"),
        ("Signed out", "", "/"),
        ("Account", "s2", "/account"),
        ("Broken", "s1", "/broken"),
        ("Signed out", "", "/"),
    ]


def test_a_closed_run_stops_on_time_and_counts_what_did_not_answer_200(port: int) -> None:
    started = time.monotonic()
    samples = load_pages.Command()._closed(port, PAGES, clients=3, seconds=0.5)

    assert time.monotonic() - started < 2
    rows = {row.page: row for row in load.summarise(samples, [p.name for p in PAGES], "Account")}
    assert rows["Account"].requests > 5
    assert rows["Account"].errors == 0
    assert rows["Broken"].errors == rows["Broken"].requests > 0  # a redirect to sign in is a failure
    assert rows["Signed out"].errors == rows["Signed out"].requests > 0


def test_an_open_run_keeps_to_its_schedule_when_the_server_keeps_up(port: int) -> None:
    result = load_pages.Command()._open(port, PAGES[:1], rate=20, seconds=2)

    # Loose bounds: the suite runs beside browser journeys on two cores, which wake threads late;
    # the counts must add up whatever the speed, and nothing is sent after the schedule ends.
    assert result.scheduled == 40
    assert result.sent + result.unsent == 40
    assert result.sent >= 20
    assert result.errors == 0
    assert result.backlog_end <= 20
    assert result.throughput >= 8
    assert result.drain < 3
