from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from jobboard.codes.case import CASE_NOTE
from jobboard.textrules import Text


class CaseForm(FlaskForm):
    note = TextAreaField(
        "Case note", validators=[InputRequired("Write or paste a short case note."),
                                 Text(CASE_NOTE)],
        description="Plain text, up to 2,000 characters, e.g. “65 y/o M with NSTEMI, s/p PCI "
                    "with DES to LAD, hx HTN, CKD 3”. Leave out names, dates of birth and "
                    "record numbers.")
