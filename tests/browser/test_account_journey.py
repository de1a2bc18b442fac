"""A visitor's account journey in a real browser: sign-up (a refused password first), language switch both
ways, logout, login; and the layout at phone width. Forms carry real CSRF tokens; the page's strict CSP
must report nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FULL_NAME = "Trần Thị Ánh"
EMAIL = "anh.tran@example.vn"
WEAK_PASSWORD = "12345678"
STRONG_PASSWORD = "Hoa-sen-nở-giữa-hồ-2026"
LOGIN_LINK = "nav a[href='/account/login']"
SIGNUP_LINK = "nav a[href='/account/signup']"


def html_lang(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_sign_up_switch_language_log_out_and_in(page: Page, live_server, console_errors) -> None:
    page.goto(live_server("/"))
    html_lang(page, "vi")
    expect(page.locator("[data-testid=account-menu]")).to_have_count(0)

    # Sign up, first with a password the rules refuse.
    page.locator(SIGNUP_LINK).click()
    expect(page).to_have_url(live_server("/account/signup"))
    page.locator("#full_name").fill(FULL_NAME)
    page.locator("#email").fill(EMAIL)
    page.locator("#phone").fill("0912 345 678")
    page.locator("#password").fill(WEAK_PASSWORD)
    page.locator("#confirm").fill(WEAK_PASSWORD)
    page.locator("form #submit").click()

    password = page.locator("#password")
    expect(password).to_have_class(re.compile(r"\bis-invalid\b"))
    error = page.locator("#password ~ .invalid-feedback")
    expect(error).to_be_visible()  # Bootstrap shows the feedback only beside an invalid field
    expect(error).to_contain_text(re.compile(r"(at least|ít nhất) 10", re.IGNORECASE))
    expect(page.locator("#full_name")).to_have_value(FULL_NAME)
    expect(page.locator("#email")).to_have_value(EMAIL)
    expect(page.locator("#full_name")).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#email")).not_to_have_class(re.compile(r"\bis-invalid\b"))

    # A strong password: the account is made and its owner signed in.
    password.fill(STRONG_PASSWORD)
    page.locator("#confirm").fill(STRONG_PASSWORD)
    page.locator("form #submit").click()
    expect(page).to_have_url(live_server("/"))
    account_menu = page.locator("[data-testid=account-menu]")
    expect(account_menu).to_have_text(FULL_NAME)
    expect(page.locator(".alert-success")).to_contain_text(FULL_NAME)
    expect(page.locator(LOGIN_LINK)).to_have_count(0)

    # English, then back to Vietnamese (POST forms with the CSRF token).
    page.locator("[data-testid=lang-en]").click()
    html_lang(page, "en")
    expect(page.locator("[data-testid=lang-vi]")).to_be_visible()
    expect(account_menu).to_have_text(FULL_NAME)
    page.locator("[data-testid=lang-vi]").click()
    html_lang(page, "vi")
    expect(page.locator("[data-testid=lang-en]")).to_be_visible()

    # Log out from the account dropdown.
    account_menu.click()
    logout = page.locator("[data-testid=logout]")
    expect(logout).to_be_visible()
    logout.click()
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    expect(account_menu).to_have_count(0)
    html_lang(page, "vi")  # the language chosen outlives the logout

    # Log in again through the form.
    page.locator(LOGIN_LINK).click()
    expect(page).to_have_url(live_server("/account/login"))
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(STRONG_PASSWORD)
    page.locator("form #submit").click()
    expect(page).to_have_url(live_server("/"))
    expect(account_menu).to_have_text(FULL_NAME)

    assert console_errors == []


def test_phone_width_menu_opens_from_the_toggler(new_page, live_server, console_errors) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(live_server("/"))

    toggler = page.locator("button.navbar-toggler")
    login = page.locator(LOGIN_LINK)
    expect(toggler).to_be_visible()
    expect(login).to_be_hidden()  # collapsed behind the toggler
    expect(toggler).to_have_attribute("aria-expanded", "false")

    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(login).to_be_visible()
    expect(page.locator(SIGNUP_LINK)).to_be_visible()
    expect(page.locator("[data-testid=lang-en]")).to_be_visible()

    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    login.click()
    expect(page).to_have_url(live_server("/account/login"))
    expect(page.locator("#email")).to_be_visible()

    assert console_errors == []
