"""The backoffice in a real browser: sao served by trytond, in headless
Chromium. Screenshots are saved under var/screenshots/."""
from selenium.webdriver.common.by import By

from .browser import ADMIN_PASSWORD, BrowserTestCase


class DirectoryBrowserTestCase(BrowserTestCase):
    "The directory in the browser"

    def test_admin_sees_departments(self):
        "The administrator logs in and lists the demo departments"
        # the first login of a fresh server: trytond 8.0.12 fails it when
        # the database pool is not preloaded
        self.login('admin', ADMIN_PASSWORD)
        self.open_model('insurance.department')
        self.wait_text("Mesa de Control")
        rows = self.driver.find_elements(
            By.CSS_SELECTOR, '.treeview table tbody tr')
        text = self.page_text()
        for name in ["Siniestros", "Mesa de Control", "Devoluciones",
                "Centro de Atención", "Cobranza", "Portales"]:
            self.assertIn(name, text)
        self.assertGreaterEqual(len(rows), 10)
        self.screenshot('directory_departments')

    def test_reader_sees_spanish_menu(self):
        "A directory reader works in Spanish"
        self.login('lector', 'lector123')
        self.wait_text("Seguros")
        self.open_model('insurance.department')
        self.wait_text("Centro de Atención")
        text = self.page_text()
        self.assertIn("Departamento", text)
        self.assertIn("Código", text)
        self.screenshot('directory_reader_es')

    def test_who_handles_wizard(self):
        "An agent asks the finder from the menu and reads the answer"
        self.login('lector', 'lector123')
        self.open_menu('Seguros', 'Directorio', '¿Quién atiende esto?')
        self.wait_text("Describa lo que necesita")
        self.fill('query', "devolucion de primas")
        self.click_button("Buscar")
        self.wait_text("Gestión devoluciones de primas")
        text = self.page_text()
        self.assertIn("devoluciones@example.com", text)
        self.assertIn("Formato de solicitud de devoluciones", text)
        self.screenshot('directory_who_handles')
