"""Identity document numbers: the shapes and check digits of the real ones, and unique per run."""

from __future__ import annotations

import random
import re
from datetime import date

from corredor.core.registry.vocab import DobPrecision, DocumentType, Sex
from corredor.core.synth import SynthPerson
from corredor.core.synth._documents import (
    HN_DEPARTMENT_NUMBERS,
    DocumentNumbers,
    cui_check_digit,
    curp_check_digit,
    dui_check_digit,
    ecuador_check_digit,
)

CURP = re.compile(r"^[A-Z]{4}\d{6}[HM][A-Z]{2}[A-Z]{3}[0-9A-Z]\d$")


def _national_ids(people: list[SynthPerson], country: str) -> list[tuple[SynthPerson, str]]:
    return [
        (person, document.number)
        for person in people
        for document in person.documents
        if document.doc_type is DocumentType.NATIONAL_ID and document.issuing_country == country
    ]


def test_check_digits_on_published_examples() -> None:
    assert curp_check_digit("HEGG560427MVZRRL0") == "4"  # the example CURP in RENAPO's own explanation
    assert ecuador_check_digit("171003406") == 5  # 1710034065
    assert dui_check_digit("00016297") == 5  # 00016297-5
    assert cui_check_digit("12345678") == (2 + 6 + 12 + 20 + 30 + 42 + 56 + 72) % 11


def test_honduran_dni_carries_department_and_birth_year(people: list[SynthPerson]) -> None:
    ids = _national_ids(people, "HN")
    assert ids
    for person, number in ids:
        assert re.fullmatch(r"\d{13}", number)
        assert int(number[:2]) == HN_DEPARTMENT_NUMBERS[person.subdivision_code]
        if person.dob_precision is DobPrecision.EXACT:
            assert int(number[4:8]) == person.date_of_birth.year


def test_guatemalan_cui_is_valid_and_names_the_department(people: list[SynthPerson]) -> None:
    ids = _national_ids(people, "GT")
    assert ids
    for person, number in ids:
        assert re.fullmatch(r"\d{13}", number)
        assert cui_check_digit(number[:8]) == int(number[8])
        assert number[9:11] == person.subdivision_code[3:]  # GT-01 .. GT-22


def test_salvadoran_dui_is_valid(people: list[SynthPerson]) -> None:
    ids = _national_ids(people, "SV")
    assert ids
    for _, number in ids:
        assert re.fullmatch(r"\d{8}-\d", number)
        assert dui_check_digit(number[:8]) == int(number[-1])


def test_mexican_curp_follows_renapo_rules(people: list[SynthPerson]) -> None:
    ids = _national_ids(people, "MX")
    assert ids
    for person, number in ids:
        assert CURP.match(number), number
        assert curp_check_digit(number[:17]) == number[17]
        assert number[10] == ("M" if person.sex is Sex.FEMALE else "H")
        if person.dob_precision is DobPrecision.EXACT:
            assert number[4:10] == person.date_of_birth.strftime("%y%m%d")
            assert number[16].isdigit() == (person.date_of_birth.year < 2000)  # the century marker


def test_curp_letters_come_from_the_name() -> None:
    numbers = DocumentNumbers(random.Random(1))
    curp = numbers.mexico_curp(given_names="María Guadalupe", first_surname="Núñez", second_surname="de la Peña",
                               birth=date(1990, 12, 3), sex=Sex.FEMALE, region="MX-MIC")
    # N (Núñez) U (first inner vowel) P (Peña, particles dropped) G (Guadalupe: María is skipped)
    assert curp.startswith("NUPG901203MMN")
    assert curp[13:16] == "XXD"  # Ñ is written X; first inner consonants of NUXEZ, PEXA, GUADALUPE
    assert curp_check_digit(curp[:17]) == curp[17]


def test_other_document_shapes(people: list[SynthPerson]) -> None:
    documents = [(p, d) for p in people for d in p.documents]
    for _person, document in documents:
        if document.doc_type is DocumentType.PASSPORT:
            assert re.fullmatch(r"[A-Z]{0,2}\d{6,9}", document.number), document
        elif document.doc_type is DocumentType.A_NUMBER:
            assert re.fullmatch(r"A\d{9}", document.number) and document.issuing_country == "US"
        elif document.doc_type is DocumentType.BIRTH_CERTIFICATE:
            assert re.fullmatch(r"\d{4}-\d{6}", document.number)
        elif document.doc_type is DocumentType.UNHCR_CERTIFICATE:
            assert document.issuing_country == "MX"
    venezuelan = [number for _, number in _national_ids(people, "VE")]
    assert venezuelan and all(re.fullmatch(r"V-\d{7,8}", number) for number in venezuelan)
    ecuadorian = [number for _, number in _national_ids(people, "EC")]
    assert all(ecuador_check_digit(number[:9]) == int(number[9]) for number in ecuadorian)


def test_serial_series_never_repeat_within_a_run() -> None:
    numbers = DocumentNumbers(random.Random(2))
    duis = [numbers.el_salvador_dui() for _ in range(50_000)]
    assert len(set(duis)) == len(duis)
    passports = [numbers.passport("HN") for _ in range(20_000)]
    assert len(set(passports)) == len(passports)
    dnis = [numbers.honduras_dni("HN-CR", 0, 1990) for _ in range(5_000)]
    assert len(set(dnis)) == len(dnis)
