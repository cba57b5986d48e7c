"""A real backoffice for browser tests: a database with the three modules
and the demo data, a trytond server on a free port serving sao, and
headless Chromium driven by Selenium.

The database is built once per code version (SQLite: a cached file under
var/cache; PostgreSQL: a cached template database) and copied for each run.
"""
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from .runner import MODULES, ROOT

ADMIN_PASSWORD = 'admin'
SCREENSHOTS = os.path.join(ROOT, 'var', 'screenshots')


def code_key():
    digest = hashlib.sha1()
    for folder in ['addons', 'tests']:
        for dirpath, dirnames, filenames in sorted(
                os.walk(os.path.join(ROOT, folder))):
            dirnames.sort()
            if 'tests' in dirpath.split(os.sep)[-1:] and folder == 'addons':
                continue
            for name in sorted(filenames):
                if name.endswith(('.py', '.xml', '.cfg', '.po', '.fodt')):
                    with open(os.path.join(dirpath, name), 'rb') as fp:
                        digest.update(fp.read())
    return digest.hexdigest()[:12]


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def executable(name):
    return os.path.join(os.path.dirname(sys.executable), name)


class Backoffice:
    "A database with demo data and a running server"

    def __init__(self):
        self.uri = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
        self.backend = self.uri.split(':')[0]
        self.tmp = tempfile.mkdtemp(prefix='insurance-browser-')
        self.key = code_key()
        self.database = 'browser_%s' % self.key
        self.process = None

    def env(self, **extra):
        env = dict(os.environ)
        for name in ['TRYTOND_DATABASE_URI', 'DB_NAME', 'DB_CACHE',
                'TRYTOND_CONFIG']:
            env.pop(name, None)
        env.update({
                'TRYTOND_DATABASE__URI': self.uri,
                'TRYTOND_DATABASE__PATH': self.tmp,
                'TRYTOND_WEB__ROOT': os.path.join(ROOT, 'var', 'sao'),
                'TRYTOND_DATABASE__LANGUAGE': 'es',
                })
        env.update(extra)
        return env

    def run(self, *args, **kwargs):
        subprocess.run(args, check=True, cwd=ROOT, **kwargs)

    def build(self, name, path):
        "Create database name with the modules and the demo data"
        passfile = os.path.join(self.tmp, 'pass')
        with open(passfile, 'w') as fp:
            fp.write(ADMIN_PASSWORD)
        env = self.env(TRYTONPASSFILE=passfile, TRYTOND_DATABASE__PATH=path)
        self.run(executable('trytond-admin'), '-d', name, '-u', *MODULES,
            '--activate-dependencies', '-l', 'es',
            '--email', 'admin@example.com', env=env,
            stdout=subprocess.DEVNULL)
        self.run(sys.executable, '-m', 'tests.demo', name, env=env)

    def prepare(self):
        if self.backend == 'sqlite':
            cache = os.path.join(ROOT, 'var', 'cache', 'browser')
            cached = os.path.join(cache, self.database + '.sqlite')
            if not os.path.exists(cached):
                os.makedirs(cache, exist_ok=True)
                for old in os.listdir(cache):
                    os.remove(os.path.join(cache, old))
                building = tempfile.mkdtemp(dir=self.tmp)
                open(os.path.join(
                        building, self.database + '.sqlite'), 'w').close()
                self.build(self.database, building)
                shutil.move(os.path.join(
                        building, self.database + '.sqlite'), cached)
            shutil.copy(cached, os.path.join(
                    self.tmp, self.database + '.sqlite'))
        else:
            import psycopg
            template = 'cache_' + self.database
            with psycopg.connect(
                    self.uri.rstrip('/') + '/postgres',
                    autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s",
                    (template,)).fetchone()
                if not exists:
                    for (old,) in conn.execute(
                            "SELECT datname FROM pg_database "
                            "WHERE datname LIKE 'cache_browser_%%'"
                            ).fetchall():
                        conn.execute('DROP DATABASE "%s"' % old)
                    conn.execute('CREATE DATABASE "%s"' % template)
                    self.build(template, self.tmp)
                conn.execute('DROP DATABASE IF EXISTS "%s"' % self.database)
                conn.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (
                        self.database, template))

    def start(self):
        self.prepare()
        self.port = free_port()
        self.url = 'http://127.0.0.1:%s/' % self.port
        self.log = open(os.path.join(self.tmp, 'trytond.log'), 'w')
        # -d preloads the pool: trytond 8.0.12 fails the first login without
        self.process = subprocess.Popen([
                executable('trytond'), '-d', self.database],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env=self.env(TRYTOND_WEB__LISTEN='127.0.0.1:%s' % self.port))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError("trytond did not start:\n" + self.server_log())

    def server_log(self):
        with open(os.path.join(self.tmp, 'trytond.log')) as fp:
            return fp.read()[-20000:]

    def stop(self):
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.backend != 'sqlite':
            import psycopg
            with psycopg.connect(
                    self.uri.rstrip('/') + '/postgres',
                    autocommit=True) as conn:
                conn.execute(
                    'DROP DATABASE IF EXISTS "%s"' % self.database)
        shutil.rmtree(self.tmp, ignore_errors=True)


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    for arg in ['--headless', '--no-sandbox', '--disable-gpu',
            '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-dev-shm-usage',
            '--window-size=1400,900', '--lang=es']:
        options.add_argument(arg)
    options.add_argument('--user-data-dir=' + tempfile.mkdtemp(
            prefix='chromium-'))
    service = Service(shutil.which('chromedriver') or '/usr/bin/chromedriver')
    return webdriver.Chrome(service=service, options=options)


class BrowserTestCase(unittest.TestCase):
    "Base class: one backoffice and one browser for the whole class"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (shutil.which('chromium') and shutil.which('chromedriver')):
            raise unittest.SkipTest("chromium and chromedriver are missing")
        cls.backoffice = Backoffice()
        try:
            cls.backoffice.start()
        except Exception:
            cls.backoffice.stop()
            raise
        cls.driver = chromium()
        cls.driver.implicitly_wait(0)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        log = cls.backoffice.server_log()
        if 'Traceback' in log:
            print("\nserver errors:\n" + log[log.index('Traceback'):],
                file=sys.stderr)
        cls.backoffice.stop()
        super().tearDownClass()

    # helpers to drive sao

    def wait(self, condition, timeout=30, message=''):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait
        try:
            return WebDriverWait(self.driver, timeout).until(
                condition, message=message)
        except TimeoutException:
            self.screenshot('failed-' + self._testMethodName)
            for entry in self.driver.get_log('browser'):
                if (entry.get('level') == 'SEVERE'
                        and 'Failed to load resource' not in entry['message']):
                    print("browser: %s" % entry['message'], file=sys.stderr)
            raise

    def css(self, selector, timeout=30):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        return self.wait(EC.visibility_of_element_located(
                (By.CSS_SELECTOR, selector)), timeout,
            "no visible %s" % selector)

    def login(self, login, password):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        self.driver.get(self.backoffice.url)
        self.driver.delete_all_cookies()
        self.driver.execute_script(
            'window.localStorage.clear(); window.sessionStorage.clear()')
        # the database in the URL: sao does not ask for it
        self.driver.get('%s#%s' % (
                self.backoffice.url, self.backoffice.database))
        self.driver.refresh()
        user = self.css('#login')
        user.clear()
        user.send_keys(login)
        self.driver.find_element(
            By.CSS_SELECTOR, '.login-dialog button[type=submit]').click()
        password_input = self.css('input[type=password]')
        password_input.send_keys(password)
        password_input.send_keys(Keys.ENTER)
        # the menu appears once logged in
        self.css('#menu', timeout=60)
        self.wait(lambda d: not d.find_elements(
                By.CSS_SELECTOR, '.login-dialog'), 30, "still logging in")

    def open_menu(self, *names):
        "Open a menu entry by the names of its path, as the user clicks"
        from selenium.webdriver.common.by import By
        cell = None
        for i, name in enumerate(names):
            if cell is None:
                cell = self.css('#menu div.column-char[title="%s"]' % name)
            else:
                # the first entry of that name below the one just expanded
                parent = cell
                cell = self.wait(lambda d: [e for e in parent.find_elements(
                            By.XPATH, 'following::div[contains(@class, '
                            '"column-char")][@title="%s"]' % name)
                        if e.is_displayed()], 30, "no menu %r" % name)[0]
            if i < len(names) - 1:
                following = cell.find_elements(By.XPATH,
                    'following::div[contains(@class, "column-char")]'
                    '[@title="%s"]' % names[i + 1])
                if not [e for e in following if e.is_displayed()]:
                    row = cell.find_element(By.XPATH, './ancestor::tr[1]')
                    row.find_element(By.CSS_SELECTOR, '.expander').click()
            else:
                before = self.tab_count()
                cell.click()
                self.idle()
                self.close_extra_tabs(before + 1)

    def fill(self, name, value):
        "Type value into the visible widget of field name"
        from selenium.webdriver.common.by import By
        field = self.wait(lambda d: [e for e in d.find_elements(
                    By.CSS_SELECTOR, '[name="%s"]' % name)
                if e.is_displayed()], 30, "no field %r" % name)[-1]
        field.click()
        field.clear()
        field.send_keys(value)
        return field

    def click_tab(self, text):
        "Click the visible tab (notebook page or list filter) named text"
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By

        def click(driver):
            for link in driver.find_elements(By.CSS_SELECTOR, '#tabs a'):
                try:
                    label = link.get_attribute('textContent').strip()
                    # list filter tabs end with their count
                    if link.is_displayed() and (label == text
                            or label.rstrip('0123456789 ') == text):
                        link.click()
                        return True
                except WebDriverException:
                    return False
            return False
        self.wait(click, 30, "no tab %r" % text)

    def click_button(self, text):
        "Click the visible button whose label is text"
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By

        def click(driver):
            # the last one first: the dialog on top
            for button in reversed(
                    driver.find_elements(By.TAG_NAME, 'button')):
                try:
                    if (button.is_displayed()
                            and button.text.strip().lower() == text.lower()):
                        button.click()
                        return True
                except WebDriverException:
                    # a dialog still fading in intercepts the click
                    return False
            return False
        self.wait(click, 30, "no clickable button %r" % text)

    def _rows(self, selector):
        "The text of the visible rows matching selector, cells joined by |"
        return self.driver.execute_script("""
            return Array.from(document.querySelectorAll(arguments[0]))
                .filter(function(r) {
                    return r.offsetParent !== null && !r.closest('#menu')
                        && r.textContent.trim(); })
                .map(function(r) {
                    return Array.from(r.querySelectorAll('td')).map(
                        function(c) { return c.textContent.trim(); }
                        ).join(' | '); });""", selector)

    def rows(self):
        "The text of the rows of the lists shown"
        # sao loads the rows of a list when it scrolls into view
        self.driver.execute_script("""
            document.querySelectorAll('#tabs .treeview').forEach(
                function(t) {
                    if (t.offsetParent !== null) { t.scrollIntoView(); } });""")
        return self._rows('.treeview tbody tr')

    def search(self, text):
        "Search text in the filter box of the list shown"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        before = self.tab_count()
        box = self.wait(lambda d: [e for e in d.find_elements(
                    By.CSS_SELECTOR, '#tabs .filter-box input[type=text], '
                    '#tabs input.form-control.mousetrap')
                if e.is_displayed()], 30, "no search box")[0]
        box.clear()
        box.send_keys(text, Keys.ENTER)
        self.idle()
        self.close_extra_tabs(before)

    def switch_view(self):
        "Click the Switch button of the tab shown (list, form, graph)"
        before = self.tab_count()
        self.wait(lambda d: [b for b in d.find_elements(
                        'css selector', 'button#switch_')
                    if b.is_displayed()], 30, "no switch button")[0].click()
        self.idle()
        self.close_extra_tabs(before)

    def tab_count(self):
        return self.driver.execute_script(
            "return document.querySelectorAll('#tablist > li').length")

    def close_extra_tabs(self, expected):
        """Close the tabs opened after the expected count.

        sao races with itself when a list loads fast: the tab changes its
        URL before the browser reports the previous hash change, and the
        hashchange handler then opens the same list again in a new tab."""
        import time
        time.sleep(0.5)
        self.idle()
        while self.tab_count() > expected:
            self.driver.execute_script(
                "var tabs = document.querySelectorAll('#tablist > li');"
                "tabs[tabs.length - 1].querySelector('button.close').click();")
            self.idle()
        # show the tab the menu opened
        self.driver.execute_script(
            "var tabs = document.querySelectorAll('#tablist > li a');"
            "if (tabs.length) { jQuery(tabs[tabs.length - 1]).tab('show'); }")
        self.idle()

    def idle(self, timeout=30):
        "Wait until sao has no request running"
        self.wait(lambda d: d.execute_script(
                'return !window.jQuery || jQuery.active === 0'), timeout,
            "sao still busy")

    def modal_rows(self):
        "The text of the list rows of the dialog shown"
        return self._rows('.modal .treeview tbody tr')

    def open_row(self, text):
        "Open the record of the list row with a cell showing text"
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        def open_(driver):
            self.idle()
            try:
                # double-click the cell itself: a row's middle may be a link
                for cell in driver.find_elements(
                        By.CSS_SELECTOR, '#tabs .treeview tbody td'):
                    if cell.is_displayed() and cell.get_attribute(
                            'textContent').strip() == text:
                        ActionChains(driver).double_click(cell).perform()
                        return True
            except WebDriverException:
                pass
            return False
        before = self.tab_count()
        self.wait(open_, 30, "no row %r" % text)
        self.idle()
        self.close_extra_tabs(before)

    def open_model(self, model):
        self.driver.get('%s#%s/model/%s' % (
                self.backoffice.url, self.backoffice.database, model))
        self.driver.refresh()

    def page_text(self):
        "The text shown, with the values of inputs and text areas"
        return self.driver.execute_script("""
            var texts = [document.body.innerText];
            document.querySelectorAll('input, textarea').forEach(
                function(e) {
                    if (e.offsetParent !== null && e.value) {
                        texts.push(e.value);
                    }
                });
            return texts.join('\\n');""")

    def wait_text(self, text, timeout=30):
        self.wait(lambda d: text in self.page_text(), timeout,
            "%r not shown" % text)

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name + '.png')
        self.driver.save_screenshot(path)
        print("\nscreenshot: %s" % path)
        return path
