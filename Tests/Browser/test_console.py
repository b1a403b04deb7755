#!/usr/bin/env python3
"""Drives the Steward web console in headless Chromium against a running controller.

Environment (set by scripts/browser-test.sh): STEWARD_URL, STEWARD_TOKEN, STEWARD_AGENTS (comma-separated
names expected online), ARTIFACTS (screenshot folder). Exits non-zero on any failed check and ends with
"N passed, M failed".
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

URL = os.environ["STEWARD_URL"].rstrip("/")
TOKEN = os.environ["STEWARD_TOKEN"]
AGENTS = os.environ.get("STEWARD_AGENTS", "web-01,web-02").split(",")
ARTIFACTS = os.environ.get("ARTIFACTS", "artifacts/browser")
TIMEOUT = float(os.environ.get("BROWSER_TIMEOUT", "20"))

passed, failed = 0, 0


class CheckFailed(Exception):
    pass


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")
        raise CheckFailed(name)


def skip(name, why):
    print(f"skip {name}: {why}")


def wait_for(driver, predicate, what, timeout=TIMEOUT):
    """Polls predicate(driver) until it returns something truthy; returns it or None on timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate(driver)
            if value:
                return value
        except Exception:  # element not there yet, stale element while the page redraws
            pass
        time.sleep(0.2)
    print(f"     (timed out after {timeout:.0f} s waiting for {what})")
    return None


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def shot(driver, name):
    path = os.path.join(ARTIFACTS, name + ".png")
    driver.save_screenshot(path)
    print(f"     screenshot {path}")


def http(method, path, body=None, token=TOKEN):
    request = urllib.request.Request(URL + path, method=method, data=None if body is None else json.dumps(body).encode())
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def go(driver, hash_route):
    driver.execute_script("location.hash = arguments[0]", hash_route)


def submit_metrics_via_chat(driver):
    """Sends `metrics all` in the web room; returns the job id the bot's reply links to."""
    go(driver, "#/chat")
    box = wait_for(driver, lambda d: css(d, "#chat-input")[0], "chat input")
    check("chat page shows the message box", box is not None)
    hostile = "<img src=x onerror=window.__xss=1> **hi**"
    box.send_keys(hostile, Keys.ENTER)
    wait_for(driver, lambda d: not box.get_attribute("value"), "the hostile line to be sent")
    box.clear()
    box.send_keys("metrics all", Keys.ENTER)

    def replied_job(d):
        for link in css(d, "#messages li a[href^='#/jobs/']"):
            return link.get_attribute("href").split("#/jobs/")[1]
    job_id = wait_for(driver, replied_job, "a reply naming a job")
    check("the bot answers `metrics all` with a job", job_id is not None)

    def table_with_hosts(d):
        text = " ".join(p.text for p in css(d, "#messages pre"))
        return all(name in text for name in AGENTS)
    check("the reply shows a per-host metrics table", wait_for(driver, table_with_hosts, "per-host table in the reply"))
    check("chat text is never turned into markup",
          not css(driver, "#messages img") and driver.execute_script("return window.__xss === undefined"))
    shot(driver, "chat")
    return job_id


def submit_metrics_via_form(driver):
    go(driver, "#/fleet")
    action = wait_for(driver, lambda d: css(d, "#job-action")[0], "job form")
    action.clear()
    action.send_keys("metrics")
    target = css(driver, "#job-target")[0]
    target.clear()
    target.send_keys("all", Keys.ENTER)
    job_id = wait_for(driver, lambda d: d.execute_script("return location.hash").split("#/jobs/")[1], "job page")
    check("submitting `metrics` on `all` opens the job page", bool(job_id))
    return job_id


def run(driver):
    status, headers, body = http("GET", "/", token=None)
    policy = {k.lower(): v for k, v in headers.items()}.get("content-security-policy", "")
    check("GET / serves the console without a token, with a strict CSP",
          status == 200 and "default-src 'self'" in policy and b"/app.js" in body, f"status={status} csp={policy!r}")

    driver.get(URL + "/")
    field = wait_for(driver, lambda d: css(d, "#token")[0], "sign-in form")
    check("an unsigned visitor lands on the sign-in page", field is not None and driver.current_url.endswith("#/signin"))
    field.send_keys("stwa_not-a-real-token-0123456789", Keys.ENTER)
    message = wait_for(driver, lambda d: "401" in css(d, "#signin-message")[0].text, "the 401 message")
    check("a wrong token is refused with a message", message)
    check("signed out, the navigation stays hidden", not css(driver, "#nav")[0].is_displayed())
    shot(driver, "signin")

    field = css(driver, "#token")[0]
    field.clear()
    field.send_keys(TOKEN, Keys.ENTER)
    check("signing in opens the fleet page", wait_for(driver, lambda d: d.current_url.endswith("#/fleet"), "fleet page"))
    check("the token lives in sessionStorage",
          driver.execute_script("return sessionStorage.getItem('steward.token')") == TOKEN)

    def all_online(d):
        return all(css(d, f"#agents tr[data-agent='{name}'][data-state='online']") for name in AGENTS)
    check(f"fleet lists {', '.join(AGENTS)} online", wait_for(driver, all_online, "agents online"))

    chat_status, _, _ = http("GET", "/api/v1/chat/rooms/web/messages?after=0")
    if chat_status == 404:
        skip("chat room", "GET /api/v1/chat/rooms/web/messages answers 404 (endpoint not in this build); "
                          "submitting through the fleet page's job form instead")
        job_id = submit_metrics_via_form(driver)
    else:
        job_id = submit_metrics_via_chat(driver)
        go(driver, "#/jobs/" + job_id)

    def runs_done(d):
        rows = [css(d, f"#runs tr[data-host='{name}']") for name in AGENTS]
        return all(r and r[0].get_attribute("data-status") == "succeeded" for r in rows)
    check("job page shows every host succeeded", wait_for(driver, runs_done, "per-host results"))

    def metrics_rows(d):
        text = css(d, "#metrics-table")[0].text
        return all(name in text for name in AGENTS) and "%" in text
    check("job page shows the per-host metrics table", wait_for(driver, metrics_rows, "metrics table"))
    check("job page shows each host's output",
          wait_for(driver, lambda d: all(css(d, f"#structured section[data-host='{n}'], #output section[data-host='{n}']")
                                         for n in AGENTS), "output sections"))
    check("job page follows the job over the live WebSocket to its end",
          wait_for(driver, lambda d: css(d, "#output[data-transport='live'][data-live='done']"), "live socket done"))
    css(driver, "#structured details summary")[0].click()
    shot(driver, "job")

    # Keyboard only: Tab to the first host link and press Enter.
    host = AGENTS[0]
    css(driver, "#runs")[0].click()
    for _ in range(40):
        active = driver.switch_to.active_element
        if active.tag_name == "a" and active.text == host:
            break
        active.send_keys(Keys.TAB)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    check(f"the host link is reachable with the keyboard",
          wait_for(driver, lambda d: d.current_url.endswith("#/hosts/" + host), "host page"))
    check("host page lists the job in its history",
          wait_for(driver, lambda d: css(d, f"#history tr[data-job='{job_id}']"), "history row"))
    Select(css(driver, "#status-filter")[0]).select_by_value("succeeded")
    check("the status filter keeps the succeeded job", css(driver, f"#history tr[data-job='{job_id}']"))
    check("host page shows facts and latest metrics",
          wait_for(driver, lambda d: "hostname" in css(d, "#facts")[0].text and "%" in css(d, "#host-metrics")[0].text,
                   "facts and metrics"))
    shot(driver, "host")

    go(driver, "#/fleet")
    check("fleet shows each host's last metrics",
          wait_for(driver, lambda d: all("%" in css(d, f"#agents tr[data-agent='{n}']")[0].text for n in AGENTS),
                   "last metrics in the fleet table"))
    shot(driver, "fleet")

    driver.set_window_size(360, 780)
    pages = [("fleet", "#/fleet"), ("job", "#/jobs/" + job_id), ("host", "#/hosts/" + host)]
    if chat_status != 404:
        pages.append(("chat", "#/chat"))
    for page, route in pages:
        go(driver, route)
        time.sleep(1.5)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(f"{page} page fits a 360 px screen (page width {width})", width <= 360)
        shot(driver, page + "-360")
    driver.set_window_size(1280, 900)

    form_job = submit_metrics_via_form(driver)
    check("a job from the fleet form runs on every host",
          form_job != job_id and wait_for(driver, runs_done, "per-host results of the form's job"))

    css(driver, "#signout")[0].click()
    check("signing out forgets the token",
          wait_for(driver, lambda d: d.current_url.endswith("#/signin"), "sign-in page")
          and driver.execute_script("return sessionStorage.getItem('steward.token')") is None)


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver = make_driver()
    try:
        run(driver)
    except CheckFailed:
        shot(driver, "failure")
    except Exception as error:  # a crash in the test itself counts as a failure, never a pass
        global failed
        failed += 1
        print(f"FAIL unexpected {type(error).__name__}: {error}")
        shot(driver, "failure")
    finally:
        logs = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        for entry in logs:
            print(f"     browser console: {entry.get('message')}")
        driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
