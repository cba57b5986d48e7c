"""Approvals, settlement and the month-end pack in the browser."""
import re

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from .browser import BrowserTestCase


class SettlementBrowserTestCase(BrowserTestCase):
    "Signatures, payment orders and reports as the staff sees them"

    def test_regional_head_signs_step(self):
        "A level-2 user signs a pending step from the claim form"
        self.login('jefe', 'jefe1234')
        self.open_menu('Seguros', 'Siniestros', 'Siniestros')
        self.click_tab("Todos")
        self.wait(lambda d: [r for r in self.rows() if 'En aprobación' in r],
            30, "no claim in approval")
        row = [r for r in self.rows() if 'En aprobación' in r][0]
        number = re.search(r'SIN-\d{4}-\d+', row).group(0)
        self.open_row(number)
        self.wait_text(number)
        self.click_tab("Aprobación")
        # the pending round, opened from the claim form
        self.wait(lambda d: [r for r in self.rows() if 'Pendiente' in r],
            30, "no pending round")
        self.open_row("Pendiente")
        self.wait(lambda d: [r for r in self.modal_rows() if 'Por firmar' in r],
            30, "no step to sign")
        self.screenshot('approval_step_to_sign')
        # the step's form, then its Sign button
        cell = [c for c in self.driver.find_elements(
                By.CSS_SELECTOR, '.modal .treeview tbody td')
            if c.is_displayed()
            and c.get_attribute('textContent').strip() == 'Por firmar'][0]
        ActionChains(self.driver).double_click(cell).perform()
        self.idle()
        self.wait(lambda d: len([m for m in d.find_elements(
                        By.CSS_SELECTOR, '.modal') if m.is_displayed()]) >= 2,
            30, "no step form")
        self.click_button("Firmar")
        self.idle()
        self.wait(lambda d: [r for r in self.modal_rows()
                if 'Firmado' in r and 'Jefe de Asistencia Demo' in r],
            30, "the step is not shown signed by the regional head")
        # back to the round's list of steps
        self.click_button("Aplicar cambios")
        self.idle()
        self.wait(lambda d: len([m for m in d.find_elements(
                        By.CSS_SELECTOR, '.modal') if m.is_displayed()]) == 1,
            30, "the step form did not close")
        import time
        time.sleep(0.5)  # the dialog fades out
        self.screenshot('approval_signed_by_level_2')
        signed = [r for r in self.modal_rows() if 'Firmado' in r]
        # who signed and when; the executive signed the first step
        self.assertTrue(re.search(r'\d{2}/\d{2}/\d{4}', ' '.join(signed)))
        self.assertTrue([r for r in signed if 'Luis Mamani Demo' in r])

    def test_month_end_reserve_movement(self):
        "The reserve movement by region and line as a list and a graph"
        self.login('admin', 'admin')
        self.open_menu('Seguros', 'Siniestros', 'Informes', 'Cierre de mes',
            'Movimiento de reservas')
        self.wait(lambda d: [r for r in self.rows() if 'La Paz' in r], 30,
            "no reserve movement of La Paz")
        self.screenshot('month_end_reserve_movement_list')
        self.switch_view()
        self.wait(lambda d: d.execute_script(
                "return Array.from(document.querySelectorAll("
                "'#tabs svg, #tabs canvas')).some("
                "function(e) { return e.offsetParent !== null; })"),
            30, "no graph")
        self.screenshot('month_end_reserve_movement_graph')

    def test_paid_payment_order_with_invoice(self):
        "A paid payment order shows its supplier invoice"
        self.login('admin', 'admin')
        self.open_menu('Seguros', 'Siniestros', 'Órdenes de pago')
        self.click_tab("Todos")
        self.wait(lambda d: [r for r in self.rows() if 'Pagado' in r], 30,
            "no paid payment order")
        row = [r for r in self.rows() if 'Pagado' in r][0]
        number = row.split(' | ')[1] if row.startswith(' |') else [
            c for c in row.split(' | ') if c.strip()][0]
        self.open_row(number.strip())
        self.wait_text("Factura")
        self.wait_text("Pagado")
        self.screenshot('payment_order_paid_invoice')
