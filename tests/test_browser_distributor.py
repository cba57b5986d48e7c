"""The dealer desk in the browser: a dealer's user sees only their own
liquidation requests and follows one by its folio."""
import re

from selenium.webdriver.common.by import By

from .browser import BrowserTestCase


class DealerBrowserTestCase(BrowserTestCase):
    "A dealer follows a liquidation request by folio"

    def test_dealer_follows_request_by_folio(self):
        "The dealer sees its own requests, the routing contacts and tasks"
        self.login('dealer1', 'dealer1123')
        self.open_menu('Mesa de Distribuidoras', 'Trámites de liquidación')
        self.wait_text("Autos del Norte Demo")
        text = self.page_text()
        self.assertNotIn("Motores del Bajío Demo", text)

        paid_states = ["Pagado", "Seguro cancelado",
            "Entrega de factura solicitada", "Factura entregada"]
        paid = self.wait(lambda d: [r for r in self.rows()
                if any(s in r for s in paid_states)], 30, "no paid request")
        folio = re.search(r'LIQ-\d{4}-\d+', paid[0]).group(0)

        self.search(folio)
        self.wait(lambda d: len(self.rows()) == 1 and folio in self.rows()[0],
            30, "the folio search did not give one request")
        self.idle()
        self.open_row(folio)

        self.wait_text("Área de atención")
        self.wait_text("Centro de Atención")
        self.wait_text("01 800 000 1300")
        self.assertIn("Opción 5, 7 y 8", self.page_text())
        self.screenshot('distributor_request_routing')

        self.click_tab("Tareas")
        self.wait_text("Vencimiento")
        text = self.page_text()
        self.assertRegex(text, r'\d{2}/\d{2}/\d{4}')
        self.assertIn(folio, text)
        self.screenshot('distributor_request_tasks')
