"""Login limits: growing delays per account, address and both; device cookies keep the real
user in; forwarded headers believed only from configured proxies."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from duban.settings import Settings, SettingsError
from duban.web.logins import DEVICE_COOKIE, LoginLimiter, client_address

PASSWORD = "test-password-123"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app) -> Clock:  # type: ignore[no-untyped-def]
    clock = Clock()
    app.state.services.limiter = LoginLimiter(clock=clock)
    return clock


def _try(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/session", json={"username": username, "password": password})


def test_wrong_passwords_delay_that_account_from_that_address_only(app, clock) -> None:  # type: ignore[no-untyped-def]
    office = TestClient(app, client=("203.0.113.7", 40000))  # one NAT address, many people
    for _ in range(5):
        assert _try(office, "jiaoyu", "wrong-password").status_code == 401
    refused = _try(office, "jiaoyu", PASSWORD)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "2"
    assert "秒后再试" in refused.json()["error"]
    colleague = TestClient(app, client=("203.0.113.7", 40001))
    assert _try(colleague, "renshe", PASSWORD).status_code == 200  # the office is not locked out
    elsewhere = TestClient(app, client=("198.51.100.20", 40000))
    assert _try(elsewhere, "jiaoyu", PASSWORD).status_code == 200


def test_delays_grow_and_pass(app, clock) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, client=("203.0.113.8", 40000))
    for _ in range(5):
        _try(client, "jiaoyu", "wrong-password")
    assert _try(client, "jiaoyu", PASSWORD).status_code == 429
    clock.now += 2.1
    assert _try(client, "jiaoyu", "wrong-again").status_code == 401  # heard again, wrong
    waits = []
    for _ in range(3):
        refused = _try(client, "jiaoyu", PASSWORD)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        clock.now += waits[-1] + 0.1
        assert _try(client, "jiaoyu", "still-wrong").status_code == 401
    assert waits == [4, 8, 16]  # doubling
    clock.now += 3600 * 2  # forgotten after an hour without failures
    assert _try(client, "jiaoyu", PASSWORD).status_code == 200


def test_guessing_cannot_lock_out_the_administrator(app, clock) -> None:  # type: ignore[no-untyped-def]
    own = TestClient(app, client=("192.0.2.10", 40000))  # the administrator's own browser
    assert _try(own, "admin", PASSWORD).status_code == 200
    assert own.cookies.get(DEVICE_COOKIE)
    own.cookies.delete("duban_session")
    for n in range(40):  # guessing from forty addresses, three tries each
        guesser = TestClient(app, client=(f"198.51.100.{n + 1}", 40000))
        for _ in range(3):
            assert _try(guesser, "admin", f"guess-{n}").status_code in (401, 429)
    stranger = TestClient(app, client=("192.0.2.99", 40000))
    assert _try(stranger, "admin", PASSWORD).status_code == 429  # account-wide limit holds
    assert _try(own, "admin", PASSWORD).status_code == 200  # the real one still gets in
    # the same office address as the administrator does not help the guesser either
    same_office = TestClient(app, client=("192.0.2.10", 40001))
    for _ in range(6):
        _try(same_office, "admin", "guess")
    assert _try(own, "admin", PASSWORD).status_code == 200


def test_a_device_cookie_counts_for_its_own_account_and_cannot_be_forged(app, clock) -> None:  # type: ignore[no-untyped-def]
    browser = TestClient(app, client=("192.0.2.11", 40000))
    assert _try(browser, "renshe", PASSWORD).status_code == 200
    renshe_cookie = browser.cookies.get(DEVICE_COOKIE)
    name, nonce, signature = renshe_cookie.split(".")
    for _ in range(5):  # make jiaoyu wait from this address
        _try(browser, "jiaoyu", "wrong-password")
    assert _try(browser, "jiaoyu", PASSWORD).status_code == 429  # renshe's cookie is not jiaoyu's
    import base64
    forged = f"{base64.urlsafe_b64encode(b'jiaoyu').decode().rstrip('=')}.{nonce}.{signature}"
    browser.cookies.set(DEVICE_COOKIE, forged)
    assert _try(browser, "jiaoyu", PASSWORD).status_code == 429
    # a device cookie is limited too: five wrong passwords with it, then a delay
    browser.cookies.set(DEVICE_COOKIE, renshe_cookie)
    for _ in range(5):
        assert _try(browser, "renshe", "wrong-password").status_code == 401
    assert _try(browser, "renshe", PASSWORD).status_code == 429


def test_the_login_form_says_how_long_to_wait(client, clock) -> None:  # type: ignore[no-untyped-def]
    import re

    for _ in range(6):
        page = client.get("/login")
        token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
        response = client.post("/login", data={"username": "jiaoyu", "password": "wrong-password",
                                               "login_csrf": token})
    assert response.status_code == 429 and "秒后再试" in response.text
    assert 'value="jiaoyu"' in response.text  # the user name stays in the form


def _request(peer: str, headers: dict[str, str]) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                    "client": (peer, 1234),
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})


def test_forwarded_headers_are_believed_only_from_configured_proxies() -> None:
    proxies = Settings.from_env({"DUBAN_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}).trusted_proxies
    spoof = {"X-Forwarded-For": "1.2.3.4"}
    assert client_address(_request("198.51.100.5", spoof), ()) == "198.51.100.5"
    assert client_address(_request("198.51.100.5", spoof), proxies) == "198.51.100.5"
    assert client_address(_request("127.0.0.1", spoof), proxies) == "1.2.3.4"
    # the client may prepend anything: the nearest hop that is no proxy of ours counts
    chain = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.1.2.3"}
    assert client_address(_request("127.0.0.1", chain), proxies) == "203.0.113.9"
    forwarded = {"Forwarded": 'for="[2001:db8::17]:4711";proto=https, for=10.0.0.2'}
    assert client_address(_request("10.0.0.1", forwarded), proxies) == "2001:db8::17"
    assert client_address(_request("10.0.0.1", {}), proxies) == "10.0.0.1"


def test_forwarded_headers_from_a_client_do_not_dodge_the_limit(app, clock) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, client=("198.51.100.77", 40000))
    for n in range(5):
        response = client.post("/api/v1/session", headers={"X-Forwarded-For": f"10.9.9.{n}"},
                               json={"username": "jiaoyu", "password": "wrong-password"})
        assert response.status_code == 401
    response = client.post("/api/v1/session", headers={"X-Forwarded-For": "10.9.9.200"},
                           json={"username": "jiaoyu", "password": PASSWORD})
    assert response.status_code == 429


def test_bad_proxy_setting_fails_loudly() -> None:
    with pytest.raises(SettingsError, match="DUBAN_TRUSTED_PROXIES"):
        Settings.from_env({"DUBAN_TRUSTED_PROXIES": "10.0.0.1, proxy.example"})
