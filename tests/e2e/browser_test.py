#!/usr/bin/env python3
"""The search page in a real browser: headless Chromium driven by Selenium.

Indexes the UCI news sample (many outlets), starts `gazette serve` on a random loopback
port, and does what a user does: loads /, types a query, checks the hit count against
/v1/search, ticks an outlet and checks hits and counts follow, reloads the URL (the
state is in it), opens an article, and sees the timeline chart drawn. Stored content
cannot run in the page: an article whose url is "javascript:..." shows it as text, not
a link, and the Content-Security-Policy reports no violation. Saves a screenshot when
asked (docs/web.md shows one).

Usage: browser_test.py GAZETTE_BINARY SHARED_DIR [--screenshot PATH]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("ok: " + message)


def api(base, path, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(base + path + ("?" + query if query else ""), timeout=30) as response:
        return json.load(response)


def start_server(binary, index, log_path):
    log = open(log_path, "w")
    process = subprocess.Popen([binary, "serve", "-i", index, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(600):
        with open(log_path) as text:
            match = re.search(r"on http://127\.0\.0\.1:(\d+)/", text.read())
        if match:
            return process, int(match.group(1))
        if process.poll() is not None:
            fail("gazette serve exited: " + open(log_path).read())
        time.sleep(0.05)
    fail("gazette serve did not start")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def summary_total(driver):
    text = driver.find_element(By.ID, "summary").text
    match = re.match(r"([\d,]+) match", text)
    return int(match.group(1).replace(",", "")) if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gazette")
    parser.add_argument("shared")
    parser.add_argument("--screenshot")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="gazette-browser-")
    server = driver = None
    try:
        corpus = os.path.join(args.shared, "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst")
        index = os.path.join(work, "index")
        subprocess.run([args.gazette, "index", "-q", "-i", index, corpus], check=True, stdout=subprocess.DEVNULL)
        # Hostile stored content: an article whose url would run script if it were a link.
        hostile = os.path.join(work, "hostile.jsonl")
        with open(hostile, "w") as out:
            out.write(json.dumps({"id": "hostile-js", "title": "Hostile link", "body": "Its url is a script.",
                                  "url": "javascript:document.title='pwned'"}) + "\n")
        subprocess.run([args.gazette, "index", "-q", "-i", index, hostile], check=True, stdout=subprocess.DEVNULL)
        server, port = start_server(args.gazette, index, os.path.join(work, "serve.log"))
        base = "http://127.0.0.1:%d" % port
        driver = browser()
        wait = WebDriverWait(driver, 30)

        # Load the page, type a query, press Enter.
        driver.get(base + "/")
        box = wait.until(EC.element_to_be_clickable((By.ID, "q")))
        box.send_keys("fed", Keys.ENTER)
        wait.until(lambda d: summary_total(d) is not None)
        expected = api(base, "/v1/search", q="fed", limit=0)["total"]
        check(summary_total(driver) == expected, "hit count %d equals /v1/search's %d" % (summary_total(driver), expected))
        hits = driver.find_elements(By.CSS_SELECTOR, "#hits li")
        check(len(hits) == min(10, expected), "a page of %d hits" % len(hits))
        check("q=fed" in driver.current_url, "the query is in the URL")

        # The timeline chart and the top-outlets table are drawn.
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline svg rect.bar"))
        bars = driver.find_elements(By.CSS_SELECTOR, "#timeline svg rect.bar")
        check(len(bars) > 0, "timeline drawn with %d bars" % len(bars))
        check(len(driver.find_elements(By.CSS_SELECTOR, "#top tbody tr")) > 0, "top outlets listed")

        # Tick the first outlet: hits and counts follow, and the URL says so.
        first = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#outlets input[type=checkbox]")))
        outlet = first.get_attribute("value")
        label_count = int(driver.find_element(By.CSS_SELECTOR, "#outlets label .count").text.replace(",", ""))
        first.click()
        filtered = api(base, "/v1/search", q="fed", outlet=outlet, limit=0)["total"]
        wait.until(lambda d: summary_total(d) == filtered)
        check(filtered == label_count, "outlet '%s': %d hits, as its facet count said" % (outlet, filtered))
        check(filtered < expected, "ticking an outlet narrows the hits (%d < %d)" % (filtered, expected))
        for meta in driver.find_elements(By.CSS_SELECTOR, "#hits .meta"):
            if not meta.text.startswith(outlet):
                fail("a hit from another outlet: " + meta.text)
        check("outlet=" in driver.current_url, "the outlet is in the URL")

        # The URL holds the whole state: loading it again shows the same search.
        driver.get(driver.current_url)
        wait.until(lambda d: summary_total(d) == filtered)
        check(driver.find_element(By.ID, "q").get_attribute("value") == "fed", "a shared URL restores the query")
        check(driver.find_element(By.CSS_SELECTOR, "#outlets input:checked").get_attribute("value") == outlet,
              "and the ticked outlet")

        # Untick, screenshot the full results, then open an article.
        driver.find_element(By.CSS_SELECTOR, "#outlets input:checked").click()
        wait.until(lambda d: summary_total(d) == expected)
        # Buckets per day: the chart is drawn again, with more bars (the sample spans days).
        Select(driver.find_element(By.ID, "by")).select_by_value("day")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#timeline svg rect.bar")) > len(bars))
        check("by=day" in driver.current_url, "timeline per day: %d bars" %
              len(driver.find_elements(By.CSS_SELECTOR, "#timeline svg rect.bar")))
        if args.screenshot:
            driver.save_screenshot(args.screenshot)
            print("screenshot: " + args.screenshot)
        link = driver.find_element(By.CSS_SELECTOR, "#hits h3 a")
        title = link.text
        link.click()
        heading = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#article h2")))
        check(heading.text == title, "the article page shows '%s'" % title)
        check("article=" in driver.current_url, "the open article is in the URL")
        driver.back()
        wait.until(lambda d: summary_total(d) == expected)
        check(True, "Back returns to the results")

        # A javascript: url is shown, never linked; nothing broke the page's policy.
        driver.get(base + "/?article=hostile-js")
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#article h2")))
        article = driver.find_element(By.ID, "article")
        check("javascript:document.title" in article.text, "the javascript: url is shown as text")
        links = [a.get_attribute("href") or "" for a in article.find_elements(By.TAG_NAME, "a")]
        check(not any(href.lower().startswith("javascript:") for href in links),
              "no link runs script (links: %s)" % links)
        for element in article.find_elements(By.XPATH, ".//*[contains(text(), 'javascript:')]"):
            element.click()
        check(driver.title != "pwned", "clicking the url text runs nothing")
        violations = [entry["message"] for entry in driver.get_log("browser")
                      if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]]
        check(not violations, "no Content-Security-Policy violation: %s" % violations)
    finally:
        if driver:
            driver.quit()
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("browser test passed")


if __name__ == "__main__":
    main()
