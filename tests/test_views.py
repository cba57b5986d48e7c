"""Every list view opens in sao: each column's widget is one the web
client's list view knows (sao has no "datetime" column: a DateTime field is
shown as two columns, widget="date" and widget="time")."""
import unittest
from xml.etree import ElementTree

from trytond.tests.test_tryton import activate_module, with_transaction

from .runner import MODULES

# Sao.View.TreeXMLViewParser.WIDGETS of sao 8.0
SAO_LIST_WIDGETS = {
    'binary', 'boolean', 'callto', 'char', 'date', 'dict', 'email', 'float',
    'image', 'integer', 'many2many', 'many2one', 'numeric', 'one2many',
    'one2one', 'progressbar', 'reference', 'selection', 'multiselection',
    'sip', 'text', 'time', 'timedelta', 'url',
    }


class ListViewTestCase(unittest.TestCase):
    "Test the list views of our modules against sao's list widgets"

    @classmethod
    def setUpClass(cls):
        activate_module(MODULES)

    @with_transaction()
    def test_list_widgets(self):
        "Every list column has a widget sao can draw"
        from trytond.pool import Pool
        pool = Pool()
        View = pool.get('ir.ui.view')
        views = View.search([
                ('module', 'in', MODULES),
                ('type', '=', 'tree'),
                ])
        self.assertTrue(views)
        for view in views:
            Model = pool.get(view.model)
            arch = ElementTree.fromstring(view.arch)
            for element in arch.iter('field'):
                field = Model._fields.get(element.get('name'))
                if field is None:
                    continue
                widget = element.get('widget', field._type)
                with self.subTest(view=view.rec_name,
                        field=element.get('name')):
                    self.assertIn(widget, SAO_LIST_WIDGETS)

    def test_unknown_widget_detected(self):
        "The check refuses a datetime column"
        self.assertNotIn('datetime', SAO_LIST_WIDGETS)
