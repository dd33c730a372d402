#!/usr/bin/env python3
"""The browser test of `hubs serve` (run by .ci/run; needs Chromium, chromedriver and selenium).

Starts the workbench on a copy of the shipped project, drives the page in headless Chromium
through WebDriver, and checks what an analyst would do with it: open the tokened URL; move the
security weight and see the ranking change and the override listed; click Kosovo and see its
contributions add up; set kosovo.coe_member and kosovo.echr_party to true and see Kosovo first;
misspell a fact in the scenario editor and see the located error with its did-you-mean, fix it,
save, and find the file on disk changed and valid; see hostile names rendered as text. Throughout,
the browser logs no console message and asks nothing of any host but the loopback server.
Screenshots are kept in .browser-check/serve-*.png (ignored by git).

Usage: scripts/browser-serve.py PATH_TO_HUBS
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, ".browser-check")
problems = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        problems.append(what)


def start_server(hubs, project):
    p = subprocess.Popen([hubs, "serve", "--port", "0", "--root", project], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    text = ""
    deadline = time.time() + 120
    while time.time() < deadline and "Ctrl-C" not in text:
        line = p.stdout.readline()
        if not line:
            break
        text += line
    m = re.search(r"(http://127\.0\.0\.1:(\d+))/\?token=([0-9a-f]+)", text)
    if not m:
        p.kill()
        sys.exit("browser-serve: hubs serve printed no URL:\n" + text + p.stderr.read())
    return p, m.group(0), m.group(1)


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,2200",
              "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-default-apps", "--metrics-recording-only", "--no-default-browser-check"]:
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver), options=o)


def ranking(d):
    # Read in one script: the rows are replaced whenever the view is scored again.
    return d.execute_script("return Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => r.dataset.id)")


def wait(d, cond, what, timeout=15):
    try:
        WebDriverWait(d, timeout, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]).until(lambda x: cond(x))
        check(True, what)
        return True
    except Exception:
        check(False, what + " (timed out)")
        return False


def set_select(d, element_id, value):
    d.execute_script(
        "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
        "s.dispatchEvent(new Event('change'));", element_id, value)


def edit(d, transform_js):
    """Replaces the editor's text with transform(text) and fires the input event."""
    d.execute_script(
        "const t = document.getElementById('text'); t.value = (" + transform_js + ")(t.value);"
        "t.dispatchEvent(new Event('input'));")


def main():
    hubs = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/hubs"))
    os.makedirs(OUT, exist_ok=True)
    project = tempfile.mkdtemp(prefix="hubs-serve-browser-")
    for sub in ["policies", "scenarios"]:
        shutil.copytree(os.path.join(ROOT, sub), os.path.join(project, sub))
    server, url, origin = start_server(hubs, project)
    d = browser()
    try:
        d.get(url)
        check(d.current_url.rstrip("/") == origin, "the tokened URL sets the cookie and leaves the token out of the address bar")
        wait(d, lambda x: len(ranking(x)) == 8, "the ranking shows the 8 candidates")
        # From the navigation's start (the tokened URL, its redirect included) to the ranking
        # drawn, as the page marks it (performance.mark "ranking-shown").
        shown = d.execute_script("return performance.getEntriesByName('ranking-shown')[0].startTime")
        # The target is for a release build; a debug build (as CI runs) gets a looser bound.
        limit = 300 if "/release/" in hubs else 1000
        check(shown < limit, f"the page's first load shows the ranking within {limit} ms ({shown:.0f} ms)")
        first = ranking(d)
        check(first[0] == "north_macedonia", "North Macedonia is first as the files stand")
        d.save_screenshot(os.path.join(OUT, "serve-1-loaded.png"))

        # The security weight to its maximum, with the keyboard, as an analyst would.
        slider = d.find_element(By.ID, "w-security")
        slider.send_keys(Keys.END)
        wait(d, lambda x: "--weight security=" in x.find_element(By.ID, "overrides").text, "the weight is listed as an override")
        check("for this view only" in d.find_element(By.ID, "view-note").text, "the view says its overrides are for this view only")
        wait(d, lambda x: ranking(x) != first, "moving the security weight changes the ranking")
        wait(d, lambda x: "Montenegro" in x.find_element(By.ID, "changes").text or "North Macedonia" in x.find_element(By.ID, "changes").text,
             "the diff against the files names the candidates that moved")
        d.save_screenshot(os.path.join(OUT, "serve-2-weight.png"))
        d.find_element(By.ID, "reset-all").click()
        if not wait(d, lambda x: ranking(x) == first, "reset brings the ranking of the files back"):
            print("  ranking now:", ranking(d), "first:", first, "overrides:", d.find_element(By.ID, "overrides").text)

        # Kosovo's explanation adds up.
        d.find_element(By.CSS_SELECTOR, "#ranking tbody tr[data-id='kosovo']").click()
        wait(d, lambda x: "Kosovo" in x.find_element(By.ID, "candidate").text, "clicking Kosovo shows its explanation")
        text = d.find_element(By.ID, "candidate").text
        m = re.search(r"add up to ([0-9.]+) \(risk ([0-9.]+)\)", text)
        check(bool(m) and abs(float(m.group(1)) - float(m.group(2))) < 1e-3, "Kosovo's contributions add up to its risk")
        check("S29" in text or "source" in text.lower(), "the explanation names the sources of the facts")

        # CoE and ECHR membership for Kosovo: first place.
        for fact in ["coe_member", "echr_party"]:
            set_select(d, "fact-candidate", "kosovo")
            set_select(d, "fact-name", fact)
            set_select(d, "fact-value", "true")
            d.find_element(By.ID, "fact-set").click()
            wait(d, lambda x, f=fact: ("kosovo." + f + "=true") in x.find_element(By.ID, "overrides").text, "--set kosovo." + fact + " is listed")
        wait(d, lambda x: ranking(x)[0] == "kosovo", "Kosovo is first with CoE and ECHR membership")
        d.save_screenshot(os.path.join(OUT, "serve-3-kosovo.png"))
        d.find_element(By.ID, "reset-all").click()
        wait(d, lambda x: ranking(x) == first, "reset again")

        # A misspelt fact in the scenario: a located error with a did-you-mean; fixed; saved.
        d.find_element(By.ID, "tab-scenario").click()
        edit(d, "t => t.replace('    coe_member:', '    coe_membr:')")
        wait(d, lambda x: "coe_membr" in x.find_element(By.ID, "diagnostics").text, "the misspelt fact is reported as the analyst types")
        diag = d.find_element(By.ID, "diagnostics").text
        check(re.search(r"scenarios/baseline\.yaml:\d+:\d+", diag) is not None, "the error is located at file:line:column")
        check("coe_member" in diag and "did you mean" in diag.lower(), "the error offers the did-you-mean")
        d.save_screenshot(os.path.join(OUT, "serve-4-misspelt.png"))
        edit(d, "t => t.replace('    coe_membr:', '    coe_member:').replace('title: Return-hub candidates', 'title: Return-hub candidates (checked in the workbench)')")
        wait(d, lambda x: "coe_membr" not in x.find_element(By.ID, "diagnostics").text, "fixing it clears the error")
        d.find_element(By.ID, "save").click()
        wait(d, lambda x: x.find_element(By.ID, "save-dialog").is_displayed(), "Save shows the diff first")
        check("checked in the workbench" in d.find_element(By.ID, "save-diff").text, "the diff shows the changed line")
        d.find_element(By.ID, "save-confirm").click()
        wait(d, lambda x: "Saved" in x.find_element(By.ID, "status").text, "the file is saved")
        saved = open(os.path.join(project, "scenarios/baseline.yaml"), encoding="utf-8").read()
        check("checked in the workbench" in saved, "the file on disk has the edit")
        r = subprocess.run([hubs, "check", "scenarios/baseline.yaml"], cwd=project, capture_output=True, text=True)
        check(r.returncode == 0, "the saved file passes hubs check")

        # Hostile names are text.
        hostile = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
        edit(d, "t => t.replace('name: Kosovo', 'name: \"' + " + json.dumps(hostile.replace('"', '\\"')) + " + '\"')")
        wait(d, lambda x: "<img" in x.find_element(By.ID, "ranking").text, "a hostile candidate name is shown as text")
        check(not d.find_elements(By.CSS_SELECTOR, "#ranking img, #ranking script, #chart img, #chart script"), "no element is made from a name")
        check(d.title != "pwned", "no script from a name ran")
        d.save_screenshot(os.path.join(OUT, "serve-5-hostile.png"))

        # The console is silent and only the loopback server was asked.
        messages = d.get_log("browser")
        check(not messages, "no console message" + ("" if not messages else ": " + json.dumps(messages)[:800]))
        hosts = set()
        for entry in d.get_log("performance"):
            m = json.loads(entry["message"])["message"]
            if m.get("method") == "Network.requestWillBeSent":
                u = m["params"]["request"]["url"]
                hosts.add(re.sub(r"^(\w+://[^/]+).*$", r"\1", u))
        check(hosts <= {origin}, "no request to any host but the loopback server: " + ", ".join(sorted(hosts)))
    finally:
        d.quit()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(project, ignore_errors=True)
    check(server.returncode == 0, "hubs serve stops cleanly on SIGINT")
    print("browser-serve: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
