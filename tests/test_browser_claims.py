"""The claims department in the browser: an executive works in Spanish on
the claims of the regions, with the checklist, the deadlines and the red
facultative-reinsurance tag."""
from .browser import BrowserTestCase


class ClaimsBrowserTestCase(BrowserTestCase):
    "A claims executive opens a registered claim"

    def test_menus_read_like_a_claims_department(self):
        "Claims → Claims, Policies, Adjusters; Configuration → lines..."
        self.login('admin', 'admin')
        self.open_menu('Seguros', 'Siniestros')
        for entry in ["Pólizas", "Ajustadores", "Plazos"]:
            self.css('#menu div.column-char[title="%s"]' % entry)
        self.open_menu('Seguros', 'Configuración')
        for entry in ["Ramos", "Requisitos", "Configuración de siniestros"]:
            self.css('#menu div.column-char[title="%s"]' % entry)
        self.screenshot('claims_menu')

    def test_executive_opens_registered_claim(self):
        "The executive sees its regions' claims and the red reinsurance tag"
        self.login('ejecutivo', 'ejecutivo123')
        self.open_menu('Seguros', 'Siniestros', 'Siniestros')
        self.click_tab("Abierto")
        self.wait_text("Textiles del Altiplano Demo S.A.")
        rows = self.rows()
        # region rules: La Paz and El Alto only, not Santa Cruz
        self.assertFalse([r for r in rows if "Gobierno Municipal Demo" in r])
        fire = [r for r in rows if "Textiles del Altiplano" in r][0]
        number = [c for c in fire.split(' | ') if c.startswith('SIN-')][0]
        # the facultative claim's row is red in the list
        red = self.driver.execute_script("""
            var number = arguments[0];
            return Array.from(document.querySelectorAll(
                    '#tabs .treeview tbody tr'))
                .filter(function(r) {
                    return r.textContent.indexOf(number) >= 0; })
                .map(function(r) { return r.className; });""", number)
        self.assertTrue(any('danger' in c for c in red), red)
        self.screenshot('claims_list_es')

        self.open_row(number)
        self.wait_text("Reaseguro facultativo")
        # the red tag beside the flag
        self.wait(lambda d: d.execute_script("""
            return Array.from(document.querySelectorAll(
                    '#tabs .form-image_ img'))
                .some(function(i) {
                    return i.offsetParent !== null
                        && getComputedStyle(i).backgroundColor
                        == 'rgb(217, 83, 79)'; });"""), 30, "no red tag")
        self.screenshot('claim_form_reinsurance')

        self.click_tab("Documentos")
        self.wait(lambda d: len([r for r in self.rows() if 'Pendiente' in r])
            >= 3, 30, "no checklist")
        self.screenshot('claim_checklist')

        self.click_tab("Plazos")
        self.wait_text("Inspección")
        self.assertIn("Registro", self.page_text())
        self.screenshot('claim_deadlines')
